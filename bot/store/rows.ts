/** Rows as the database holds them, to the domain types of types.ts. */
import type { Selectable } from 'kysely';
import type { ProviderId, SendOptions } from '../../adapters/types.ts';
import type { JobsTable, MessagesTable, NotesTable, RoutesTable, ThreadsTable } from './schema.ts';
import type {
  ConversationRefJson,
  Job,
  JobState,
  Message,
  Note,
  Route,
  TemplateRef,
  Thread,
  TimelineEntry,
} from './types.ts';

export const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function emptyMessage(id: string, threadId: string, at: string): MessagesTable {
  return {
    id,
    thread_id: threadId,
    direction: 'inbound',
    provider: '',
    channel: 'sms',
    body: '',
    media: '[]',
    author_name: null,
    author_id: null,
    opt_out: 0,
    status: 'received',
    vendor_status: null,
    status_code: null,
    reason: null,
    timeline: '[]',
    provider_message_id: null,
    teams_activity_id: null,
    send_started_at: null,
    card_started_at: null,
    retried_as: null,
    template: null,
    send_options: null,
    card_state: null,
    erased_at: null,
    created_at: at,
    updated_at: at,
  };
}

export function toRoute(r: RoutesTable): Route {
  return {
    id: r.id,
    provider: r.provider as Route['provider'],
    businessNumber: r.business_number,
    teamsChannelId: r.teams_channel_id,
    channelName: opt(r.channel_name),
    conversationRef: JSON.parse(r.conversation_ref) as ConversationRefJson,
    createdBy: opt(r.created_by),
    createdAt: r.created_at,
    ...(r.team_id ? { team: { id: r.team_id, name: opt(r.team_name), groupId: opt(r.group_id) } } : {}),
  };
}

/**
 * A thread row; `latest_inbound_id` is its latest inbound message's provider id, read from the
 * messages (last_inbound_id is what versions before migration waiting_once wrote on every message).
 */
export function toThread(r: ThreadsTable & { latest_inbound_id?: string | null }): Thread {
  return {
    id: r.id,
    provider: r.provider as ProviderId,
    businessNumber: r.business_number,
    customerNumber: r.customer_number,
    channel: r.channel as Thread['channel'],
    conversationId: opt(r.conversation_id),
    rootActivityId: opt(r.root_activity_id),
    conversationRef: r.conversation_ref ? (JSON.parse(r.conversation_ref) as ConversationRefJson) : undefined,
    state: r.state as Thread['state'],
    assignee: opt(r.assignee),
    assigneeId: opt(r.assignee_id),
    optedOut: r.opted_out === 1,
    lastInboundId: opt(r.latest_inbound_id ?? r.last_inbound_id),
    createdAt: r.created_at,
  };
}

export function toMessage(r: MessagesTable): Message {
  return {
    id: r.id,
    threadId: r.thread_id,
    direction: r.direction as Message['direction'],
    provider: r.provider as ProviderId,
    channel: r.channel as Message['channel'],
    body: r.body,
    media: JSON.parse(r.media) as Message['media'],
    authorName: opt(r.author_name),
    authorId: opt(r.author_id),
    optOut: r.opt_out === 1,
    status: r.status as Message['status'],
    vendorStatus: opt(r.vendor_status),
    statusCode: opt(r.status_code),
    reason: opt(r.reason),
    timeline: JSON.parse(r.timeline) as TimelineEntry[],
    providerMessageId: opt(r.provider_message_id),
    teamsActivityId: opt(r.teams_activity_id),
    sendStartedAt: opt(r.send_started_at),
    cardStartedAt: opt(r.card_started_at),
    retriedAs: opt(r.retried_as),
    ...(r.template ? { template: JSON.parse(r.template) as TemplateRef } : {}),
    ...(r.send_options ? { options: JSON.parse(r.send_options) as SendOptions } : {}),
    ...(r.card_state ? { cardState: r.card_state } : {}),
    ...(r.erased_at ? { erasedAt: r.erased_at } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toJob(r: Selectable<JobsTable>): Job {
  return {
    id: Number(r.id),
    kind: r.kind as Job['kind'],
    lane: r.lane,
    ref: r.ref,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    state: r.state as JobState,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAfter: Number(r.run_after),
    lastError: opt(r.last_error),
  };
}

export function toNote(r: NotesTable): Note {
  return {
    id: r.id,
    threadId: r.thread_id,
    body: r.body,
    authorName: opt(r.author_name),
    authorId: opt(r.author_id),
    createdAt: r.created_at,
  };
}
