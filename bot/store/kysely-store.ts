/**
 * The Store over Kysely. Every query here is dialect-neutral; sqlite.ts and (later) postgres.ts
 * only open the connection. Every write goes through one group commit (see group-commit.ts).
 * SQLite runs inbound webhook rows through a hot path of its own (sqlite-store.ts) that writes
 * the same rows with the same statements.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, Migrator, type Selectable, sql, type Transaction } from 'kysely';
import type { DeliveryReceipt, MessageChannel, ProviderId, WebhookEvent } from '../../adapters/types.ts';
import type { StopCause } from '../crash-record.ts';
import { replyChannel } from '../reply-channel.ts';
import { LocalChangeFeed } from './change-feed.ts';
import * as ops from './conversation-ops.ts';
import { advances } from './delivery-state.ts';
import { GroupCommit } from './group-commit.ts';
import { timeOrderedId } from './ids.ts';
import { type IngestQueries, ingestQueries } from './ingest-queries.ts';
import {
  type InboundRow,
  type IngestRow,
  NO_MEDIA,
  type ReceiptRow,
  receiptOf,
  toIngestRows,
} from './ingest-rows.ts';
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
import {
  insertJob,
  type JobQueries,
  jobQueries,
  releaseRunning,
  updateCardJob,
  WAITING,
} from './job-queries.ts';
import { insertMedia, type StoredMedia } from './media-store.ts';
import { migrations } from './migrations.ts';
import { RouteSet } from './route-set.ts';
import { opt, toJob, toMessage, toNote, toRoute, toThread } from './rows.ts';
import type { Database, MessagesTable, RoutesTable } from './schema.ts';
import { keepFirstSetting, readSetting } from './settings.ts';
import type {
  AgentNote,
  AgentReply,
  Assignee,
  ConversationRefJson,
  IngestOutcome,
  Job,
  JobState,
  Message,
  NewConversation,
  NewJob,
  Note,
  Route,
  StatusUpdate,
  Store,
  StoredReceipt,
  Thread,
  ThreadState,
  TimelineEntry,
} from './types.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type Trx = Transaction<Database>;

interface KyselyStoreOptions {
  /**
   * This process is the database's only writer (SQLite): the routes may be kept in memory. A
   * store that several bot instances share (PostgreSQL) must leave this off.
   */
  singleWriter?: boolean;
  /**
   * For a connection whose commit does not wait for the disk itself: resolves once everything
   * committed before the call is on disk. Writes resolve only then (group-commit.ts).
   */
  durable?: () => Promise<void>;
}

/**
 * How often a claim also takes back the jobs of workers whose lease ran out (a dead process of a
 * shared store); leases this process handed out are checked when they end.
 */
const LEASE_CHECK_MS = 5_000;

export const now = () => new Date().toISOString();

export class KyselyStore implements Store {
  protected readonly writes: GroupCommit<Trx>;
  protected readonly routes: RouteSet;
  protected readonly ingestQ: IngestQueries;
  protected readonly jobsQ: JobQueries;
  private migrated = false;
  /** Set by a write that queued runnable work; the worker is woken once its batch committed. */
  protected wakeWorker = false;
  private leaseCheckAt = 0;

  private onEnqueue: () => void = () => {};
  /** Raised after every commit (the Inbox's live updates read what changed). */
  readonly changes = new LocalChangeFeed();

  constructor(
    readonly db: Kysely<Database>,
    options: KyselyStoreOptions = {},
  ) {
    this.routes = new RouteSet(options.singleWriter ?? false);
    this.ingestQ = ingestQueries(db);
    this.jobsQ = jobQueries(db);
    // Concurrent webhook requests, job claims and job outcomes share one transaction (one fsync).
    this.writes = new GroupCommit<Trx>((work) => this.db.transaction().execute(work), {
      durable: options.durable,
      afterCommit: () => {
        this.changes.notify();
        if (!this.wakeWorker) return;
        this.wakeWorker = false;
        this.onEnqueue();
      },
    });
  }

