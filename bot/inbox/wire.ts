/**
 * The Inbox API's JSON, as the tab (tab/) reads it. Types only and no imports: the browser
 * bundle compiles against this file too.
 */

/** The lists of the Inbox. They overlap: a waiting conversation can be mine too. */
export type InboxState = 'waiting' | 'mine' | 'unassigned' | 'failed' | 'resolved';

export const INBOX_STATES: readonly InboxState[] = ['waiting', 'mine', 'unassigned', 'failed', 'resolved'];

export type InboxCounts = Record<InboxState, number>;

export interface ConversationSummary {
  id: string;
  provider: string;
  businessNumber: string;
  customerNumber: string;
  /** sms, mms, rcs or whatsapp. */
  channel: string;
  state: 'open' | 'resolved';
  assignee?: string;
  assignedToMe: boolean;
  optedOut: boolean;
  /** Time of the latest message, inbound or outbound. */
  lastAt: string;
  lastDirection: 'inbound' | 'outbound';
  /** The latest message's text, cut for the list. */
  preview: string;
  /** An outbound message failed and was not sent again. */
  failed: boolean;
  /** The customer spoke last. */
  waiting: boolean;
  /** The Teams channel the thread is in, once posted. */
  teamsChannelId?: string;
  channelName?: string;
}

export interface ConversationPage {
  items: ConversationSummary[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
  /** Left out when asked with counts=0 (a search: the lists' counts do not change with it). */
  counts?: InboxCounts;
}

export interface TranscriptEntry {
  id: string;
  kind: 'inbound' | 'outbound' | 'note';
  text: string;
  at: string;
  author?: string;
  /** Outbound: queued, sent, delivered, read, failed, expired, rejected, cancelled. */
  status?: string;
  reason?: string;
  timeline?: Array<{ status: string; at: string }>;
  /** Attachments; `url` is the bot's signed link (or the provider's https one), when there is one. */
  media?: Array<{ url?: string; name?: string; contentType?: string }>;
  retriedAs?: string;
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  entries: TranscriptEntry[];
  /** https://teams.microsoft.com/l/message/… to the thread, once it is posted in a channel. */
  teamsLink?: string;
}

/** What an action answers: the conversation as it is now. */
export interface ActionResult {
  conversation: ConversationSummary;
}

/** A provider and the senders the caller may text from (the New conversation dialog). */
export interface SenderOption {
  provider: string;
  senders: string[];
  /** Sends WhatsApp templates (the dialog offers the template picker). */
  templates: boolean;
}

export interface TemplateOption {
  name: string;
  language?: string;
  /** Parameter placeholders in order, e.g. ["{{1}}", "{{2}}"]. */
  parameters: string[];
  text?: string;
}

/** GET /api/inbox/numbers/check?number=: the number as it will be texted, or what is wrong with it. */
export interface NumberCheck {
  e164?: string;
  error?: string;
}

export interface NewConversationRequest {
  provider: string;
  from: string;
  to: string;
  text?: string;
  template?: { name: string; language?: string; parameters: string[] };
  /** Chosen by the dialog once per form: a double submit sends once. */
  nonce: string;
}

export interface NewConversationResult {
  status: 'queued' | 'duplicate' | 'opted-out';
  conversationId?: string;
  message: string;
}

/** One Server-Sent Event of /api/inbox/events (event: change). */
export interface ChangeEvent {
  /** Conversations that changed (new message, status, claim, state). */
  conversations: string[];
}

export interface ApiError {
  error: string;
}
