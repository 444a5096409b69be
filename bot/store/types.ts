/** The store's domain types and the async, dialect-neutral Store interface. */
import type {
  DeliveryReceipt,
  DeliveryStatus,
  MediaItem,
  MessageChannel,
  ProviderId,
  SendOptions,
  WebhookEvent,
} from '../../adapters/types.ts';
import type { StopCause } from '../crash-record.ts';
import type { IngestRow } from './ingest-rows.ts';

/** Serializable Teams conversation reference (botbuilder's ConversationReference, as JSON). */
export type ConversationRefJson = Record<string, unknown>;

export interface Route {
  id: string;
  provider: ProviderId | '*';
  businessNumber: string;
  teamsChannelId: string;
  channelName?: string;
  conversationRef: ConversationRefJson;
  createdBy?: string;
  createdAt: string;
  /** The team the channel belongs to, as Teams named it when the channel was linked. */
  team?: RouteTeam;
}

export interface RouteTeam {
  /** Bot Framework team id (the General channel's conversation id). */
  id: string;
  name?: string;
  /** The team's Entra group id (deep links want it). */
  groupId?: string;
}

export type ThreadState = 'open' | 'resolved';

export interface Thread {
  id: string;
  provider: ProviderId;
  businessNumber: string;
  customerNumber: string;
  channel: MessageChannel;
  conversationId?: string;
  rootActivityId?: string;
  conversationRef?: ConversationRefJson;
  state: ThreadState;
  assignee?: string;
  /** The assignee's Entra object id, when the claim came with one. */
  assigneeId?: string;
  optedOut: boolean;
  lastInboundId?: string;
  createdAt: string;
}

export type MessageDirection = 'inbound' | 'outbound';
/** Inbound messages are `received`; outbound ones move through DeliveryStatus. */
/**
 * `unconfirmed`: a send whose outcome cannot be known (the provider did not answer and cannot be
 * asked); it is not sent again by itself, and the card offers Retry.
 */
export type MessageStatus = DeliveryStatus | 'received' | 'unconfirmed';

export interface TimelineEntry {
  status: MessageStatus;
  at: string;
  vendorStatus?: string;
  code?: string;
  /** Not a status change but worth showing: "Fell back to SMS: …". */
  note?: string;
}

