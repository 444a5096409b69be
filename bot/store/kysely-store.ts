/**
 * The Store over Kysely, one class for both databases. Each concern lives in a file of its own:
 * ingest and dedupe (ingest-store.ts), threads (thread-store.ts), messages and delivery status
 * (message-store.ts, status-ops.ts), jobs and leases (job-store.ts), routes and tenants
 * (route-store.ts), media (media-store.ts). What they share is store-core.ts; what differs between
 * SQLite and PostgreSQL is dialect.ts. sqlite.ts and postgres.ts open the connection.
 */
import type { Kysely } from 'kysely';
import type { DeliveryReceipt, ProviderId, WebhookEvent } from '../../adapters/types.ts';
import type { StopCause } from '../crash-record.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { StoreDialect } from './dialect.ts';
import { type IngestRow, toIngestRows } from './ingest-rows.ts';
import { IngestStore } from './ingest-store.ts';
import { JobStore } from './job-store.ts';
import { readMedia, type StoredMedia } from './media-store.ts';
import { MessageStore } from './message-store.ts';
import { type MigrationReport, migrateToLatest } from './migrate.ts';
import { type Erased, eraseOlderThan } from './retention.ts';
import { RouteStore } from './route-store.ts';
import type { Database } from './schema.ts';
import { StoreCore, type StoreCoreOptions } from './store-core.ts';
import { ThreadStore } from './thread-store.ts';
import type {
  AgentNote,
  AgentReply,
  Assignee,
  ConversationRefJson,
  IngestOutcome,
  Job,
  JobKind,
  JobState,
  NewConversation,
  NewJob,
  Route,
  StatusUpdate,
  Store,
  ThreadState,
} from './types.ts';

export { now, type Trx } from './store-core.ts';

