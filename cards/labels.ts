import type { CardChannel, CardProvider, CardStatus } from './types.ts';

export const PROVIDER_LABELS: Readonly<Record<CardProvider, string>> = {
  sinch: 'Sinch',
  'sinch-conversation': 'Sinch Conversation API',
  retarus: 'Retarus',
  smartdialog: 'SmartDialog',
  sandbox: 'Sandbox (test only)',
};

export const CHANNEL_LABELS: Readonly<Record<CardChannel, string>> = {
  sms: 'SMS',
  mms: 'MMS',
  rcs: 'RCS',
  whatsapp: 'WhatsApp',
};

/** Text colours of Adaptive Cards 1.5. */
export type CardColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface StatusLook {
  label: string;
  color: CardColor;
}

/**
 * The one status vocabulary of every card: the word, and its colour. A status is shown as coloured
 * text (statusMark), never in a box of its own, which reads as a button.
 */
export const STATUS_LOOK: Readonly<Record<CardStatus, StatusLook>> = {
  queued: { label: 'Queued', color: 'Default' },
  sent: { label: 'Sent', color: 'Accent' },
  delivered: { label: 'Delivered', color: 'Good' },
  read: { label: 'Read', color: 'Good' },
  failed: { label: 'Failed', color: 'Attention' },
  expired: { label: 'Expired', color: 'Attention' },
  rejected: { label: 'Rejected', color: 'Attention' },
  cancelled: { label: 'Cancelled', color: 'Warning' },
  unconfirmed: { label: 'Not confirmed', color: 'Warning' },
  unknown: { label: 'Unknown', color: 'Default' },
};

/** "● Delivered" in green: how a status looks wherever a card shows one. */
export function statusMark(status: CardStatus): { text: string; color: CardColor } {
  const look = STATUS_LOOK[status];
  return { text: `● ${look.label}`, color: look.color };
}
