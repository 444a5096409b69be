/**
 * Delivery report status words → DeliveryStatus. SmartDialog's vocabulary is NOT FOUND (providers
 * README §3.4), so this table holds the plausible words: the common English ones and the SMPP
 * receipt `stat` values (DELIVRD, UNDELIV, …) that SMS gateways like Arena's pass on. Anything
 * else is `unknown`, which never moves a message's state, and keeps its raw word.
 */
import type { DeliveryStatus } from '../types.ts';

/** Keys are lower-case with spaces, '_' and '-' removed (see normalise()). */
export const SMARTDIALOG_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  queued: 'queued',
  pending: 'queued',
  scheduled: 'queued',
  buffered: 'queued',
  processing: 'queued',
  // Taken by the network, not yet on the handset: for the agent the message has left.
  accepted: 'sent',
  acceptd: 'sent',
  sent: 'sent',
  submitted: 'sent',
  enroute: 'sent',
  delivered: 'delivered',
  delivrd: 'delivered',
  read: 'read',
  seen: 'read',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  undeliv: 'failed',
  undelivered: 'failed',
  undeliverable: 'failed',
  notdelivered: 'failed',
  rejected: 'rejected',
  rejectd: 'rejected',
  expired: 'expired',
  // SMPP DELETED: the message was removed before delivery.
  deleted: 'cancelled',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  unknown: 'unknown',
};

const FAILURE_REASONS: Partial<Record<DeliveryStatus, string>> = {
  failed: 'The message could not be delivered.',
  rejected: 'The message was rejected and will not be delivered.',
  expired: 'The message expired before it could be delivered.',
  cancelled: 'The message was cancelled before it was delivered.',
};

export interface MappedStatus {
  status: DeliveryStatus;
  /** Plain words, only for statuses that end a message without delivering it. */
  reason?: string;
}

export function mapSmartDialogStatus(vendorStatus: string): MappedStatus {
  const word = normalise(vendorStatus);
  const status = Object.hasOwn(SMARTDIALOG_STATUSES, word) ? SMARTDIALOG_STATUSES[word]! : 'unknown';
  const reason = FAILURE_REASONS[status];
  return reason ? { status, reason } : { status };
}

function normalise(word: string): string {
  return word
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}
