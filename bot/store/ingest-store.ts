/**
 * Ingest and dedupe: webhook events and agents' Teams posts, each written once. The dedupe key of
 * every external event is claimed first (events.key, a unique index): a provider's retry or a
 * Teams redelivery finds it taken and writes nothing. A customer's first message creates its
 * thread; a thread that another instance created a moment before is read back instead.
 */
import type { MessageChannel } from '../../adapters/types.ts';
import { replyChannel } from '../reply-channel.ts';
import * as ops from './conversation-ops.ts';
import { timeOrderedId } from './ids.ts';
import { type InboundRow, type IngestRow, NO_MEDIA, type ReceiptRow, receiptOf } from './ingest-rows.ts';
import {
  applyReceiptJob,
  changesThread,
  inboundValues,
  noRouteReason,
  postCardJob,
  receiptValues,
  threadKey,
  threadUpdate,
  threadValues,
} from './ingest-values.ts';
import { insertJob } from './job-queries.ts';
import { insertMedia } from './media-store.ts';
import { toNote } from './rows.ts';
import { applyReceiptIn } from './status-ops.ts';
import { type Db, now, type StoreCore, type Trx } from './store-core.ts';
import type { AgentNote, AgentReply, IngestOutcome, Note } from './types.ts';

export class IngestStore {
  constructor(private readonly core: StoreCore) {}

  /** What ingest writes, as rows already built (see ingest-rows.ts). */
  async ingestRows(rows: IngestRow[]): Promise<IngestOutcome[]> {
    if (rows.length === 0) return [];
    return this.core.writes.run(async (trx) => {
      const at = now();
      const out: IngestOutcome[] = [];
      for (const row of rows) out.push(await this.ingestOne(trx, row, at));
      return out;
    });
  }

  async ingestOne(trx: Trx, row: IngestRow, at: string): Promise<IngestOutcome> {
    const { core } = this;
    const claimed = await trx.executeQuery(core.ingestQ.claimKey.bind({ key: row[1], at }));
    if (!claimed.numAffectedRows) return { duplicate: true };
    if (row[0] === 'in') return { duplicate: false, messageId: await this.ingestInbound(trx, row, at) };
    const receipt = receiptOf(row);
    const receiptId = await insertReceipt(trx, row, at);
    // A receipt naming our id for a message we never had (a SmartDialog DlrUrl of another system,
    // a guess) stays unmatched in the receipts table: waiting would not change that.
    if (!(await applyReceiptIn(core, trx, receipt, receiptId)) && !receipt.correlationId) {
      // The receipt can overtake the send's own bookkeeping; retry the match from a job.
      await insertJob(trx, core.jobsQ, applyReceiptJob(row, receipt, receiptId), at);
      core.queued();
    }
    return { duplicate: false };
  }

  private async ingestInbound(trx: Trx, row: InboundRow, at: string): Promise<string> {
    const { core } = this;
    const thread = await this.threadOf(trx, row, at);
    const id = timeOrderedId();
    // Only messages with media pay for the extra rows (SQLite's hot path leaves them to this one).
    const media =
      row[8] === NO_MEDIA ? row[8] : JSON.stringify(await insertMedia(trx, id, JSON.parse(row[8]), at));
    await trx.executeQuery(core.ingestQ.insertInbound.bind(inboundValues(row, id, thread.id, at, media)));
    const job = postCardJob(thread.id);
    // A new thread's card needs a linked channel; without one it waits (parked) for `link`.
    if (thread.conversation_id === null && !(await core.routes.load(trx)).has(row[2], row[5])) {
      await insertJob(trx, core.jobsQ, job, at, 'parked', noRouteReason(row));
    } else {
      const queued = await insertJob(trx, core.jobsQ, job, at);
      // Woken only for a new job: a waiting one of the thread posts this message too.
      if (queued.numAffectedRows) core.queued();
    }
    return id;
  }

  /**
   * The row's thread, created on the customer's first message. It is written again only when the
   * message changes it: another channel, or an opt-out.
   */
  private async threadOf(trx: Trx, row: InboundRow, at: string) {
    const q = this.core.ingestQ;
    const key = threadKey(row);
    let thread = (await trx.executeQuery(q.findThread.bind(key))).rows[0];
    if (!thread) {
      thread = (await trx.executeQuery(q.insertThread.bind(threadValues(row, at)))).rows[0];
      // Another instance of the bot created it a moment ago (a store that several share).
      thread ??= (await trx.executeQuery(q.findThread.bind(key))).rows[0];
      if (!thread) throw new Error(`no thread for ${row[2]} ${row[5]} ${row[4]}`);
    }
    if (changesThread(row, thread)) {
      await trx.executeQuery(q.updateThread.bind(threadUpdate(row, thread.id, at)));
    }
    return thread;
  }

  async recordAgentReply(reply: AgentReply): Promise<IngestOutcome> {
    return this.core.writes.run(async (trx) => {
      if (!(await ops.claimKey(trx, `teams:${reply.activityId}`))) return { duplicate: true };
      const thread = await trx
        .selectFrom('threads')
        .selectAll()
        .where('id', '=', reply.threadId)
        .executeTakeFirstOrThrow();
      const id = await ops.insertOutbound(trx, this.core.jobsQ, thread.id, {
        provider: thread.provider,
        channel: replyChannel(thread.channel as MessageChannel),
        body: reply.text,
        authorName: reply.authorName,
        authorId: reply.authorId,
      });
      this.core.queued();
      return { duplicate: false, messageId: id };
    });
  }

  async recordNote(note: AgentNote): Promise<{ duplicate: boolean }> {
    return this.core.writes.run(async (trx) => ({ duplicate: !(await ops.insertNote(trx, note)) }));
  }

  async listNotes(threadId: string): Promise<Note[]> {
    const rows = await this.core.db
      .selectFrom('notes')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('created_at')
      .execute();
    return rows.map(toNote);
  }
}

/** Keeps the receipt as received (the raw body or query too), whether or not it changes anything. */
async function insertReceipt(trx: Db, row: ReceiptRow, at: string): Promise<number> {
  const inserted = await trx
    .insertInto('receipts')
    .values(receiptValues(row, at))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}