  /** Called after a commit that enqueued work, so an idle worker wakes at once. */
  setOnEnqueue(fn: () => void): void {
    this.onEnqueue = fn;
  }

  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.db, provider: migrations }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
    }
    this.migrated = true;
  }

  async ready(): Promise<void> {
    if (!this.migrated) throw new Error('migrations have not been applied');
    await this.db.selectFrom('events').select('key').limit(1).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ---- ingest ---------------------------------------------------------------------------

  async ingest(events: WebhookEvent[]): Promise<IngestOutcome[]> {
    if (events.length === 0) return [];
    return this.ingestRows(toIngestRows(events));
  }

  /** What ingest writes, as rows already built (the SQLite writer thread receives these). */
  async ingestRows(rows: IngestRow[]): Promise<IngestOutcome[]> {
    if (rows.length === 0) return [];
    return this.writes.run(async (trx) => {
      const at = now();
      const out: IngestOutcome[] = [];
      for (const row of rows) out.push(await this.ingestOne(trx, row, at));
      return out;
    });
  }

  protected async ingestOne(trx: Trx, row: IngestRow, at: string): Promise<IngestOutcome> {
    const claimed = await trx.executeQuery(this.ingestQ.claimKey.bind({ key: row[1], at }));
    if (!claimed.numAffectedRows) return { duplicate: true };
    if (row[0] === 'in') return { duplicate: false, messageId: await this.ingestInbound(trx, row, at) };
    const receipt = receiptOf(row);
    const receiptId = await insertReceipt(trx, row, at);
    // A receipt naming our id for a message we never had (a SmartDialog DlrUrl of another system,
    // a guess) stays unmatched in the receipts table: waiting would not change that.
    if (!(await this.applyReceiptIn(trx, receipt, receiptId)) && !receipt.correlationId) {
      // The receipt can overtake the send's own bookkeeping; retry the match from a job.
      await insertJob(trx, this.jobsQ, applyReceiptJob(row, receipt, receiptId), at);
      this.wakeWorker = true;
    }
    return { duplicate: false };
  }

  private async ingestInbound(trx: Trx, row: InboundRow, at: string): Promise<string> {
    const thread = await this.threadOf(trx, row, at);
    const id = timeOrderedId();
    // Only messages with media pay for the extra rows (SQLite's hot path leaves them to this one).
    const media =
      row[8] === NO_MEDIA ? row[8] : JSON.stringify(await insertMedia(trx, id, JSON.parse(row[8]), at));
    await trx.executeQuery(this.ingestQ.insertInbound.bind(inboundValues(row, id, thread.id, at, media)));
    const job = postCardJob(thread.id);
    // A new thread's card needs a linked channel; without one it waits (parked) for `link`.
    if (thread.conversation_id === null && !(await this.routes.load(trx)).has(row[2], row[5])) {
      await insertJob(trx, this.jobsQ, job, at, 'parked', noRouteReason(row));
    } else {
      const queued = await insertJob(trx, this.jobsQ, job, at);
      // Woken only for a new job: a waiting one of the thread posts this message too.
      if (queued.numAffectedRows) this.wakeWorker = true;
    }
    return id;
  }

  /**
   * The row's thread, created on the customer's first message. It is written again only when the
   * message changes it: another channel, or an opt-out.
   */
  private async threadOf(trx: Trx, row: InboundRow, at: string) {
    const key = threadKey(row);
    let thread = (await trx.executeQuery(this.ingestQ.findThread.bind(key))).rows[0];
    if (!thread) {
      thread = (await trx.executeQuery(this.ingestQ.insertThread.bind(threadValues(row, at)))).rows[0];
      // Another instance of the bot created it a moment ago (a store that several share).
      thread ??= (await trx.executeQuery(this.ingestQ.findThread.bind(key))).rows[0];
      if (!thread) throw new Error(`no thread for ${row[2]} ${row[5]} ${row[4]}`);
    }
    if (changesThread(row, thread)) {
      await trx.executeQuery(this.ingestQ.updateThread.bind(threadUpdate(row, thread.id, at)));
    }
    return thread;
  }

  async recordAgentReply(reply: AgentReply): Promise<IngestOutcome> {
    return this.writes.run(async (trx) => {
      if (!(await ops.claimKey(trx, `teams:${reply.activityId}`))) return { duplicate: true };
      const thread = await trx
        .selectFrom('threads')
        .selectAll()
        .where('id', '=', reply.threadId)
        .executeTakeFirstOrThrow();
      const id = await ops.insertOutbound(trx, this.jobsQ, thread.id, {
        provider: thread.provider,
        channel: replyChannel(thread.channel as MessageChannel),
        body: reply.text,
        authorName: reply.authorName,
        authorId: reply.authorId,
      });
      this.wakeWorker = true;
      return { duplicate: false, messageId: id };
    });
  }

  async recordNote(note: AgentNote): Promise<{ duplicate: boolean }> {
    return this.writes.run(async (trx) => ({ duplicate: !(await ops.insertNote(trx, note)) }));
  }

  async listNotes(threadId: string): Promise<Note[]> {
    const rows = await this.db
      .selectFrom('notes')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('created_at')
      .execute();
    return rows.map(toNote);
  }

  // ---- routes ---------------------------------------------------------------------------

  async addRoute(route: Omit<Route, 'id' | 'createdAt'>) {
    const result = await this.db.transaction().execute(async (trx) => {
      // Dropped inside the transaction: no ingest may park a message on the old routes after it.
      this.routes.invalidate();
      const existing = await trx
        .selectFrom('routes')
        .selectAll()
        .where('provider', '=', route.provider)
        .where('business_number', '=', route.businessNumber)
        .executeTakeFirst();
      const row: RoutesTable = {
        id: existing?.id ?? randomUUID(),
        provider: route.provider,
        business_number: route.businessNumber,
        teams_channel_id: route.teamsChannelId,
        channel_name: route.channelName ?? null,
        conversation_ref: JSON.stringify(route.conversationRef),
        created_by: route.createdBy ?? null,
        created_at: existing?.created_at ?? now(),
        team_id: route.team?.id ?? null,
        team_name: route.team?.name ?? null,
        group_id: route.team?.groupId ?? null,
      };
      if (existing) await trx.updateTable('routes').set(row).where('id', '=', existing.id).execute();
      else await trx.insertInto('routes').values(row).execute();
      // Messages that waited for a route go out now.
      const released = await trx
        .updateTable('jobs')
        .set({ state: 'pending', run_after: Date.now(), updated_at: now() })
        .where('state', '=', 'parked')
        .executeTakeFirst();
      return { route: toRoute(row), created: !existing, released: Number(released.numUpdatedRows) };
    });
    this.routes.invalidate();
    this.changes.notify();
    if (result.released > 0) this.onEnqueue();
    return result;
  }

  async removeRoutes(teamsChannelId: string, provider?: string, businessNumber?: string): Promise<number> {
    let q = this.db.deleteFrom('routes').where('teams_channel_id', '=', teamsChannelId);
    if (provider) q = q.where('provider', '=', provider);
    if (businessNumber) q = q.where('business_number', '=', businessNumber);
    this.routes.invalidate();
    const result = await q.executeTakeFirst();
    this.routes.invalidate();
    this.changes.notify();
    return Number(result.numDeletedRows);
  }

  async listRoutes(teamsChannelId?: string): Promise<Route[]> {
    let q = this.db.selectFrom('routes').selectAll().orderBy('created_at');
    if (teamsChannelId) q = q.where('teams_channel_id', '=', teamsChannelId);
    return (await q.execute()).map(toRoute);
  }

  async findRoute(provider: ProviderId, businessNumber: string): Promise<Route | undefined> {
    const rows = await this.db
      .selectFrom('routes')
      .selectAll()
      .where('provider', 'in', [provider, '*'])
      .where('business_number', 'in', [businessNumber, '*'])
      .execute();
    // The most specific route wins: exact provider and number, then number, then provider.
    const score = (r: RoutesTable) => (r.provider === '*' ? 0 : 2) + (r.business_number === '*' ? 0 : 1);
    const best = rows.sort((a, b) => score(b) - score(a))[0];
    return best ? toRoute(best) : undefined;
  }

  // ---- settings -------------------------------------------------------------------------

  pinnedTenant(): Promise<string | undefined> {
    return readSetting(this.db, 'pinned-tenant');
  }

  pinTenant(tenantId: string): Promise<string> {
    return keepFirstSetting(this.db, 'pinned-tenant', tenantId);
  }

  // ---- threads and messages -------------------------------------------------------------

  async getThread(id: string): Promise<Thread | undefined> {
    const row = await this.threads().where('id', '=', id).executeTakeFirst();
    return row ? toThread(row) : undefined;
  }

  async getThreadByConversation(conversationId: string): Promise<Thread | undefined> {
    const row = await this.threads().where('conversation_id', '=', conversationId).executeTakeFirst();
    return row ? toThread(row) : undefined;
  }

  /** Threads with the provider id of their latest inbound message (what a threaded reply answers). */
  private threads() {
    return this.db
      .selectFrom('threads')
      .selectAll()
      .select((eb) =>
        eb
          .selectFrom('messages')
          .select('provider_message_id')
          .whereRef('messages.thread_id', '=', 'threads.id')
          .where('direction', '=', sql.lit('inbound'))
          .orderBy('created_at', 'desc')
          .limit(1)
          .as('latest_inbound_id'),
      );
  }

  async setThreadPosted(
    id: string,
    conversationId: string,
    rootActivityId: string,
    ref: ConversationRefJson,
    rootMessageIds: string | readonly string[] = [],
  ) {
    const ids = typeof rootMessageIds === 'string' ? [rootMessageIds] : rootMessageIds;
    // One transaction: a crash cannot leave the thread posted and its root message without the
    // card's id (the retry would post that message again, as a reply).
    await this.writes.run(async (trx) => {
      const at = now();
      await trx
        .updateTable('threads')
        .set({
          conversation_id: conversationId,
          root_activity_id: rootActivityId,
          conversation_ref: JSON.stringify(ref),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      if (ids.length > 0) {
        await trx
          .updateTable('messages')
          .set({ teams_activity_id: rootActivityId, updated_at: at })
          .where('id', 'in', ids)
          .execute();
      }
    });
  }

  async getMessage(id: string): Promise<Message | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMessage(row) : undefined;
  }

  async findMessage(id: string): Promise<Message | undefined> {
    const mine = await this.getMessage(id);
    if (mine) return mine;
    const row = await this.db
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
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('id', 'like', `%${shortId.toLowerCase()}`)
      .orderBy('created_at', 'desc')
      .limit(5)
      .execute();
    return rows.map(toMessage);
  }

  // ---- agent actions (conversation-ops.ts) ------------------------------------------------

  private agentWrite<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.writes.run(async (trx) => {
      const result = await fn(trx);
      this.wakeWorker = true;
      return result;
    });
  }

  setThreadState(threadId: string, state: ThreadState): Promise<boolean> {
    return this.agentWrite((trx) => ops.setThreadState(trx, this.jobsQ, threadId, state));
  }

  setAssignee(threadId: string, assignee: Assignee | undefined): Promise<boolean> {
    return this.agentWrite((trx) => ops.setAssignee(trx, this.jobsQ, threadId, assignee));
  }

  async setOptOut(number: string, optedOut: boolean, by: string): Promise<{ threads: number }> {
    return { threads: await this.agentWrite((trx) => ops.setOptOut(trx, this.jobsQ, number, optedOut, by)) };
  }

  isOptedOut(number: string): Promise<boolean> {
    return this.db.transaction().execute((trx) => ops.isOptedOut(trx, number));
  }

  startConversation(req: NewConversation) {
    return this.agentWrite((trx) => ops.startConversation(trx, this.jobsQ, req));
  }

  retryMessage(messageId: string, author: { authorName: string; authorId?: string }) {
    return this.agentWrite((trx) => ops.retryMessage(trx, this.jobsQ, messageId, author));
  }

  async listMessages(threadId: string): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('created_at')
      .execute();
    return rows.map(toMessage);
  }

  async getMedia(id: string): Promise<StoredMedia | undefined> {
    const row = await this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      messageId: row.message_id,
      ...(row.content_type ? { contentType: row.content_type } : {}),
      ...(row.name ? { name: row.name } : {}),
      ...(row.size !== null ? { size: Number(row.size) } : {}),
      ...(row.data !== null ? { data: Buffer.from(row.data, 'base64') } : {}),
      ...(row.url ? { url: row.url } : {}),
    };
  }

  async listUncarded(threadId: string): Promise<Message[]> {
    const rows = await this.db
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
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('teams_activity_id', '=', activityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toMessage);
  }

  async lastCarded(threadId: string): Promise<Message | undefined> {
    const row = await this.db
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
    await this.writes.run((trx) => trx.updateTable('messages').set(set).where('id', 'in', list).execute());
  }

  private async updateMessage(id: string, set: Partial<MessagesTable>): Promise<void> {
    await this.writes.run((trx) => trx.updateTable('messages').set(set).where('id', '=', id).execute());
  }

  async applyStatus(id: string, update: StatusUpdate): Promise<boolean> {
    return this.writes.run(async (trx) => {
      const changed = await this.applyStatusIn(trx, id, update);
      if (changed) this.wakeWorker = true;
      return changed;
    });
  }

  async applyReceipt(receipt: DeliveryReceipt, receiptRow?: number): Promise<boolean> {
    return this.writes.run((trx) => this.applyReceiptIn(trx, receipt, receiptRow));
  }

  async listReceipts(messageId: string): Promise<StoredReceipt[]> {
    const rows = await this.db
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

  private async applyReceiptIn(trx: Trx, receipt: DeliveryReceipt, receiptRow?: number): Promise<boolean> {
    let row: Pick<Selectable<MessagesTable>, 'id'> | undefined;
    if (receipt.correlationId) {
      row = await trx
        .selectFrom('messages')
        .select('id')
        .where('id', '=', receipt.correlationId)
        .where('direction', '=', 'outbound')
        .executeTakeFirst();
    }
    row ??= await trx
      .selectFrom('messages')
      .select('id')
      .where('provider', '=', receipt.provider)
      .where('provider_message_id', '=', receipt.providerMessageId)
      // A literal, so the partial index messages_provider_id applies (see migrations.ts).
      .where('direction', '=', sql.lit('outbound'))
      .executeTakeFirst();
    if (!row) return false;
    if (receiptRow !== undefined) {
      await trx.updateTable('receipts').set({ message_id: row.id }).where('id', '=', receiptRow).execute();
    }
    const changed = await this.applyStatusIn(trx, row.id, {
      status: receipt.status,
      vendorStatus: receipt.vendorStatus,
      code: receipt.code,
      reason: receipt.reason,
      at: receipt.at,
      providerMessageId: receipt.providerMessageId,
      ...(receipt.channel ? { channel: receipt.channel } : {}),
      ...(receipt.note ? { note: receipt.note } : {}),
    });
    if (changed) this.wakeWorker = true;
    return true;
  }

  private async applyStatusIn(trx: Trx, id: string, update: StatusUpdate): Promise<boolean> {
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
    await insertJob(
      trx,
      this.jobsQ,
      // Debounced: the receipts that follow within a moment go out in the same update.
      updateCardJob(row.thread_id, id, true),
      now(),
    );
    return true;
  }

  // ---- jobs -----------------------------------------------------------------------------

  async enqueue(job: NewJob): Promise<void> {
    await this.writes.run(async (trx) => {
      await insertJob(trx, this.jobsQ, job, now());
      this.wakeWorker = true;
    });
  }

  async claimJobs(owner: string, limit: number, leaseMs: number): Promise<Job[]> {
    if (limit <= 0) return [];
    return this.writes.run(async (trx) => {
      const at = Date.now();
      if (at >= this.leaseCheckAt) {
        // Leases of a process that died come back to the queue.
        this.leaseCheckAt = at + LEASE_CHECK_MS;
        await releaseRunning(trx, at);
      }
      const { rows } = await trx.executeQuery(
        this.jobsQ.claim.bind({
          owner,
          until: at + leaseMs,
          now: at,
          at: new Date(at).toISOString(),
          limit,
        }),
      );
      if (rows.length === 0) return [];
      this.leaseCheckAt = Math.min(this.leaseCheckAt, at + leaseMs + 1);
      return rows.map(toJob).sort((a, b) => a.id - b.id);
    });
  }

  async completeJob(id: number): Promise<void> {
    await this.finishJob(id, 'done', null);
  }

  async failJob(id: number, error: string): Promise<void> {
    await this.finishJob(id, 'failed', error);
  }

  async parkJob(id: number, reason: string): Promise<void> {
    await this.writes.run(async (trx) => {
      // A job queued for the same thing while this one ran covers it, and waits in its place.
      const covered = await waitingCopy(trx, id);
      await trx
        .updateTable('jobs')
        .set({
          state: covered ? 'done' : 'parked',
          lease_owner: null,
          lease_until: null,
          last_error: reason,
          // Waiting for a route is not a failed attempt: the claim that found no route gives its
          // attempt back, or every unrelated `link` (which releases parked jobs) would use one up.
          attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end`,
          updated_at: now(),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  private async finishJob(id: number, state: JobState, error: string | null): Promise<void> {
    await this.writes.run((trx) => trx.executeQuery(this.jobsQ.finish.bind({ id, state, error, at: now() })));
  }

  async retryJob(id: number, runAfter: number, error: string): Promise<void> {
    await this.writes.run(async (trx) => {
      // A newer waiting job for the same thing does the same work (coalesced card updates).
      const covered = await waitingCopy(trx, id);
      await trx
        .updateTable('jobs')
        .set({
          state: covered ? 'done' : 'pending',
          run_after: runAfter,
          lease_owner: null,
          lease_until: null,
          last_error: error,
          updated_at: now(),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async renewLeases(owner: string, until: number): Promise<number> {
    const result = await this.writes.run((trx) =>
      trx
        .updateTable('jobs')
        .set({ lease_until: until })
        .where('state', '=', 'running')
        .where('lease_owner', '=', owner)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async releaseLeases(cause?: StopCause): Promise<number> {
    return this.writes.run((trx) => releaseRunning(trx, undefined, cause));
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('run_after').as('due'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row?.due == null ? undefined : Number(row.due);
  }

  async countJobs(state?: JobState): Promise<number> {
    let q = this.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n'));
    if (state) q = q.where('state', '=', state);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

// ---- helpers shared by the transactions above -------------------------------------------

/** Whether another job of the same kind and ref waits (pending or parked) besides job `id`. */
async function waitingCopy(trx: Db, id: number): Promise<boolean> {
  const copy = await trx
    .selectFrom('jobs as j')
    .innerJoin('jobs as w', (join) => join.onRef('w.kind', '=', 'j.kind').onRef('w.ref', '=', 'j.ref'))
    .select('w.id')
    .where('j.id', '=', id)
    .where('w.id', '!=', id)
    .where('w.state', 'in', WAITING)
    .executeTakeFirst();
  return copy !== undefined;
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
