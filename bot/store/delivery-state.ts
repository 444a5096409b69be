/**
 * The delivery state machine: queued < sent < delivered < read, and failed / expired /
 * rejected / cancelled are terminal. A late or out-of-order receipt never moves a message back.
 */
import type { DeliveryStatus } from '../../adapters/types.ts';
import type { MessageStatus } from './types.ts';

const RANK: Record<MessageStatus, number> = {
  unknown: 0,
  received: 0,
  queued: 1,
  // Past queued (the send was made), before anything the provider confirms.
  unconfirmed: 1.5,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  expired: 5,
  rejected: 5,
  cancelled: 5,
};

export const TERMINAL: ReadonlySet<MessageStatus> = new Set(['failed', 'expired', 'rejected', 'cancelled']);

/** Statuses after which an agent may send the same text again (Retry). */
export const RETRYABLE: ReadonlySet<MessageStatus> = new Set([...TERMINAL, 'unconfirmed']);

/** Whether `next` may replace `current`. */
export function advances(current: MessageStatus, next: DeliveryStatus | 'unconfirmed'): boolean {
  if (next === 'unknown' || TERMINAL.has(current)) return false;
  // `read` is as far as a message goes; a failure after it is a provider glitch.
  if (current === 'read') return false;
  return RANK[next] > RANK[current];
}