export class KyselyStore implements Store {
  protected readonly core: StoreCore;
  protected readonly ingester: IngestStore;
  private readonly threadStore: ThreadStore;
  private readonly messages: MessageStore;
  private readonly jobs: JobStore;
  private readonly routeStore: RouteStore;
  private migrated = false;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: StoreDialect,
    options: StoreCoreOptions = {},
  ) {
    this.core = new StoreCore(db, dialect, options);
    this.ingester = new IngestStore(this.core);
    this.threadStore = new ThreadStore(this.core);
    this.messages = new MessageStore(this.core);
    this.jobs = new JobStore(this.core);
    this.routeStore = new RouteStore(this.core);
  }

  /** Raised after every commit (the Inbox's live updates read what changed). */
  get changes(): ChangeFeed {
    return this.core.changes;
  }

  /** Jobs taken back from leases that ran out, since this process started. */
  get leaseTakeovers(): number {
    return this.jobs.takeovers;
  }

  /** Called after a commit that enqueued work, so an idle worker wakes at once. */
  setOnEnqueue(fn: () => void): void {
    this.core.setOnEnqueue(fn);
  }

  /** What the last migrate() applied, and the latest migration there is. */
  migrations: MigrationReport = { applied: [], latest: '' };

  async migrate(): Promise<void> {
    this.migrations = await migrateToLatest(this.db);
    this.migrated = true;
  }

  async ready(): Promise<void> {
    if (!this.migrated) throw new Error('migrations have not been applied');
    await this.db.selectFrom('events').select('key').limit(1).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ---- ingest and dedupe (ingest-store.ts) ------------------------------------------------

  async ingest(events: WebhookEvent[]): Promise<IngestOutcome[]> {
    if (events.length === 0) return [];
    return this.ingestRows(toIngestRows(events));
  }

  ingestRows(rows: IngestRow[]): Promise<IngestOutcome[]> {
    return this.ingester.ingestRows(rows);
  }

  recordAgentReply(reply: AgentReply): Promise<IngestOutcome> {
    return this.ingester.recordAgentReply(reply);
  }

  recordNote(note: AgentNote) {
    return this.ingester.recordNote(note);
  }

  listNotes(threadId: string) {
    return this.ingester.listNotes(threadId);
  }

  // ---- routes and tenants (route-store.ts) -----------------------------------------------

  addRoute(route: Omit<Route, 'id' | 'createdAt'>) {
    return this.routeStore.addRoute(route);
  }

  removeRoutes(teamsChannelId: string, provider?: string, businessNumber?: string) {
    return this.routeStore.removeRoutes(teamsChannelId, provider, businessNumber);
  }

  listRoutes(teamsChannelId?: string) {
    return this.routeStore.listRoutes(teamsChannelId);
  }

  findRoute(provider: ProviderId, businessNumber: string) {
    return this.routeStore.findRoute(provider, businessNumber);
  }

  pinnedTenant() {
    return this.routeStore.pinnedTenant();
  }

  pinTenant(tenantId: string) {
    return this.routeStore.pinTenant(tenantId);
  }

  claimNotice(key: string, now: number, everyMs: number) {
    return this.routeStore.claimNotice(key, now, everyMs);
  }

  // ---- threads (thread-store.ts) ---------------------------------------------------------

  getThread(id: string) {
    return this.threadStore.getThread(id);
  }

  getThreadByConversation(conversationId: string) {
    return this.threadStore.getThreadByConversation(conversationId);
  }

  setThreadPosted(
    id: string,
    conversationId: string,
    rootActivityId: string,
    ref: ConversationRefJson,
    rootMessageIds?: string | readonly string[],
  ) {
    return this.threadStore.setThreadPosted(id, conversationId, rootActivityId, ref, rootMessageIds);
  }

  setThreadState(threadId: string, state: ThreadState) {
    return this.threadStore.setThreadState(threadId, state);
  }

  setAssignee(threadId: string, assignee: Assignee | undefined) {
    return this.threadStore.setAssignee(threadId, assignee);
  }

  setOptOut(number: string, optedOut: boolean, by: string) {
    return this.threadStore.setOptOut(number, optedOut, by);
  }

  isOptedOut(number: string) {
    return this.threadStore.isOptedOut(number);
  }

  startConversation(req: NewConversation) {
    return this.threadStore.startConversation(req);
  }

  retryMessage(messageId: string, author: { authorName: string; authorId?: string }) {
    return this.threadStore.retryMessage(messageId, author);
  }

  // ---- messages and delivery status (message-store.ts) -------------------------------------

  getMessage(id: string) {
    return this.messages.getMessage(id);
  }

  findMessage(id: string) {
    return this.messages.findMessage(id);
  }

  findMessagesByShortId(shortId: string) {
    return this.messages.findMessagesByShortId(shortId);
  }

  listMessages(threadId: string) {
    return this.messages.listMessages(threadId);
  }

  listUncarded(threadId: string) {
    return this.messages.listUncarded(threadId);
  }

  markCardStarted(ids: string | readonly string[]) {
    return this.messages.markCardStarted(ids);
  }

  setMessageCard(ids: string | readonly string[], activityId: string, cardState?: string) {
    return this.messages.setMessageCard(ids, activityId, cardState);
  }

  setCardState(id: string, cardState: string) {
    return this.messages.setCardState(id, cardState);
  }

  listCardMessages(activityId: string) {
    return this.messages.listCardMessages(activityId);
  }

  lastCarded(threadId: string) {
    return this.messages.lastCarded(threadId);
  }

  markSendStarted(id: string) {
    return this.messages.markSendStarted(id);
  }

  clearSendStarted(id: string) {
    return this.messages.clearSendStarted(id);
  }

  applyStatus(id: string, update: StatusUpdate) {
    return this.messages.applyStatus(id, update);
  }

  applyReceipt(receipt: DeliveryReceipt, receiptRow?: number) {
    return this.messages.applyReceipt(receipt, receiptRow);
  }

  listReceipts(messageId: string) {
    return this.messages.listReceipts(messageId);
  }

  getMedia(id: string): Promise<StoredMedia | undefined> {
    return readMedia(this.db, id);
  }

  // ---- jobs and leases (job-store.ts) ---------------------------------------------------------

  enqueue(job: NewJob) {
    return this.jobs.enqueue(job);
  }

  claimJobs(owner: string, limit: number, leaseMs: number, kinds?: readonly JobKind[]): Promise<Job[]> {
    return this.jobs.claimJobs(owner, limit, leaseMs, kinds);
  }

  completeJob(id: number) {
    return this.jobs.completeJob(id);
  }

  retryJob(id: number, runAfter: number, error: string) {
    return this.jobs.retryJob(id, runAfter, error);
  }

  failJob(id: number, error: string) {
    return this.jobs.failJob(id, error);
  }

  parkJob(id: number, reason: string) {
    return this.jobs.parkJob(id, reason);
  }

  releaseLeases(cause?: StopCause, owner?: string) {
    return this.jobs.releaseLeases(cause, owner);
  }

  renewLeases(owner: string, until: number) {
    return this.jobs.renewLeases(owner, until);
  }

  nextDueAt(kinds?: readonly JobKind[]) {
    return this.jobs.nextDueAt(kinds);
  }

  oldestDueWaitMs() {
    return this.jobs.oldestDueWaitMs();
  }

  /** RETENTION_DAYS: erases what messages said before `cutoff` (retention.ts). */
  eraseOlderThan(cutoff: Date): Promise<Erased> {
    return eraseOlderThan(this.core, cutoff);
  }

  countJobs(state?: JobState) {
    return this.jobs.countJobs(state);
  }
}
