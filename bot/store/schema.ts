/** Table shapes as the database holds them (dialect-neutral: text, integer, no native JSON). */
import type { Generated } from 'kysely';

export interface RoutesTable {
  id: string;
  /** A provider id, or '*' for every provider. */
  provider: string;
  /** A business number / sender id, or '*' for every number of the provider. */
  business_number: string;
  teams_channel_id: string;
  channel_name: string | null;
  /** JSON of the Teams conversation reference of the channel (serviceUrl, tenant, bot). */
  conversation_ref: string;
  created_by: string | null;
  created_at: string;
  /** The team of the channel (Bot Framework team id, its name, its Entra group id), when known. */
  team_id: string | null;
  team_name: string | null;
  group_id: string | null;
}

export interface ThreadsTable {
  id: string;
  provider: string;
  business_number: string;
  customer_number: string;
  channel: string;
  /** The Teams thread: `<channel id>;messageid=<root activity id>`, once posted. */
  conversation_id: string | null;
  root_activity_id: string | null;
  /** JSON conversation reference of the thread, for proactive replies. */
  conversation_ref: string | null;
  state: string;
  assignee: string | null;
  /** The assignee's Entra object id (what "Mine" in the Inbox compares). */
  assignee_id: string | null;
  opted_out: number;
  last_inbound_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: string;
  thread_id: string;
  direction: string;
  provider: string;
  channel: string;
  body: string;
  media: string;
  author_name: string | null;
  author_id: string | null;
  opt_out: number;
  status: string;
  vendor_status: string | null;
  status_code: string | null;
  reason: string | null;
  /** JSON array of { status, at, vendorStatus?, code? }. */
  timeline: string;
  provider_message_id: string | null;
  teams_activity_id: string | null;
  /** Set before a provider send starts; with no provider id after a crash the send is in doubt. */
  send_started_at: string | null;
  card_started_at: string | null;
  /** The message a Retry sent in this one's place. */
  retried_as: string | null;
  /** JSON of the WhatsApp template a template message sends (TemplateRef). */
  template: string | null;
  /** JSON of the agent's SendOptions for this message. */
  send_options: string | null;
  /** What the message's card showed when last posted or updated (cardState in teams/message-cards.ts). */
  card_state: string | null;
  /** When RETENTION_DAYS erased its text (retention.ts). */
  erased_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Agents' posts in a customer thread that do not mention the bot: never sent to the customer. */
export interface NotesTable {
  id: string;
  thread_id: string;
  body: string;
  author_name: string | null;
  author_id: string | null;
  teams_activity_id: string;
  created_at: string;
}

export interface EventsTable {
  key: string;
  created_at: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** Jobs of one lane run one at a time, in id order (one customer thread, one send queue). */
  lane: string;
  /** The message or thread the job is about; with kind, the coalescing key of pending jobs. */
  ref: string;
  payload: string;
  state: string;
  attempts: number;
  max_attempts: number;
  run_after: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReceiptsTable {
  id: Generated<number>;
  message_id: string | null;
  provider: string;
  provider_message_id: string;
  recipient: string | null;
  status: string;
  vendor_status: string;
  code: string | null;
  reason: string | null;
  raw: string;
  at: string;
  received_at: string;
}

export interface OptOutsTable {
  number: string;
  /** Who or what opted the number out: an agent's name, or the customer's keyword. */
  source: string;
  created_at: string;
}

/** Values set once and kept: the first writer wins (see settings.ts). */
export interface SettingsTable {
  key: string;
  value: string;
  created_at: string;
}

export interface MediaTable {
  id: string;
  message_id: string;
  content_type: string | null;
  name: string | null;
  size: number | null;
  /** base64 of the bytes, when they arrived inline and were within MEDIA_MAX_BYTES. */
  data: string | null;
  /** Where the provider keeps it, when it sent a URL. */
  url: string | null;
  created_at: string;
}

/** One operation of a shared budget: it counts in a window while `ends_at` is inside it. */
export interface BudgetOpsTable {
  id: Generated<number>;
  key: string;
  /** Epoch ms (the database's clock): when it ended, or, while in flight, the latest it may. */
  ends_at: number;
}

/** A budget key that Teams answered 429 for: nothing of it goes out before `until` (epoch ms). */
export interface BudgetPausesTable {
  key: string;
  until: number;
}

export interface Database {
  routes: RoutesTable;
  threads: ThreadsTable;
  messages: MessagesTable;
  events: EventsTable;
  jobs: JobsTable;
  receipts: ReceiptsTable;
  opt_outs: OptOutsTable;
  media: MediaTable;
  notes: NotesTable;
  settings: SettingsTable;
  budget_ops: BudgetOpsTable;
  budget_pauses: BudgetPausesTable;
}
