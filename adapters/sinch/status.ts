/**
 * Sinch status words and error codes → our DeliveryStatus (providers README §1.6).
 * The status list is the union of the Engage Status.yaml enum and the older MessageMedia spec,
 * because production has sent words from both (`held` before it was documented).
 */
import type { DeliveryStatus } from '../types.ts';

export const SINCH_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  // Accepted by the gateway but not yet handed on.
  queued: 'queued',
  processing: 'queued',
  scheduled: 'queued',
  held: 'queued',
  // Left the gateway towards a carrier.
  enroute: 'sent',
  submitted: 'sent',
  processed: 'sent',
  delivered: 'delivered',
  read: 'read',
  expired: 'expired',
  rejected: 'rejected',
  failed: 'failed',
  // Only in the older spec; MAPI-1841 says it is not a wire value, but accept it anyway.
  undeliverable: 'failed',
  cancelled: 'cancelled',
  undefined: 'unknown',
  unknown: 'unknown',
};

/** `error_code` / `$statusCode` of delivery reports, in Sinch's own words. */
export const SINCH_ERROR_CODES: Readonly<Record<string, string>> = {
  '101': 'Message being processed by the gateway.',
  '102': 'Message is being rerouted to a different provider after failing via the first provider.',
  '151': 'Message held for screening.',
  '200': 'Message submitted to downstream provider for delivery.',
  '210': 'Message accepted by downstream provider.',
  '211': 'Message is enroute for delivery by provider.',
  '212': 'Message submitted. Delivery pending.',
  '213': 'Message scheduled for delivery by downstream provider.',
  '220': 'Message delivered.',
  '221': 'Message delivered to the handset.',
  '320': 'Message validity period has expired (prior to submission).',
  '401': 'Message validity period has expired (before delivery).',
  '301': 'Usage threshold reached. Message discarded.',
  '302': 'Destination address blocked. Message discarded.',
  '303': 'Source address blocked. Message discarded.',
  '304': 'Message dropped. Contact support.',
  '305': 'Message discarded due to duplicate detection.',
  '402': 'Message rejected by downstream provider.',
  '403': 'Message skipped by downstream provider.',
  '410': 'Invalid source address.',
  '411': 'Invalid destination address.',
  '412': 'Destination address blocked.',
  '413': 'SMS service unavailable on destination.',
  '414': 'Destination unreachable.',
  '330': 'Gateway failure.',
  '331': 'Message discarded.',
  '332': 'No available route to destination.',
  '333': 'Source address unsupported for this destination.',
  '400': 'Message failed; undeliverable.',
  '405': 'Message cancelled or deleted by provider.',
};

/** Used when a failure arrives without a code we know; wording follows the Delivery Reports doc. */
const FAILURE_REASONS: Partial<Record<DeliveryStatus, string>> = {
  failed: 'The message failed: no route to the destination or undeliverable downstream.',
  rejected:
    'The message was rejected and will not be delivered (usage limit, credit, blocked number or filtered content).',
  expired: 'The message expired before it could be delivered.',
  cancelled: 'The message was cancelled.',
};

export interface MappedStatus {
  status: DeliveryStatus;
  /** Plain-English cause, only for statuses that end the message without delivering it. */
  reason?: string;
}

/** Case-insensitive; an unknown word maps to `unknown` so it never moves a message's state. */
export function mapSinchStatus(status: string, errorCode?: string): MappedStatus {
  const word = status.trim().toLowerCase();
  const mapped = Object.hasOwn(SINCH_STATUSES, word) ? SINCH_STATUSES[word]! : 'unknown';
  const fallback = FAILURE_REASONS[mapped];
  if (fallback === undefined) return { status: mapped };
  const code = errorCode?.trim();
  // 1xx/2xx codes describe progress, not a cause; they would read oddly on a failed message.
  const described = code && !/^[12]/.test(code) ? describeSinchErrorCode(code) : undefined;
  if (described) return { status: mapped, reason: described };
  return { status: mapped, reason: code ? `${fallback} (Sinch code ${code})` : fallback };
}

export function describeSinchErrorCode(code: string): string | undefined {
  return Object.hasOwn(SINCH_ERROR_CODES, code) ? SINCH_ERROR_CODES[code] : undefined;
}
