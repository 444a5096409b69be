/** How the Inbox writes times and states. */
import type { InboxState } from '../../bot/inbox/wire.ts';

export const STATE_LABELS: Record<InboxState, string> = {
  waiting: 'Waiting',
  mine: 'Mine',
  unassigned: 'Unassigned',
  failed: 'Failed',
  resolved: 'Resolved',
};

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Today: the time; otherwise the day and the time. */
export function shortTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? timeOfDay.format(at) : dayAndTime.format(at);
}

export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

export const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  expired: 'Expired',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  unknown: 'Unknown',
};
