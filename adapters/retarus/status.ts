/**
 * Retarus `processStatus` / `status` pairs → our DeliveryStatus (providers README §2.5, the "SMS
 * Outbound Status Codes" table, which REST RecipientReports use as well).
 */
import type { DeliveryStatus } from '../types.ts';

export interface RetarusStatus {
  status: DeliveryStatus;
  /** Retarus will not change this recipient's status again. */
  final: boolean;
  /** What the pair means, in plain English, for the timeline. */
  description: string;
  /** Set only when the message ended without a confirmed delivery: the cause an agent reads. */
  reason?: string;
}

type Row = Omit<RetarusStatus, 'reason'> & { failure?: true };

const row = (status: DeliveryStatus, final: boolean, description: string, failure = false): Row => ({
  status,
  final,
  description,
  ...(failure ? { failure: true as const } : {}),
});

/** Exact pairs; `OPEN/` is the empty status word. */
const PAIRS: Readonly<Record<string, Row>> = {
  'OPEN/': row('queued', false, 'Pending; not yet scheduled.'),
  // SUC_ACC is the carrier's acceptance without a handset notification. With statusRequested=false
  // it is the best answer Retarus will ever give, yet no phone confirmed it, so it stays 'sent'
  // rather than claiming 'delivered'; `final` tells pollers to stop asking.
  'DONE/SUC_ACC': row('sent', true, 'Accepted by the carrier; no handset confirmation.'),
  'DONE/SUC_FIN': row('delivered', true, 'Delivered, confirmed by the handset.'),
  'DONE/INVALID_DST': row('rejected', true, 'The number is invalid.', true),
  'DONE/BLOCKED': row('rejected', true, 'The number is blocklisted.', true),
  'DONE/TIMEOUT': row('expired', true, 'Sent, but not delivered before the validity period ran out.', true),
  'DONE/CON_ERR': row('failed', true, 'Could not be handed to a carrier; every retry failed.', true),
  'DONE/FAILED_FIN': row('failed', true, 'Not delivered, according to the delivery notification.', true),
  'DONE/NOT_ACC_FIN': row('rejected', true, 'The carrier did not accept it; delivery is not possible.', true),
  // Retarus: "in most cases the SMS has arrived anyway", so neither failed nor delivered.
  'DONE/SEND_ERR': row(
    'unknown',
    true,
    'Retarus had an internal error while sending; in most cases the SMS arrived anyway.',
    true,
  ),
  'DONE/STATUS_ERR': row(
    'unknown',
    true,
    'Retarus had an internal error while asking for the delivery notification.',
    true,
  ),
  'CANCELED/': row('cancelled', true, 'Cancelled before the first attempt.', true),
  'CANCELED/NOT_ACC_REC': row('cancelled', true, 'Cancelled after the first attempt.', true),
};

/** Rows that hold for any status word under the process status (the table's "any"). */
const ANY: Readonly<Record<string, Row>> = {
  OPEN: row('queued', false, 'Waiting to be retried, e.g. after a carrier connection error.'),
  RUNNING: row('sent', false, 'Sent; no delivery notification yet.'),
  CANCELED: row('cancelled', true, 'Cancelled.', true),
  KILL: row('cancelled', true, 'Sent, then cancelled; no delivery notification will come.', true),
};

/**
 * Case-insensitive. `statusRequested` (the job's option) only sharpens the description of
 * SUC_ACC, which Retarus gives when no handset notification was asked for or none came.
 * A pair outside the table maps to `unknown`; it is final (with a reason) under DONE.
 */
export function mapRetarusStatus(
  processStatus: string,
  status?: string | null,
  statusRequested?: boolean,
): RetarusStatus {
  const process = processStatus.trim().toUpperCase();
  const word = (status ?? '').trim().toUpperCase();
  const found = lookup(process, word);
  if (!found) {
    const said = word ? `${process}/${word}` : process;
    const description = `Retarus reported ${said}, which this bridge does not know.`;
    const final = process === 'DONE';
    return { status: 'unknown', final, description, ...(final ? { reason: description } : {}) };
  }
  const description =
    process === 'DONE' && word === 'SUC_ACC' && statusRequested === true
      ? 'Accepted by the carrier, but the requested handset confirmation did not come.'
      : found.description;
  const { failure, ...mapped } = found;
  return { ...mapped, description, ...(failure ? { reason: description } : {}) };
}

function lookup(process: string, word: string): Row | undefined {
  const pair = `${process}/${word}`;
  if (Object.hasOwn(PAIRS, pair)) return PAIRS[pair];
  return Object.hasOwn(ANY, process) ? ANY[process] : undefined;
}

/** `DONE/SUC_FIN`, or just `OPEN` when Retarus gave no status word. */
export function retarusVendorStatus(processStatus: string, status?: string | null): string {
  const word = (status ?? '').trim();
  return word ? `${processStatus.trim()}/${word}` : processStatus.trim();
}
