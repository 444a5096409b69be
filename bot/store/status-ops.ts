/**
 * The delivery status machine as the store writes it: a status only moves forward, a receipt
 * finds its message by our correlation id or the provider's id, and a change queues the card's
 * update. Runs inside the caller's transaction (ingest, the apply-receipt job, the send handler).
 */
import { type Selectable, sql } from 'kysely';
import type { DeliveryReceipt } from '../../adapters/types.ts';
import { advances } from './delivery-state.ts';
import { insertJob, updateCardJob } from './job-queries.ts';
import type { MessagesTable } from './schema.ts';
import { now, type StoreCore, type Trx } from './store-core.ts';
import type { Message, StatusUpdate, TimelineEntry } from './types.ts';

/** Applies a receipt to its message; false when no message is known for it (yet). */
export async function applyReceiptIn(
  core: StoreCore,
  trx: Trx,
  receipt: DeliveryReceipt,
  receiptRow?: number,
): Promise<boolean> {
  let row: Pick<Selectable<MessagesTable>, 'id'> | undefined;
  if (receipt.correlationId) {
    row = await trx
      .selectFrom('messages')
      .select('id')
      .where('id', '=', receipt.correlationId)
      .where('direction', '=', 'outbound')
      .executeTakeFirst();
  }
  // By the provider's id of the message, then of the recipient: a message to several recipients
  // (SmartDialog) records each recipient's id as its message's id.
  for (const providerId of [receipt.providerMessageId, receipt.recipient]) {
    if (row || !providerId) continue;
    row = await trx
      .selectFrom('messages')
      .select('id')
      .where('provider', '=', receipt.provider)
      .where('provider_message_id', '=', providerId)
      // A literal, so the partial index messages_provider_id applies (see migrations.ts).
      .where('direction', '=', sql.lit('outbound'))
      .executeTakeFirst();
  }
  if (!row) return false;
  if (receiptRow !== undefined) {
    await trx.updateTable('receipts').set({ message_id: row.id }).where('id', '=', receiptRow).execute();
  }
  const changed = await applyStatusIn(core, trx, row.id, {
    status: receipt.status,
    vendorStatus: receipt.vendorStatus,
    code: receipt.code,
    reason: receipt.reason,
    at: receipt.at,
    providerMessageId: receipt.providerMessageId,
    ...(receipt.channel ? { channel: receipt.channel } : {}),
    ...(receipt.note ? { note: receipt.note } : {}),
  });
  if (changed) core.queued();
  return true;
}

/** Moves a message forward (never backwards); queues a card update when it changed. */
export async function applyStatusIn(
  core: StoreCore,
  trx: Trx,
  id: string,
  update: StatusUpdate,
): Promise<boolean> {
  const row = await trx
    .selectFrom('messages')
    .select(['status', 'timeline', 'thread_id', 'provider_message_id', 'channel'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return false;
  const advancing = advances(row.status as Message['status'], update.status);
  // A channel switch (RCS falling back to SMS) is news even when the status stays the same.
  const switched = update.channel !== undefined && update.channel !== row.channel;
  const newProviderId = update.providerMessageId && !row.provider_message_id;
  if (!advancing && !switched) {
    if (newProviderId) {
      await trx
        .updateTable('messages')
        .set({ provider_message_id: update.providerMessageId })
        .where('id', '=', id)
        .execute();
    }
    return false;
  }
  const timeline = JSON.parse(row.timeline) as TimelineEntry[];
  timeline.push({
    status: advancing ? update.status : (row.status as Message['status']),
    at: update.at,
    vendorStatus: update.vendorStatus,
    code: update.code,
    ...(update.note ? { note: update.note } : {}),
  });
  await trx
    .updateTable('messages')
    .set({
      ...(advancing
        ? {
            status: update.status,
            vendor_status: update.vendorStatus ?? null,
            status_code: update.code ?? null,
            reason: update.reason ?? null,
          }
        : {}),
      ...(switched ? { channel: update.channel } : {}),
      timeline: JSON.stringify(timeline),
      ...(newProviderId ? { provider_message_id: update.providerMessageId } : {}),
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute();
  // Debounced: the receipts that follow within a moment go out in the same update.
  await insertJob(trx, core.jobsQ, updateCardJob(row.thread_id, id, true), now());
  return true;
}
