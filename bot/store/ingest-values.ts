/**
 * The values the ingest statements (ingest-queries.ts) bind for one row, shared by the
 * dialect-neutral ingest (ingest-store.ts), the SQLite writer's own (sqlite-ingest.ts) and
 * PostgreSQL's batched one (postgres-ingest.ts), so all three write the same thing.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryReceipt } from '../../adapters/types.ts';
import type { ThreadOfRow } from './ingest-queries.ts';
import type { InboundRow, ReceiptRow } from './ingest-rows.ts';
import type { ReceiptsTable } from './schema.ts';
import type { NewJob } from './types.ts';

/** Which thread a row belongs to: provider, business number, customer number. */
export function threadKey(row: InboundRow) {
  return { provider: row[2], businessNumber: row[5], customerNumber: row[4] };
}

/** Whether a message changes its thread: another channel (the thread answers on it), or an opt-out. */
export function changesThread(row: InboundRow, thread: ThreadOfRow): boolean {
  return thread.channel !== row[6] || (row[10] === 1 && thread.opted_out !== 1);
}

export function threadUpdate(row: InboundRow, id: string, at: string) {
  return { id, channel: row[6], optedOut: row[10], at };
}

export function threadValues(row: InboundRow, at: string) {
  return { ...threadKey(row), id: randomUUID(), channel: row[6], optedOut: row[10], at };
}

/** `media` is the message's media column: the row's, or what media-store.ts made of it. */
export function inboundValues(row: InboundRow, id: string, threadId: string, at: string, media: string) {
  return {
    id,
    threadId,
    provider: row[2],
    channel: row[6],
    body: row[7],
    media,
    optOut: row[10],
    providerMessageId: row[3],
    createdAt: row[9] || at,
    at,
  };
}

/**
 * The thread's cards: one job posts every message of the thread that has no card yet, so while
 * one waits, later messages of the thread add nothing to the queue (the jobs_waiting_once index
 * keeps one waiting job per thread). Jobs of one thread run in order, one at a time.
 */
export function postCardJob(threadId: string): NewJob {
  return { kind: 'post-card', lane: `thread:${threadId}`, ref: threadId };
}

export function noRouteReason(row: InboundRow): string {
  return `no channel is linked to ${row[2]} ${row[5]} yet`;
}

export function receiptValues(row: ReceiptRow, at: string): Omit<ReceiptsTable, 'id'> {
  return {
    message_id: null,
    provider: row[2],
    provider_message_id: row[3],
    recipient: row[5] || null,
    status: row[6],
    vendor_status: row[7],
    code: row[8] || null,
    reason: row[9] || null,
    raw: row[12],
    at: row[10],
    received_at: at,
  };
}

/** A receipt that overtook its send's bookkeeping is matched again from a job. */
export function applyReceiptJob(row: ReceiptRow, receipt: DeliveryReceipt, receiptRow: number): NewJob {
  // The raw receipt is in the receipts table already; the job carries what matching needs.
  return {
    kind: 'apply-receipt',
    lane: `receipt:${row[2]}:${row[3]}`,
    ref: row[1],
    payload: { receipt: { ...receipt, raw: null }, receiptRow },
  };
}
