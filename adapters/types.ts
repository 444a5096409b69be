/**
 * The normalized model every provider adapter speaks. The bot only ever sees these types;
 * vendor shapes stay inside adapters/<provider>/.
 */

/** `sandbox` is the credential-free provider for trying the bot locally (adapters/sandbox). */
export type ProviderId = 'sinch' | 'sinch-conversation' | 'retarus' | 'smartdialog' | 'sandbox';

export type MessageChannel = 'sms' | 'mms' | 'rcs' | 'whatsapp';

/**
 * Monotonic delivery state. queued < sent < delivered < read; failed, expired, rejected and
 * cancelled are terminal. `unknown` never overrides a known state.
 */
export type DeliveryStatus =
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'expired'
  | 'rejected'
  | 'cancelled'
  | 'unknown';

export interface MediaItem {
  /** A URL the provider serves, or a data: URL for media that arrived inline (Sinch MMS base64). */
  url?: string;
  contentType?: string;
  name?: string;
  /** Size in bytes of inline data, when known. */
  size?: number;
  /** The bytes, base64, of media that arrived inline (Sinch MMS); the store keeps them apart. */
  data?: string;
  /** Our id of the stored media, once stored (the card links GET /media/<id>). */
  id?: string;
  /** Set when the bytes were over MEDIA_MAX_BYTES and not kept. */
  tooLarge?: boolean;
}

/** A customer's message to one of our business numbers. */
export interface InboundMessage {
  kind: 'inbound';
  provider: ProviderId;
  /** The provider's id for this event; the dedupe key (Sinch: reply_id / notification_id). */
  providerMessageId: string;
  /** Customer number, E.164 where the provider gives one. */
  from: string;
  /** Business number or sender id the customer wrote to. */
  to: string;
  channel: MessageChannel;
  text: string;
  media: MediaItem[];
  /** ISO-8601 time the provider received it. */
  receivedAt: string;
  /** Set when this is the provider's opt-out notification (or a STOP keyword it reports as such). */
  optOut?: boolean;
  /** Our message id when the provider links this reply to one of our sends (Sinch metadata). */
  correlationId?: string;
  raw: unknown;
}

/** A status change of one of our outbound messages. */
export interface DeliveryReceipt {
  kind: 'receipt';
  provider: ProviderId;
  providerMessageId: string;
  /** Recipient id or number where the provider has one per recipient. */
  recipient?: string;
  /** The provider's id for this receipt; the dedupe key. */
  receiptId: string;
  status: DeliveryStatus;
  /** The provider's own status word, kept for the timeline. */
  vendorStatus: string;
  code?: string;
  /** A failure reason in plain words, when the status or code gives one. */
  reason?: string;
  /** The channel the provider says the message is going out on, when it names one. */
  channel?: MessageChannel;
  /** Not an outcome but worth showing: "Fell back to SMS: …". */
  note?: string;
  at: string;
  /** Our message id, when the provider echoes it (Sinch metadata, Retarus customerRef, …). */
  correlationId?: string;
  raw: unknown;
}

export type WebhookEvent = InboundMessage | DeliveryReceipt;

/** What the HTTP layer hands to an adapter: everything needed to verify and parse. */
export interface WebhookRequest {
  method: string;
  /** Path plus query string, as received (needed for signature request lines). */
  url: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  contentType: string;
  rawBody: Buffer;
}

/**
 * Per-send options that only some providers take (Provider.sendOptions says which); the bot
 * refuses an option the chosen provider cannot honour rather than drop it.
 */
export interface SendOptions {
  /** Sinch metadata pairs, echoed on every report (besides our own id). */
  metadata?: Record<string, string>;
  /** Retarus job options (providers README §2.3). */
  flash?: boolean;
  /** 0 is the provider's default, else 5..2880. */
  validityMinutes?: number;
  billcode?: string;
  /** ISO-8601 intervals `start/end`. */
  blackoutPeriods?: string[];
  qos?: 'EXPRESS' | 'NORMAL';
  /** 1..20; the bot refuses a text that needs more. */
  maxParts?: number;
}