export interface Message {
  id: string;
  threadId: string;
  direction: MessageDirection;
  provider: ProviderId;
  channel: MessageChannel;
  body: string;
  media: MediaItem[];
  authorName?: string;
  authorId?: string;
  optOut: boolean;
  status: MessageStatus;
  vendorStatus?: string;
  statusCode?: string;
  reason?: string;
  timeline: TimelineEntry[];
  providerMessageId?: string;
  teamsActivityId?: string;
  sendStartedAt?: string;
  cardStartedAt?: string;
  /** What its card showed when last posted or updated: an update that would change nothing is skipped. */
  cardState?: string;
  /** The message a Retry sent in this one's place. */
  retriedAs?: string;
  /** Set on a WhatsApp template message: its send sends this template. */
  template?: TemplateRef;
  /** The agent's per-send options (Sinch metadata, Retarus job options). */
  options?: SendOptions;
  /** When RETENTION_DAYS erased its text (the body is then empty). */
  erasedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export type JobKind = 'post-card' | 'send' | 'update-card' | 'apply-receipt' | 'poll-status';
export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'parked';

export interface Job {
  id: number;
  kind: JobKind;
  lane: string;
  ref: string;
  payload: Record<string, unknown>;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAfter: number;
  lastError?: string;
}

export interface NewJob {
  kind: JobKind;
  lane: string;
  ref: string;
  payload?: Record<string, unknown>;
  maxAttempts?: number;
  runAfter?: number;
}

export interface IngestOutcome {
  duplicate: boolean;
  messageId?: string;
}

export interface AgentReply {
  /** Teams activity id of the agent's message: the dedupe key of Teams redeliveries. */
  activityId: string;
  threadId: string;
  text: string;
  authorName: string;
  authorId?: string;
}

/** An agent's post in a customer thread without the bot's mention: never sent to the customer. */
export interface AgentNote {
  /** Teams activity id of the post: the dedupe key of Teams redeliveries. */
  activityId: string;
  threadId: string;
  text: string;
  authorName: string;
  authorId?: string;
  at?: string;
}

export interface Note {
  id: string;
  threadId: string;
  body: string;
  authorName?: string;
  authorId?: string;
  createdAt: string;
}

/** Who claims a thread: the name cards show, the Entra object id "Mine" compares. */
export interface Assignee {
  name: string;
  id?: string;
}

export interface StatusUpdate {
  status: DeliveryStatus | 'unconfirmed';
  vendorStatus?: string;
  code?: string;
  reason?: string;
  at: string;
  providerMessageId?: string;
  /** The channel the message now goes out on (RCS that fell back to SMS). */
  channel?: MessageChannel;
  note?: string;
}

export interface StoredReceipt {
  status: MessageStatus;
  vendorStatus: string;
  code?: string;
  reason?: string;
  at: string;
  raw: unknown;
}

/** A WhatsApp template as a message sends it. */
export interface TemplateRef {
  /** The provider's template id (SmartDialog's TemplateName takes the id). */
  id: string;
  name: string;
  language?: string;
  bodyParameters: string[];
}

export interface NewConversation {
  provider: ProviderId;
  businessNumber: string;
  customerNumber: string;
  channel: MessageChannel;
  text: string;
  authorName: string;
  authorId?: string;
  /** Makes the command idempotent: the same key never sends twice. */
  dedupeKey: string;
  /** Sends this WhatsApp template instead of free text (`text` is then its rendered body). */
  template?: TemplateRef;
  options?: SendOptions;
}

export type { StoredMedia } from './media-store.ts';

export interface Store {
  migrate(): Promise<void>;
  /** Resolves when the store answers and migrations are applied. */
  ready(): Promise<void>;
  close(): Promise<void>;

  /** Dedupes, writes and enqueues the follow-up jobs of webhook events, in one transaction. */
  ingest(events: WebhookEvent[]): Promise<IngestOutcome[]>;
  /** The same, for events already turned into rows (the webhook routes: see ingest-rows.ts). */
  ingestRows(rows: IngestRow[]): Promise<IngestOutcome[]>;
  /** Records an agent's answer and enqueues its card and its send; idempotent per activity. */
  recordAgentReply(reply: AgentReply): Promise<IngestOutcome>;
  /** Keeps an internal note of a thread (nothing is sent); idempotent per activity. */
  recordNote(note: AgentNote): Promise<{ duplicate: boolean }>;
  listNotes(threadId: string): Promise<Note[]>;

  addRoute(
    route: Omit<Route, 'id' | 'createdAt'>,
  ): Promise<{ route: Route; created: boolean; released: number }>;
  removeRoutes(teamsChannelId: string, provider?: string, businessNumber?: string): Promise<number>;
  listRoutes(teamsChannelId?: string): Promise<Route[]>;
  findRoute(provider: ProviderId, businessNumber: string): Promise<Route | undefined>;

  getThread(id: string): Promise<Thread | undefined>;
  getThreadByConversation(conversationId: string): Promise<Thread | undefined>;
  /** Records the thread's Teams post and, with `rootMessageId`, that message's card, together. */
  setThreadPosted(
    id: string,
    conversationId: string,
    rootActivityId: string,
    ref: ConversationRefJson,
    rootMessageIds?: string | readonly string[],
  ): Promise<void>;

