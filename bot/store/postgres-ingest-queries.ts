/**
 * The multi-row statements of PostgreSQL's batched ingest (postgres-ingest.ts): each one writes or
 * reads every row of a batch at once, its values passed as one array per column and unnested on
 * the server. They write exactly the columns the one-row statements of ingest-queries.ts and
 * job-queries.ts write; the unique constraints dedupe as they do.
 */
import { CompiledQuery } from 'kysely';
import type { ThreadOfRow } from './ingest-queries.ts';
import type { inboundValues, threadValues } from './ingest-values.ts';
import type { jobValues } from './job-queries.ts';

/** Values of several rows as one array per column: what a multi-row statement binds. */
export type Columns<T> = { [K in keyof T]: Array<T[K]> };

/** `items`, one value object per row, as columns. */
export function columns<T extends object, K extends keyof T>(items: readonly T[], keys: readonly K[]) {
  const out = {} as Columns<Pick<T, K>>;
  for (const key of keys) out[key] = items.map((item) => item[key]);
  return out;
}

/** A thread as ingest reads it, with its key (provider, business number, customer number). */
export interface KeyedThreadRow extends ThreadOfRow {
  provider: string;
  business_number: string;
  customer_number: string;
}

const THREAD_COLUMNS =
  't.id, t.provider, t.business_number, t.customer_number, t.conversation_id, t.channel, t.opted_out';

/** Claims the dedupe keys; returns those not claimed before (a key given twice is claimed once). */
export function claimKeys(keys: string[], at: string): CompiledQuery<{ key: string }> {
  return CompiledQuery.raw(
    `insert into events (key, created_at) select k, $2 from unnest($1::text[]) as k
     on conflict (key) do nothing returning key`,
    [keys, at],
  );
}

export const THREAD_VALUES = [
  'id',
  'provider',
  'businessNumber',
  'customerNumber',
  'channel',
  'optedOut',
] as const;
export type NewThreads = Columns<Pick<ReturnType<typeof threadValues>, (typeof THREAD_VALUES)[number]>>;

/**
 * The threads of the given keys (each key once): those that exist, and a new one for each key
 * that has none. A key whose thread another instance is creating at this moment comes back in
 * neither (findThreads reads it once that instance committed).
 */
export function findOrCreateThreads(t: NewThreads, at: string): CompiledQuery<KeyedThreadRow> {
  return CompiledQuery.raw(
    `with k as (
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
         as k(id, provider, business_number, customer_number, channel, opted_out)),
     found as (
       select ${THREAD_COLUMNS} from threads t
       join k on k.provider = t.provider and k.business_number = t.business_number
         and k.customer_number = t.customer_number),
     made as (
       insert into threads as t (id, provider, business_number, customer_number, channel, state, opted_out,
         created_at, updated_at)
       select id, provider, business_number, customer_number, channel, 'open', opted_out, $7, $7 from k
       where not exists (select 1 from found f where f.provider = k.provider
         and f.business_number = k.business_number and f.customer_number = k.customer_number)
       on conflict (provider, business_number, customer_number) do nothing
       returning ${THREAD_COLUMNS})
     select * from found union all select * from made`,
    [t.id, t.provider, t.businessNumber, t.customerNumber, t.channel, t.optedOut, at],
  );
}

export function findThreads(
  t: Pick<NewThreads, 'provider' | 'businessNumber' | 'customerNumber'>,
): CompiledQuery<KeyedThreadRow> {
  return CompiledQuery.raw(
    `select ${THREAD_COLUMNS} from threads t
     join unnest($1::text[], $2::text[], $3::text[]) as k(provider, business_number, customer_number)
       on k.provider = t.provider and k.business_number = t.business_number and k.customer_number = t.customer_number`,
    [t.provider, t.businessNumber, t.customerNumber],
  );
}

/** What ingest-queries.ts's updateThread does, for several threads: channel, and an opt-out for good. */
export function updateThreads(u: { id: string[]; channel: string[]; optedOut: number[] }, at: string) {
  return CompiledQuery.raw(
    `update threads t set channel = u.channel,
       opted_out = case when u.opted_out = 1 then 1 else t.opted_out end, updated_at = $4
     from unnest($1::text[], $2::text[], $3::int[]) as u(id, channel, opted_out)
     where t.id = u.id`,
    [u.id, u.channel, u.optedOut, at],
  );
}

export const INBOUND_VALUES = [
  'id',
  'threadId',
  'provider',
  'channel',
  'body',
  'media',
  'optOut',
  'providerMessageId',
  'createdAt',
] as const;
export type NewInbound = Columns<Pick<ReturnType<typeof inboundValues>, (typeof INBOUND_VALUES)[number]>>;

/** Inbound messages, as ingest-queries.ts's insertInbound writes one. */
export function insertInbounds(m: NewInbound, at: string): CompiledQuery {
  return CompiledQuery.raw(
    `insert into messages (id, thread_id, direction, provider, channel, body, media, opt_out, status, timeline,
       provider_message_id, created_at, updated_at)
     select id, thread_id, 'inbound', provider, channel, body, media, opt_out, 'received', '[]',
       provider_message_id, created_at, $10
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
       $9::text[]) as m(id, thread_id, provider, channel, body, media, opt_out, provider_message_id, created_at)`,
    [
      m.id,
      m.threadId,
      m.provider,
      m.channel,
      m.body,
      m.media,
      m.optOut,
      m.providerMessageId,
      m.createdAt,
      at,
    ],
  );
}

export const JOB_VALUES = [
  'kind',
  'lane',
  'ref',
  'payload',
  'state',
  'maxAttempts',
  'runAfter',
  'lastError',
] as const;
export type NewJobs = Columns<Pick<ReturnType<typeof jobValues>, (typeof JOB_VALUES)[number]>>;

/**
 * Jobs, in the given order, as job-queries.ts's insert writes one: a job that an identical waiting
 * one covers is not written (jobs_waiting_once). Returns the state of each job written.
 */
export function insertJobs(j: NewJobs, at: string): CompiledQuery<{ state: string }> {
  return CompiledQuery.raw(
    `insert into jobs (kind, lane, ref, payload, state, attempts, max_attempts, run_after, lease_owner,
       lease_until, last_error, created_at, updated_at)
     select kind, lane, ref, payload, state, 0, max_attempts, run_after, null, null, last_error, $9, $9
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[])
       with ordinality as j(kind, lane, ref, payload, state, max_attempts, run_after, last_error, n)
     order by n
     on conflict do nothing returning state`,
    [j.kind, j.lane, j.ref, j.payload, j.state, j.maxAttempts, j.runAfter, j.lastError, at],
  );
}
