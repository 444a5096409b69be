/**
 * Messages: what the cards show and the worker sends, their Teams cards and provider sends in
 * progress, the forward-only delivery status (status-ops.ts), and every receipt as received.
 */
import type { DeliveryReceipt } from '../../adapters/types.ts';
import { opt, toMessage } from './rows.ts';
import type { MessagesTable } from './schema.ts';
import { applyReceiptIn, applyStatusIn } from './status-ops.ts';
import { now, type StoreCore } from './store-core.ts';
import type { Message, StatusUpdate, StoredReceipt } from './types.ts';

export class MessageStore {
  constructor(private readonly core: StoreCore) {}

  async getMessage(id: string): Promise<Message | undefined> {
    const row = await this.core.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async findMessage(id: string): Promise<Message | undefined> {
    const mine = await this.getMessage(id);
    if (mine) return mine;
    const row = await this.core.db
      .selectFrom('messages')
      .selectAll()
      .where('provider_message_id', '=', id)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  /** Our messages whose id ends in `shortId` (the short id cards show), newest first. */
  async findMessagesByShortId(shortId: string): Promise<Message[]> {
    if (!/^[0-9a-f]{4,32}$/i.test(shortId)) return [];
    const rows = await this.core.db
      .selectFrom('messages')
      .selectAll()
      .where('id', 'like', `%${shortId.toLowerCase()}`)
      .orderBy('created_at', 'desc')
      .limit(5)
      .execute();
    return rows.map(toMessage);
  }

  async listMessages(threadId: string): Promise<Message[]> {
    const rows = await this.core.db
      .selectFrom('messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('created_at')
      .execute();
    return rows.map(toMessage);
  }

  async listUncarded(threadId: string): Promise<Message[]> {
    const rows = await this.core.db
      .selectFrom('messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .where('teams_activity_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toMessage);
  }

  async markCardStarted(ids: string | readonly string[]): Promise<void> {
    await this.updateMessages(ids, { card_started_at: now() });
  }

  async setMessageCard(
    ids: string | readonly string[],
    activityId: string,
    cardState?: string,
  ): Promise<void> {
    await this.updateMessages(ids, {
      teams_activity_id: activityId,
      ...(cardState === undefined ? {} : { card_state: cardState }),
      updated_at: now(),
    });
  }

  async setCardState(id: string, cardState: string): Promise<void> {
    await this.updateMessage(id, { card_state: cardState });
  }

  async listCardMessages(activityId: string): Promise<Message[]> {
    const rows = await this.core.db
      .selectFrom('messages')
      .selectAll()
      .where('teams_activity_id', '=', activityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toMessage);
  }

  async lastCarded(threadId: string): Promise<Message | undefined> {
    const row = await this.core.db
      .selectFrom('messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .where('teams_activity_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async markSendStarted(id: string): Promise<void> {
    await this.updateMessage(id, { send_started_at: now() });
  }

  async clearSendStarted(id: string): Promise<void> {
    await this.updateMessage(id, { send_started_at: null });
  }

  private async updateMessages(ids: string | readonly string[], set: Partial<MessagesTable>): Promise<void> {
    const list = typeof ids === 'string' ? [ids] : ids;
    if (list.length === 0) return;
    await this.core.writes.run((trx) =>
      trx.updateTable('messages').set(set).where('id', 'in', list).execute(),
    );
  }

  private async updateMessage(id: string, set: Partial<MessagesTable>): Promise<void> {
    await this.core.writes.run((trx) => trx.updateTable('messages').set(set).where('id', '=', id).execute());
  }

  async applyStatus(id: string, update: StatusUpdate): Promise<boolean> {
    return this.core.writes.run(async (trx) => {
      const changed = await applyStatusIn(this.core, trx, id, update);
      if (changed) this.core.queued();
      return changed;
    });
  }

  async applyReceipt(receipt: DeliveryReceipt, receiptRow?: number): Promise<boolean> {
    return this.core.writes.run((trx) => applyReceiptIn(this.core, trx, receipt, receiptRow));
  }

  async listReceipts(messageId: string): Promise<StoredReceipt[]> {
    const rows = await this.core.db
      .selectFrom('receipts')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      status: r.status as StoredReceipt['status'],
      vendorStatus: r.vendor_status,
      code: opt(r.code),
      reason: opt(r.reason),
      at: r.at,
      raw: JSON.parse(r.raw) as unknown,
    }));
  }
}