export interface OutboundRequest {
  provider: ProviderId;
  /** Sender; the provider's configured default when absent. */
  from?: string;
  to: string;
  text: string;
  channel: MessageChannel;
  media?: string[];
  /** Our message id, carried round-trip so receipts find their message. */
  correlationId: string;
  /** Stable per logical send; providers with request dedupe get it (Retarus, SmartDialog). */
  idempotencyKey: string;
  /** Provider message id of the customer message this answers, for threaded replies. */
  replyTo?: string;
  options?: SendOptions;
}

export interface TextLimit {
  /** Characters (Unicode code points). */
  maxChars?: number;
  /** SMS segments as carriers count them (GSM-7 153 a part, UCS-2 67). */
  maxSegments?: number;
  /** Where the limit comes from, for the agent: "Sinch takes at most 5,000 characters". */
  source: string;
}

export interface SendResult {
  correlationId: string;
  providerMessageId: string;
  status: DeliveryStatus;
  vendorStatus?: string;
}

export interface StatusResult {
  providerMessageId: string;
  status: DeliveryStatus;
  vendorStatus: string;
  code?: string;
  reason?: string;
  raw: unknown;
}

export interface Provider {
  readonly id: ProviderId;
  /** Most messages one send call may carry (Sinch: 100). */
  readonly maxBatch: number;
  /** The sender used when a request names none, for display. */
  readonly defaultSender?: string;
  /** The channel a conversation the bot starts goes out on; SMS when absent. */
  readonly defaultChannel?: MessageChannel;
  /** The SendOptions this provider honours. */
  readonly sendOptions?: ReadonlyArray<keyof SendOptions>;
  /** Webhooks must carry the provider's own signature; the shared secret alone is not enough. */
  readonly requiresSignature?: boolean;
  /**
   * The longest text each channel takes without the provider refusing or cutting it; a channel
   * that is not listed is not sent on by this provider. The bot checks before queueing.
   */
  readonly textLimits: Partial<Record<MessageChannel, TextLimit>>;
  /** Its customers' numbers are fictional (the sandbox's +1 555 01xx): only their form is checked. */
  readonly fictionalNumbers?: boolean;
  /**
   * A send repeated with the same idempotency key is taken once (Retarus duplicateDetection,
   * SmartDialog RequestId): after an answer that never came, sending again is safe.
   */
  readonly idempotentSends?: boolean;
  /** What customers write to when it is not a number (Sinch Conversation: the app id). */
  readonly businessId?: string;
  /** Sends all requests; resolves with one result per request, in order. */
  send(requests: OutboundRequest[]): Promise<SendResult[]>;
  getStatus(providerMessageId: string): Promise<StatusResult>;
  /**
   * Finds a message we may have sent before a crash, by our correlation id, so an interrupted
   * send is not repeated. Resolves undefined when the provider has no record of it.
   */
  findSent?(request: OutboundRequest, since: Date): Promise<SendResult | undefined>;
  /**
   * Parses a webhook (a POST body, or the query of a GET callback such as SmartDialog's DlrUrl).
   * Throws WebhookParseError naming the field that is wrong.
   */
  parseWebhook(request: WebhookRequest): WebhookEvent[];
  /**
   * Checks a provider's own webhook signature, where it has one (Sinch secure callbacks):
   * `valid` authenticates the request, `invalid` refuses it, `absent` falls back to the secret.
   */
  verifyWebhook?(request: WebhookRequest): 'valid' | 'invalid' | 'absent';
  /** Optional operations (sender ids, jobs, version, contacts, templates, …). */
  readonly capabilities: ProviderCapabilities;
}

// ---- Optional capabilities ----------------------------------------------------------------
// Operations only some providers have. Commands look them up with requireCapability(); a
// provider without one answers with ProviderNotSupportedError (adapters/capabilities.ts).

export interface SenderId {
  /** The number or alphanumeric id as it goes in a send's sender field. */
  id: string;
  label?: string;
  kind?: 'number' | 'alphanumeric' | 'shortcode';
  isDefault?: boolean;
  /** e.g. ['SMS', 'MMS']. */
  capabilities?: string[];
}