  getMessage(id: string): Promise<Message | undefined>;
  /** By our id, else by the provider's message id. */
  findMessage(id: string): Promise<Message | undefined>;
  /** Our messages whose id ends in `shortId` (the short id cards show), newest first, at most 5. */
  findMessagesByShortId(shortId: string): Promise<Message[]>;
  setThreadState(threadId: string, state: ThreadState): Promise<boolean>;
  setAssignee(threadId: string, assignee: Assignee | undefined): Promise<boolean>;
  /** Opts a customer number out (or back in) on every thread; returns how many threads changed. */
  setOptOut(number: string, optedOut: boolean, by: string): Promise<{ threads: number }>;
  isOptedOut(number: string): Promise<boolean>;
  startConversation(
    req: NewConversation,
  ): Promise<{ duplicate: true } | { duplicate: false; messageId: string; threadId: string }>;
  /** Idempotent per message: a second call creates nothing. */
  retryMessage(
    messageId: string,
    author: { authorName: string; authorId?: string },
  ): Promise<{ duplicate: true } | { duplicate: false; messageId: string }>;
  listMessages(threadId: string): Promise<Message[]>;
  /** Stored inbound media by our id (GET /media/<id>). */
  getMedia(id: string): Promise<import('./media-store.ts').StoredMedia | undefined>;
  /** The thread's messages that have no card in Teams yet, oldest first. */
  listUncarded(threadId: string): Promise<Message[]>;
  markCardStarted(ids: string | readonly string[]): Promise<void>;
  /** Records the card that shows these messages (one card may show several), and what it shows. */
  setMessageCard(ids: string | readonly string[], activityId: string, cardState?: string): Promise<void>;
  /** What a message's card shows after an update. */
  setCardState(id: string, cardState: string): Promise<void>;
  /** The messages one card shows, oldest first. */
  listCardMessages(activityId: string): Promise<Message[]>;
  /** The thread's latest message that has a card. */
  lastCarded(threadId: string): Promise<Message | undefined>;
  markSendStarted(id: string): Promise<void>;
  /** The provider answered that it took nothing: the send is no longer in doubt. */
  clearSendStarted(id: string): Promise<void>;
  /** Moves a message forward (never backwards); enqueues a card update when it changed. */
  applyStatus(id: string, update: StatusUpdate): Promise<boolean>;
  /** Applies a receipt to its message; false when no message is known for it (yet). */
  applyReceipt(receipt: DeliveryReceipt, receiptRow?: number): Promise<boolean>;
  /** Every receipt received for a message, oldest first, as the provider sent it. */
  listReceipts(messageId: string): Promise<StoredReceipt[]>;

  /** The pinned Teams tenant (bot/tenant-policy.ts), if one is. */
  pinnedTenant(): Promise<string | undefined>;
  /** Pins `tenantId` unless a tenant is pinned already; returns the pinned one either way. */
  pinTenant(tenantId: string): Promise<string>;
  /**
   * True when notice `key` may be given now: it was not given in the last `everyMs` (by any
   * instance of a shared store); the caller that gets true gives it.
   */
  claimNotice(key: string, now: number, everyMs: number): Promise<boolean>;

  enqueue(job: NewJob): Promise<void>;
  /** Leases up to `limit` due jobs, one per lane, oldest first. */
  /** Of the given kinds only, when `kinds` names some (the worker's pools). */
  claimJobs(owner: string, limit: number, leaseMs: number, kinds?: readonly JobKind[]): Promise<Job[]>;
  completeJob(id: number): Promise<void>;
  retryJob(id: number, runAfter: number, error: string): Promise<void>;
  failJob(id: number, error: string): Promise<void>;
  parkJob(id: number, reason: string): Promise<void>;
  /**
   * Returns jobs of a dead or stopped process to the queue (single-instance stores call it at
   * start; on a shared store an instance releases only its own, `owner`); `cause` decides whether
   * their claim still counts as an attempt (crash-record.ts).
   */
  releaseLeases(cause?: StopCause, owner?: string): Promise<number>;
  /** Extends the leases of the jobs `owner` is running to `until`; returns how many. */
  renewLeases(owner: string, until: number): Promise<number>;
  /** The earliest run_after of pending jobs, for the worker's sleep. */
  nextDueAt(kinds?: readonly JobKind[]): Promise<number | undefined>;
  countJobs(state?: JobState): Promise<number>;
}
