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

/** Container style and text colour of a status badge (Adaptive Card 1.5 enums). */
export interface BadgeStyle {
  label: string;
  style: 'emphasis' | 'accent' | 'good' | 'warning' | 'attention';
  color: 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
}

export const STATUS_BADGES: Readonly<Record<CardStatus, BadgeStyle>> = {
  queued: { label: 'Queued', style: 'emphasis', color: 'Default' },
  sent: { label: 'Sent', style: 'accent', color: 'Accent' },
  delivered: { label: 'Delivered', style: 'good', color: 'Good' },
  read: { label: 'Read', style: 'good', color: 'Good' },
  failed: { label: 'Failed', style: 'attention', color: 'Attention' },
  expired: { label: 'Expired', style: 'attention', color: 'Attention' },
  rejected: { label: 'Rejected', style: 'attention', color: 'Attention' },
  cancelled: { label: 'Cancelled', style: 'warning', color: 'Warning' },
  unknown: { label: 'Unknown', style: 'emphasis', color: 'Default' },
};