export interface SendersCapability {
  listSenders(): Promise<SenderId[]>;
}

export interface ProviderJob {
  jobId: string;
  sender?: string;
  encoding?: string;
  customerRef?: string;
  receivedAt?: string;
  /** Absent while the job is still open. */
  finishedAt?: string;
  recipientIds: string[];
  raw: unknown;
}

export interface RecipientStatus {
  recipientId: string;
  to: string;
  status: DeliveryStatus;
  /** The provider's own words, e.g. `DONE/SUC_FIN`. */
  vendorStatus: string;
  reason?: string;
  customerRef?: string;
  sentAt?: string;
  finishedAt?: string;
  raw: unknown;
}

export interface JobQuery {
  from: Date;
  to: Date;
  open?: boolean;
  offset?: number;
  limit?: number;
}

export interface JobsCapability {
  getJob(jobId: string): Promise<ProviderJob>;
  getJobRecipients(jobId: string): Promise<RecipientStatus[]>;
  listJobs(query: JobQuery): Promise<string[]>;
}

export interface VersionCapability {
  getVersion(): Promise<{ version: string; raw: unknown }>;
}

export interface Contact {
  phone: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  gender?: 'Male' | 'Female' | 'Other';
  birthYear?: number;
  streetAddress?: string;
  zipCode?: string;
  city?: string;
  /** ISO 3166 alpha-3. */
  countryCode?: string;
  active?: boolean;
  custom?: Record<string, string>;
  regions?: string[];
  raw?: unknown;
}

export interface ContactsCapability {
  getContact(phone: string): Promise<Contact | undefined>;
  createContact(contact: Contact): Promise<Contact>;
  updateContact(contact: Contact): Promise<Contact>;
  deleteContact(phone: string): Promise<void>;
  deleteAllContacts(): Promise<void>;
}

export interface MessageTemplate {
  id: string;
  name: string;
  content?: string;
  /** How many {{n}} parameters its body takes. */
  parameters?: number;
  category?: string;
  language?: string;
  raw: unknown;
}

export interface TemplateSendRequest {
  template: string;
  to: string[];
  bodyParameters?: string[];
  headerParameters?: string[];
  buttons?: Array<{ type: 'Call' | 'QuickReply' | 'Url'; data: string }>;
  attachmentUri?: string;
  useSmsFallback?: boolean;
  correlationId: string;
  idempotencyKey: string;
}

export interface NewTemplate {
  /** The WhatsApp identity (business number) the template belongs to. */
  identity: string;
  displayName: string;
  content: string;
  category: string;
  language: string;
  buttons?: Array<{ type: 'Call' | 'QuickReply' | 'Url'; label: string; data: string }>;
  attachmentUrl?: string;
}

export interface TemplatesCapability {
  listTemplates(): Promise<MessageTemplate[]>;
  createTemplate(template: NewTemplate): Promise<void>;
  /** Resolves with one result per recipient, in order. */
  sendTemplate(request: TemplateSendRequest): Promise<SendResult[]>;
}

export interface OptInCapability {
  optIn(sender: string, recipient: string): Promise<void>;
  optOut(sender: string, recipient: string): Promise<void>;
}

/** For providers whose receipts may never come: ask for the status of our sends. */
export interface ReconcileCapability {
  /** Receipts for the given provider message ids (e.g. Retarus job ids); final ones say so by status. */
  pollStatus(providerMessageIds: string[]): Promise<DeliveryReceipt[]>;
}

export interface DiscussionReply {
  messageId: string;
  threadId?: string;
  recipients: number;
}

/** Replies in one of the provider's own discussion threads (SmartDialog's ThreadId). */
export interface DiscussionCapability {
  reply(threadId: string, content: string): Promise<DiscussionReply>;
}

export interface ProviderCapabilities {
  senders?: SendersCapability;
  jobs?: JobsCapability;
  version?: VersionCapability;
  contacts?: ContactsCapability;
  templates?: TemplatesCapability;
  optIn?: OptInCapability;
  reconcile?: ReconcileCapability;
  discussion?: DiscussionCapability;
}
