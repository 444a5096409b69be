/**
 * What agents do to conversations besides answering: claim, resolve, opt a number out or in,
 * text a customer first, retry a failed message. Each runs inside one of the store's
 * transactions and queues the card updates it makes necessary.
 */
import type { Transaction } from 'kysely';
import type { SendOptions } from '../../adapters/types.ts';
import { timeOrderedId } from './ids.ts';
import { postCardJob } from './ingest-values.ts';
import { insertJob, type JobQueries, updateCardJob } from './job-queries.ts';
import { emptyMessage } from './rows.ts';
import type { Database } from './schema.ts';
import type {
  AgentNote,
  Assignee,
  NewConversation,
  TemplateRef,
  ThreadState,
  TimelineEntry,
} from './types.ts';

type Trx = Transaction<Database>;

const now = () => new Date().toISOString();

export async function claimKey(trx: Trx, key: string): Promise<boolean> {
  const result = await trx
    .insertInto('events')
    .values({ key, created_at: now() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Queues a fresh render of the thread's root card (state, assignee and opt-out live there). */
async function refreshRoot(trx: Trx, q: JobQueries, threadId: string): Promise<boolean> {
  const thread = await trx
    .selectFrom('threads')
    .select(['root_activity_id'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!thread?.root_activity_id) return false;
  const root = await trx
    .selectFrom('messages')
    .select('id')
    .where('thread_id', '=', threadId)
    .where('teams_activity_id', '=', thread.root_activity_id)
    .executeTakeFirst();
  if (!root) return false;
  await insertJob(trx, q, updateCardJob(threadId, root.id), now());
  return true;
}

export async function setThreadState(trx: Trx, q: JobQueries, threadId: string, state: ThreadState) {
  const result = await trx
    .updateTable('threads')
    .set({ state, updated_at: now() })
    .where('id', '=', threadId)
    .where('state', '!=', state)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 && (await refreshRoot(trx, q, threadId));
}

export async function setAssignee(trx: Trx, q: JobQueries, threadId: string, assignee: Assignee | undefined) {
  await trx
    .updateTable('threads')
    .set({ assignee: assignee?.name ?? null, assignee_id: assignee?.id ?? null, updated_at: now() })
    .where('id', '=', threadId)
    .execute();
  return refreshRoot(trx, q, threadId);
}

/** Marks (or clears) an opt-out for the number, on every thread of it; returns the threads changed. */
export async function setOptOut(trx: Trx, q: JobQueries, number: string, optedOut: boolean, by: string) {
  if (optedOut) {
    await trx
      .insertInto('opt_outs')
      .values({ number, source: by, created_at: now() })
      .onConflict((oc) => oc.column('number').doNothing())
      .execute();
  } else {
    await trx.deleteFrom('opt_outs').where('number', '=', number).execute();
  }
  const threads = await trx
    .selectFrom('threads')
    .select('id')
    .where('customer_number', '=', number)
    .where('opted_out', '=', optedOut ? 0 : 1)
    .execute();
  for (const t of threads) {
    await trx
      .updateTable('threads')
      .set({ opted_out: optedOut ? 1 : 0, updated_at: now() })
      .where('id', '=', t.id)
      .execute();
    await refreshRoot(trx, q, t.id);
  }
  return threads.length;
}

export async function isOptedOut(trx: Trx, number: string): Promise<boolean> {
  const listed = await trx
    .selectFrom('opt_outs')
    .select('number')
    .where('number', '=', number)
    .executeTakeFirst();
  if (listed) return true;
  const thread = await trx
    .selectFrom('threads')
    .select('id')
    .where('customer_number', '=', number)
    .where('opted_out', '=', 1)
    .executeTakeFirst();
  return thread !== undefined;
}

/** An agent texts a customer first: the thread (new or existing) gets the outbound message. */
export async function startConversation(trx: Trx, q: JobQueries, req: NewConversation) {
  if (!(await claimKey(trx, req.dedupeKey))) return { duplicate: true as const };
  const at = now();
  await trx
    .insertInto('threads')
    .values({
      id: timeOrderedId(),
      provider: req.provider,
      business_number: req.businessNumber,
      customer_number: req.customerNumber,
      channel: req.channel,
      conversation_id: null,
      root_activity_id: null,
      conversation_ref: null,
      state: 'open',
      assignee: null,
      assignee_id: null,
      opted_out: 0,
      last_inbound_id: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['provider', 'business_number', 'customer_number']).doNothing())
    .execute();
  const thread = await trx
    .selectFrom('threads')
    .select(['id'])
    .where('provider', '=', req.provider)
    .where('business_number', '=', req.businessNumber)
    .where('customer_number', '=', req.customerNumber)
    .executeTakeFirstOrThrow();
  const id = await insertOutbound(trx, q, thread.id, {
    provider: req.provider,
    channel: req.channel,
    body: req.text,
    authorName: req.authorName,
    authorId: req.authorId,
    ...(req.template ? { template: req.template } : {}),
    ...(req.options ? { options: req.options } : {}),
  });
  return { duplicate: false as const, messageId: id, threadId: thread.id };
}

/** Sends a failed message again as a new message, once; the old card then says so. */
export async function retryMessage(
  trx: Trx,
  q: JobQueries,
  messageId: string,
  author: { authorName: string; authorId?: string },
) {
  if (!(await claimKey(trx, `retry:${messageId}`))) return { duplicate: true as const };
  const original = await trx
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  const id = await insertOutbound(trx, q, original.thread_id, {
    provider: original.provider,
    channel: original.channel,
    body: original.body,
    authorName: author.authorName,
    authorId: author.authorId,
    ...(original.template ? { template: JSON.parse(original.template) as TemplateRef } : {}),
    ...(original.send_options ? { options: JSON.parse(original.send_options) as SendOptions } : {}),
  });
  await trx
    .updateTable('messages')
    .set({ retried_as: id, updated_at: now() })
    .where('id', '=', messageId)
    .execute();
  await insertJob(trx, q, updateCardJob(original.thread_id, messageId), now());
  return { duplicate: false as const, messageId: id };
}

/** An agent's message to the customer, with its card and its send queued. */
export async function insertOutbound(
  trx: Trx,
  q: JobQueries,
  threadId: string,
  m: {
    provider: string;
    channel: string;
    body: string;
    authorName: string;
    authorId?: string;
    template?: TemplateRef;
    options?: SendOptions;
  },
): Promise<string> {
  const at = now();
  const id = timeOrderedId();
  await trx
    .insertInto('messages')
    .values({
      ...emptyMessage(id, threadId, at),
      direction: 'outbound',
      provider: m.provider,
      channel: m.channel,
      body: m.body,
      author_name: m.authorName,
      author_id: m.authorId ?? null,
      status: 'queued',
      template: m.template ? JSON.stringify(m.template) : null,
      send_options: m.options ? JSON.stringify(m.options) : null,
      timeline: JSON.stringify([{ status: 'queued', at }] satisfies TimelineEntry[]),
    })
    .execute();
  await insertJob(trx, q, postCardJob(threadId), at);
  await insertJob(trx, q, { kind: 'send', lane: `send:${threadId}`, ref: id }, at);
  return id;
}

/** An internal note, once per Teams activity; no job: notes are already in the Teams thread. */
export async function insertNote(trx: Trx, note: AgentNote): Promise<boolean> {
  const result = await trx
    .insertInto('notes')
    .values({
      id: timeOrderedId(),
      thread_id: note.threadId,
      body: note.text,
      author_name: note.authorName,
      author_id: note.authorId ?? null,
      teams_activity_id: note.activityId,
      created_at: note.at ?? now(),
    })
    .onConflict((oc) => oc.column('teams_activity_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
