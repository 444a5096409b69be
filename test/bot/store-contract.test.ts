import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryReceipt, DeliveryStatus, InboundMessage } from '../../adapters/types.ts';
import { toIngestRow } from '../../bot/store/ingest-rows.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openPostgresStore } from '../../bot/store/postgres.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import type { JobKind, JobState } from '../../bot/store/types.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';

const CUSTOMER = '+61491570156';
const BUSINESS = '+61491570000';
const CHANNEL_REF = { conversation: { id: '19:general@thread.tacv2' }, serviceUrl: 'http://localhost' };

function inbound(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    kind: 'inbound',
    provider: 'sinch',
    providerMessageId: 'in-1',
    from: CUSTOMER,
    to: BUSINESS,
    channel: 'sms',
    text: 'Hello, is my order late?',
    media: [],
    receivedAt: '2025-01-01T10:00:00.000Z',
    raw: {},
    ...overrides,
  };
}

let receiptSeq = 0;
function receipt(status: DeliveryStatus, overrides: Partial<DeliveryReceipt> = {}): DeliveryReceipt {
  receiptSeq++;
  return {
    kind: 'receipt',
    provider: 'sinch',
    providerMessageId: 'pm-1',
    receiptId: `r-${receiptSeq}`,
    status,
    vendorStatus: status,
    at: new Date(Date.UTC(2025, 0, 1, 10, 0, receiptSeq)).toISOString(),
    raw: {},
    ...overrides,
  };
}

type Mode = 'sqlite' | 'neutral' | 'postgres';

let dir: string;
let store: KyselyStore;
let mode: Mode = 'sqlite';
let database: TestDatabase | undefined;

/**
 * The store as the bot opens it: SQLite with its hot path for inbound rows, SQLite with the
 * dialect-neutral queries alone, and PostgreSQL (a fresh database for this file). One contract,
 * the same tests for all three.
 */
function openStore(): Promise<KyselyStore> {
  if (mode === 'postgres') return openPostgresStore(database?.url ?? '', { poolSize: 4 });
  return openSqliteStore(path.join(dir, 'textbridge.sqlite'), { neutral: mode === 'neutral' });
}

/** Every table, emptied between the PostgreSQL cases (they share the file's database). */
const TABLES = 'routes, threads, messages, events, jobs, receipts, opt_outs, media, notes, settings';

async function count(table: 'threads' | 'messages' | 'events' | 'jobs' | 'routes'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function jobsOf(kind: JobKind, ref?: string) {
  let q = store.db.selectFrom('jobs').selectAll().where('kind', '=', kind);
  if (ref !== undefined) q = q.where('ref', '=', ref);
  return q.orderBy('id').execute();
}

/** The card job of a message's thread (one per waiting thread). */
async function cardJobOf(messageId: string | undefined) {
  const threadId = (await store.getMessage(messageId ?? ''))?.threadId ?? '';
  return (await jobsOf('post-card', threadId))[0];
}

async function jobRow(id: number) {
  return store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The media column of a message (what its card shows: ids, names, types). */
async function jobRowOfMedia(messageId: string | undefined): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('messages')
    .select('media')
    .where('id', '=', messageId ?? '')
    .executeTakeFirst();
  return row?.media;
}

async function jobState(id: number): Promise<JobState> {
  return (await jobRow(id)).state as JobState;
}

/** Runs every due job to completion, as a worker whose handlers all succeed would. */
async function drainJobs(): Promise<number> {
  let done = 0;
  for (;;) {
    // Time passes: debounced card updates are due too.
    await store.db.updateTable('jobs').set({ run_after: 0 }).where('state', '=', 'pending').execute();
    const jobs = await store.claimJobs('drain', 100, 60_000);
    if (jobs.length === 0) return done;
    for (const job of jobs) await store.completeJob(job.id);
    done += jobs.length;
  }
}

function linkBusinessNumber() {
  return store.addRoute({
    provider: 'sinch',
    businessNumber: BUSINESS,
    teamsChannelId: '19:general@thread.tacv2',
    conversationRef: CHANNEL_REF,
  });
}

/** A customer thread with one agent answer; every job so far is done. */
async function outboundMessage(): Promise<{ threadId: string; messageId: string }> {
  const [first] = await store.ingest([inbound()]);
  const threadId = (await store.getMessage(first?.messageId ?? ''))?.threadId ?? '';
  const reply = await store.recordAgentReply({
    activityId: 'activity-1',
    threadId,
    text: 'It ships today.',
    authorName: 'Alex Agent',
  });
  await drainJobs();
  return { threadId, messageId: reply.messageId ?? '' };
}

const modes = [
  { mode: 'sqlite' as const, name: 'SQLite, hot path' },
  { mode: 'neutral' as const, name: 'SQLite, dialect-neutral queries' },
  { mode: 'postgres' as const, name: 'PostgreSQL', skip: !postgresServer },
];

describe.each(modes)('store contract ($name)', (options) => {
  if (options.skip) {
    it.skip('needs PostgreSQL (see the line at the start of the run)', () => {});
    return;
  }

  beforeAll(async () => {
    if (options.mode === 'postgres') database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    database = undefined;
  });

  beforeEach(async () => {
    mode = options.mode;
    dir = mkdtempSync(path.join(tmpdir(), 'textbridge-store-'));
    store = await openStore();
    if (mode === 'postgres') await sql.raw(`truncate ${TABLES} restart identity`).execute(store.db);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('migrations', () => {
    it('can run again on an existing file without touching the data', async () => {
      await store.ingest([inbound()]);
      await store.migrate();
      await store.close();
      store = await openStore();
      await store.migrate();
      await expect(store.ready()).resolves.toBeUndefined();
      expect(await count('threads')).toBe(1);
      expect(await count('messages')).toBe(1);
      expect((await store.ingest([inbound()]))[0]?.duplicate).toBe(true);
    });
  });

  describe('ingest', () => {
    it('stores an inbound message in a new thread and queues its card', async () => {
      await linkBusinessNumber();
      const [outcome] = await store.ingest([inbound()]);
      expect(outcome?.duplicate).toBe(false);
      const message = await store.getMessage(outcome?.messageId ?? '');
      expect(message).toMatchObject({
        direction: 'inbound',
        provider: 'sinch',
        body: 'Hello, is my order late?',
        status: 'received',
        providerMessageId: 'in-1',
        createdAt: '2025-01-01T10:00:00.000Z',
      });
      const thread = await store.getThread(message?.threadId ?? '');
      expect(thread).toMatchObject({
        provider: 'sinch',
        businessNumber: BUSINESS,
        customerNumber: CUSTOMER,
        state: 'open',
        optedOut: false,
        lastInboundId: 'in-1',
      });
      expect(await count('threads')).toBe(1);
      expect(await count('messages')).toBe(1);
      const jobs = await store.db.selectFrom('jobs').selectAll().execute();
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        kind: 'post-card',
        ref: thread?.id,
        lane: `thread:${thread?.id}`,
        state: 'pending',
      });
    });

    it("queues one card job per waiting thread, whatever the number of the thread's messages", async () => {
      await linkBusinessNumber();
      await store.ingest([inbound({ providerMessageId: 'in-1' }), inbound({ providerMessageId: 'in-2' })]);
      await store.ingest([inbound({ providerMessageId: 'in-3' })]);
      expect(await jobsOf('post-card')).toHaveLength(1);
      // Claimed (running): the next message queues the next job, which posts what came meanwhile.
      const [running] = await store.claimJobs('w', 10, 60_000);
      await store.ingest([inbound({ providerMessageId: 'in-4' }), inbound({ providerMessageId: 'in-5' })]);
      const jobs = await jobsOf('post-card');
      expect(jobs.map((j) => j.state)).toEqual(['running', 'pending']);
      expect(jobs[1]?.ref).toBe(running?.ref);
    });

    it('reads the latest inbound message of a thread for threaded replies', async () => {
      const [first] = await store.ingest([inbound({ providerMessageId: 'in-1' })]);
      await store.ingest([
        inbound({ providerMessageId: 'in-2', receivedAt: '2025-01-01T10:05:00.000Z' }),
        inbound({ providerMessageId: 'in-0', receivedAt: '2025-01-01T09:00:00.000Z' }),
      ]);
      const threadId = (await store.getMessage(first?.messageId ?? ''))?.threadId ?? '';
      expect((await store.getThread(threadId))?.lastInboundId).toBe('in-2');
    });

    it('acknowledges the same event again as a duplicate and writes nothing', async () => {
      await store.ingest([inbound()]);
      const counts = [
        await count('threads'),
        await count('messages'),
        await count('events'),
        await count('jobs'),
      ];
      const [again] = await store.ingest([inbound({ text: 'a retry of the same webhook' })]);
      expect(again).toEqual({ duplicate: true });
      expect([
        await count('threads'),
        await count('messages'),
        await count('events'),
        await count('jobs'),
      ]).toEqual(counts);
    });

    it('puts later messages of a customer in the same thread and other customers in their own', async () => {
      const [a1, a2, b1] = await store.ingest([
        inbound({ providerMessageId: 'in-1' }),
        inbound({ providerMessageId: 'in-2', text: 'Order 4711' }),
        inbound({ providerMessageId: 'in-3', from: '+61491570157' }),
      ]);
      const thread = async (id?: string) => (await store.getMessage(id ?? ''))?.threadId;
      expect(await thread(a1?.messageId)).toBe(await thread(a2?.messageId));
      expect(await thread(b1?.messageId)).not.toBe(await thread(a1?.messageId));
      expect(await count('threads')).toBe(2);
      expect(await store.listMessages((await thread(a1?.messageId)) ?? '')).toHaveLength(2);
    });

    it('marks the thread opted out on an opt-out message', async () => {
      const [outcome] = await store.ingest([inbound({ text: 'STOP', optOut: true })]);
      const message = await store.getMessage(outcome?.messageId ?? '');
      expect(message?.optOut).toBe(true);
      expect((await store.getThread(message?.threadId ?? ''))?.optedOut).toBe(true);
    });

    it('writes 200 concurrent webhook calls, each durably and once', async () => {
      const events = Array.from({ length: 200 }, (_, i) =>
        inbound({ providerMessageId: `burst-${i}`, from: `+614915701${String(i % 20).padStart(2, '0')}` }),
      );
      const outcomes = await Promise.all(events.map((event) => store.ingest([event])));
      expect(outcomes.every(([o]) => o?.duplicate === false && typeof o.messageId === 'string')).toBe(true);
      expect(new Set(outcomes.map(([o]) => o?.messageId)).size).toBe(200);
      expect(await count('events')).toBe(200);
      expect(await count('messages')).toBe(200);
      expect(await count('threads')).toBe(20);
      // One card job per thread: parked, as no channel is linked.
      expect((await jobsOf('post-card')).map((j) => j.state)).toEqual(Array(20).fill('parked'));
    });

    it('stores an event once when its copies arrive together', async () => {
      const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => store.ingest([inbound()])));
      expect(outcomes.filter(([o]) => o?.duplicate === false)).toHaveLength(1);
      expect(await count('messages')).toBe(1);
    });
    it('dedupes copies of an event within one call and across calls written together', async () => {
      const [calls, alone] = await Promise.all([
        Promise.all([
          store.ingest([inbound(), inbound({ providerMessageId: 'in-2' }), inbound()]),
          store.ingest([inbound({ providerMessageId: 'in-2' })]),
        ]),
        store.ingest([inbound()]),
      ]);
      const [[first, second, copy], [copy2]] = calls as [(typeof calls)[0], (typeof calls)[0]];
      expect([first?.duplicate, second?.duplicate, copy, copy2, alone[0]]).toEqual([
        false,
        false,
        { duplicate: true },
        { duplicate: true },
        { duplicate: true },
      ]);
      expect(await count('events')).toBe(2);
      expect(await count('messages')).toBe(2);
      expect(await count('threads')).toBe(1);
    });

    it("leaves a thread on its customer's latest channel, opted out by any opt-out, when written together", async () => {
      const outcomes = await Promise.all([
        store.ingest([inbound({ providerMessageId: 'in-1', channel: 'sms' })]),
        store.ingest([
          inbound({ providerMessageId: 'in-2', channel: 'whatsapp', text: 'STOP', optOut: true }),
        ]),
        store.ingest([inbound({ providerMessageId: 'in-3', channel: 'whatsapp' })]),
        store.ingest([inbound({ providerMessageId: 'in-4', channel: 'sms', from: '+61491570157' })]),
      ]);
      const threadOf = async (i: number) =>
        store.getThread((await store.getMessage(outcomes[i]?.[0]?.messageId ?? ''))?.threadId ?? '');
      expect(await threadOf(0)).toMatchObject({ channel: 'whatsapp', optedOut: true });
      expect((await threadOf(1))?.id).toBe((await threadOf(0))?.id);
      expect(await threadOf(3)).toMatchObject({ channel: 'sms', optedOut: false });
      expect((await jobsOf('post-card')).map((j) => j.state)).toEqual(['parked', 'parked']);
    });

    it("fails only the call whose row cannot be written; its neighbours' events are stored", async () => {
      // The media column of a row is JSON (ingest-rows.ts); this one's is not.
      const broken = toIngestRow(inbound({ providerMessageId: 'broken' }));
      broken[8] = '[{not json';
      const settled = await Promise.allSettled([
        store.ingest([inbound({ providerMessageId: 'in-1' })]),
        store.ingestRows([broken]),
        store.ingest([inbound({ providerMessageId: 'in-2', from: '+61491570157' })]),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await count('messages')).toBe(2);
      expect(await count('threads')).toBe(2);
      // Nothing of the failed call was kept: its event is not taken, a corrected retry is stored.
      expect(await count('events')).toBe(2);
      const [retried] = await store.ingest([inbound({ providerMessageId: 'broken' })]);
      expect(retried?.duplicate).toBe(false);
    });
  });

  describe('delivery receipts', () => {
    it('moves a message forward by correlation id and coalesces its card updates', async () => {
      const { messageId } = await outboundMessage();
      expect(await jobsOf('update-card')).toHaveLength(0);
      for (const status of ['sent', 'delivered', 'read'] as const) {
        const [outcome] = await store.ingest([receipt(status, { correlationId: messageId })]);
        expect(outcome?.duplicate).toBe(false);
      }
      const message = await store.getMessage(messageId);
      expect(message?.status).toBe('read');
      expect(message?.providerMessageId).toBe('pm-1');
      expect(message?.timeline.map((t) => t.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
      const updates = await jobsOf('update-card', messageId);
      expect(updates).toHaveLength(1);
      expect(updates[0]?.state).toBe('pending');
      expect(await jobsOf('apply-receipt')).toHaveLength(0);
    });

    it('finds the message by provider message id', async () => {
      const { messageId } = await outboundMessage();
      await store.applyStatus(messageId, {
        status: 'sent',
        at: new Date().toISOString(),
        providerMessageId: 'pm-9',
      });
      await drainJobs();
      for (const status of ['delivered', 'delivered', 'read'] as const) {
        await store.ingest([receipt(status, { providerMessageId: 'pm-9' })]);
      }
      expect((await store.getMessage(messageId))?.status).toBe('read');
      const pending = (await jobsOf('update-card', messageId)).filter((j) => j.state === 'pending');
      expect(pending).toHaveLength(1);
      expect(await jobsOf('apply-receipt')).toHaveLength(0);
    });

    it('does not let a late receipt move a message back', async () => {
      const { messageId } = await outboundMessage();
      await store.ingest([receipt('delivered', { correlationId: messageId })]);
      await drainJobs();
      const before = await store.getMessage(messageId);
      for (const status of ['sent', 'queued', 'unknown'] as const) {
        const [outcome] = await store.ingest([receipt(status, { correlationId: messageId })]);
        expect(outcome?.duplicate).toBe(false);
      }
      const after = await store.getMessage(messageId);
      expect(after?.status).toBe('delivered');
      expect(after?.timeline).toEqual(before?.timeline);
      expect((await jobsOf('update-card', messageId)).filter((j) => j.state === 'pending')).toHaveLength(0);
    });

    it('never changes a failed message', async () => {
      const { messageId } = await outboundMessage();
      await store.ingest([
        receipt('failed', { correlationId: messageId, reason: 'Destination unreachable.' }),
      ]);
      await drainJobs();
      for (const status of ['delivered', 'read', 'expired', 'sent'] as const) {
        await store.ingest([receipt(status, { correlationId: messageId })]);
      }
      const message = await store.getMessage(messageId);
      expect(message?.status).toBe('failed');
      expect(message?.reason).toBe('Destination unreachable.');
      expect((await jobsOf('update-card', messageId)).filter((j) => j.state === 'pending')).toHaveLength(0);
      expect(await store.applyStatus(messageId, { status: 'delivered', at: new Date().toISOString() })).toBe(
        false,
      );
    });

    it('keeps a receipt for an unknown message in an apply-receipt job', async () => {
      const early = receipt('delivered', { providerMessageId: 'not-yet-recorded' });
      const [outcome] = await store.ingest([early]);
      expect(outcome).toEqual({ duplicate: false });
      const jobs = await jobsOf('apply-receipt');
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ lane: 'receipt:sinch:not-yet-recorded', state: 'pending' });
      const payload = JSON.parse(jobs[0]?.payload ?? '{}') as { receipt: unknown; receiptRow: number };
      // The job carries what matching needs; the raw receipt is in the receipts table.
      expect(payload.receipt).toEqual({ ...early, raw: null });
      // The receipt itself is kept as received, not yet tied to a message.
      const kept = await store.db
        .selectFrom('receipts')
        .selectAll()
        .where('id', '=', payload.receiptRow)
        .execute();
      expect(kept).toMatchObject([
        { message_id: null, provider_message_id: 'not-yet-recorded', status: 'delivered' },
      ]);
      expect(await store.applyReceipt(early)).toBe(false);
      expect((await store.ingest([early]))[0]?.duplicate).toBe(true);
      expect(await jobsOf('apply-receipt')).toHaveLength(1);
    });
  });

  describe('agent replies', () => {
    it('records an answer once per Teams activity and queues its card and its send', async () => {
      const [first] = await store.ingest([inbound()]);
      const threadId = (await store.getMessage(first?.messageId ?? ''))?.threadId ?? '';
      const reply = { activityId: 'activity-7', threadId, text: 'On its way', authorName: 'Alex Agent' };
      const outcome = await store.recordAgentReply(reply);
      expect(outcome.duplicate).toBe(false);
      expect(await store.recordAgentReply(reply)).toEqual({ duplicate: true });
      const messages = await store.listMessages(threadId);
      expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound']);
      expect(messages[1]).toMatchObject({
        id: outcome.messageId,
        status: 'queued',
        body: 'On its way',
        authorName: 'Alex Agent',
      });
      // The thread's card job (parked: no channel is linked) posts the answer's card too.
      expect((await jobsOf('post-card', threadId)).map((j) => j.lane)).toEqual([`thread:${threadId}`]);
      expect((await jobsOf('send', outcome.messageId)).map((j) => j.lane)).toEqual([`send:${threadId}`]);
    });
  });

  describe('job queue', () => {
    it('runs one job per lane at a time, and different lanes side by side', async () => {
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a1' });
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a2' });
      await store.enqueue({ kind: 'send', lane: 'lane-b', ref: 'b1' });
      const first = await store.claimJobs('w1', 10, 60_000);
      expect(first.map((j) => j.ref).sort()).toEqual(['a1', 'b1']);
      expect(first.every((j) => j.state === 'running' && j.attempts === 1)).toBe(true);
      expect(await store.claimJobs('w1', 10, 60_000)).toEqual([]);
      const a1 = first.find((j) => j.ref === 'a1');
      await store.completeJob(a1?.id ?? 0);
      expect(await jobState(a1?.id ?? 0)).toBe('done');
      expect((await store.claimJobs('w1', 10, 60_000)).map((j) => j.ref)).toEqual(['a2']);
    });

    it('gives back the attempt of a job that parks, however often links release it', async () => {
      await store.enqueue({ kind: 'post-card', lane: 'thread:t1', ref: 'm1' });
      for (let i = 0; i < 12; i++) {
        const [job] = await store.claimJobs('w1', 10, 60_000);
        expect(job?.attempts).toBe(1);
        await store.parkJob(job?.id ?? 0, 'no channel is linked yet');
        expect(await jobState(job?.id ?? 0)).toBe('parked');
        // An unrelated link releases every parked job to look for its route again.
        await store.addRoute({
          provider: 'sinch',
          businessNumber: `+6149157${String(i).padStart(4, '0')}`,
          teamsChannelId: `other-${i}`,
          conversationRef: CHANNEL_REF,
        });
      }
      const [job] = await store.claimJobs('w1', 10, 60_000);
      expect(job).toMatchObject({ ref: 'm1', attempts: 1 });
    });

    it('claims no more than the limit, oldest first', async () => {
      for (const ref of ['x', 'y', 'z']) await store.enqueue({ kind: 'send', lane: `lane-${ref}`, ref });
      expect((await store.claimJobs('w1', 2, 60_000)).map((j) => j.ref)).toEqual(['x', 'y']);
      expect((await store.claimJobs('w1', 2, 60_000)).map((j) => j.ref)).toEqual(['z']);
      expect(await store.claimJobs('w1', 0, 60_000)).toEqual([]);
    });

    it('waits for run_after', async () => {
      const later = Date.now() + 60_000;
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'later', runAfter: later });
      expect(await store.claimJobs('w1', 10, 60_000)).toEqual([]);
      expect(await store.nextDueAt()).toBe(later);
      await store.enqueue({ kind: 'send', lane: 'lane-b', ref: 'now', runAfter: Date.now() - 1 });
      expect((await store.claimJobs('w1', 10, 60_000)).map((j) => j.ref)).toEqual(['now']);
    });

    it('gives a job whose lease expired to the next claimer', async () => {
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a1' });
      const [leased] = await store.claimJobs('dead-worker', 10, 1);
      await new Promise((r) => setTimeout(r, 10));
      const [again] = await store.claimJobs('w2', 10, 60_000);
      expect(again?.id).toBe(leased?.id);
      expect(again?.attempts).toBe(2);
      expect((await jobRow(again?.id ?? 0)).lease_owner).toBe('w2');
    });

    it('never gives a worker back its own expired lease: it is alive and still runs that job', async () => {
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a1' });
      const [leased] = await store.claimJobs('busy-worker', 10, 1);
      await new Promise((r) => setTimeout(r, 10));
      // Its renewal is late (a busy machine): its own next claim must not run the job again.
      expect(await store.claimJobs('busy-worker', 10, 60_000)).toEqual([]);
      expect((await jobRow(leased?.id ?? 0)).state).toBe('running');
    });

    it('keeps a live lease', async () => {
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a1' });
      await store.claimJobs('w1', 10, 60_000);
      expect(await store.claimJobs('w2', 10, 60_000)).toEqual([]);
    });

    it('puts a retried job back after run_after, with its error', async () => {
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a1' });
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a2' });
      const [job] = await store.claimJobs('w1', 10, 60_000);
      const runAfter = Date.now() + 50_000;
      await store.retryJob(job?.id ?? 0, runAfter, 'provider unavailable');
      const row = await jobRow(job?.id ?? 0);
      expect(row).toMatchObject({
        state: 'pending',
        last_error: 'provider unavailable',
        lease_owner: null,
        lease_until: null,
        attempts: 1,
      });
      expect(Number(row.run_after)).toBe(runAfter);
      // The lane waits for its oldest job: a2 does not overtake a1.
      expect(await store.claimJobs('w1', 10, 60_000)).toEqual([]);
      expect(await store.nextDueAt()).toBeLessThan(runAfter);
    });

    it('drops a retried card update when a newer one is pending', async () => {
      await store.enqueue({ kind: 'update-card', lane: 'thread:t', ref: 'm1' });
      const [running] = await store.claimJobs('w1', 10, 60_000);
      await store.enqueue({ kind: 'update-card', lane: 'thread:t', ref: 'm1' });
      expect(await store.countJobs('pending')).toBe(1);
      await store.retryJob(running?.id ?? 0, Date.now(), 'Teams answered 502');
      expect(await jobState(running?.id ?? 0)).toBe('done');
      expect(await store.countJobs('pending')).toBe(1);
    });

    it('parks a job until a route is added', async () => {
      await store.enqueue({ kind: 'post-card', lane: 'thread:t', ref: 'm1' });
      const [job] = await store.claimJobs('w1', 10, 60_000);
      await store.parkJob(job?.id ?? 0, `no channel is linked to sinch ${BUSINESS} yet`);
      expect(await jobRow(job?.id ?? 0)).toMatchObject({
        state: 'parked',
        last_error: expect.stringContaining(BUSINESS),
      });
      expect(await store.claimJobs('w1', 10, 60_000)).toEqual([]);
      const { created, released } = await linkBusinessNumber();
      expect(created).toBe(true);
      expect(released).toBe(1);
      const [again] = await store.claimJobs('w1', 10, 60_000);
      expect(again?.id).toBe(job?.id);
    });

    it("parks a new thread's card at ingest while no channel is linked to its number", async () => {
      // A link to another number does not count.
      await store.addRoute({
        provider: 'sinch',
        businessNumber: '+61491579999',
        teamsChannelId: 'other',
        conversationRef: CHANNEL_REF,
      });
      const [first] = await store.ingest([inbound()]);
      const [second] = await store.ingest([inbound({ providerMessageId: 'in-2' })]);
      expect(await cardJobOf(second?.messageId)).toEqual(await cardJobOf(first?.messageId));
      expect(await cardJobOf(first?.messageId)).toMatchObject({
        state: 'parked',
        attempts: 0,
        last_error: `no channel is linked to sinch ${BUSINESS} yet`,
      });
      expect(await store.claimJobs('w1', 10, 60_000)).toEqual([]);
      // Linking the number releases the thread's job; later messages are posted by it too.
      expect((await linkBusinessNumber()).released).toBe(1);
      const [third] = await store.ingest([inbound({ providerMessageId: 'in-3' })]);
      expect((await cardJobOf(third?.messageId))?.state).toBe('pending');
      expect(await jobsOf('post-card')).toHaveLength(1);
      const threadId = (await store.getMessage(first?.messageId ?? ''))?.threadId;
      expect((await store.claimJobs('w1', 10, 60_000)).map((j) => j.ref)).toEqual([threadId]);
    });

    it('parks on a wildcard-free miss and queues on any matching wildcard route', async () => {
      const posted = async (from: string, id: string) => {
        const [o] = await store.ingest([inbound({ from, providerMessageId: id })]);
        return (await cardJobOf(o?.messageId))?.state;
      };
      expect(await posted('+61491570101', 'w-1')).toBe('parked');
      await store.addRoute({
        provider: '*',
        businessNumber: BUSINESS,
        teamsChannelId: 'c',
        conversationRef: CHANNEL_REF,
      });
      expect(await posted('+61491570102', 'w-2')).toBe('pending');
      await store.removeRoutes('c');
      expect(await posted('+61491570103', 'w-3')).toBe('parked');
      await store.addRoute({
        provider: 'sinch',
        businessNumber: '*',
        teamsChannelId: 'c',
        conversationRef: CHANNEL_REF,
      });
      expect(await posted('+61491570104', 'w-4')).toBe('pending');
    });

    it('queues the card of a posted thread without a route, and parks again after unlink', async () => {
      await linkBusinessNumber();
      const [first] = await store.ingest([inbound()]);
      const threadId = (await store.getMessage(first?.messageId ?? ''))?.threadId ?? '';
      await store.setThreadPosted(
        threadId,
        '19:general@thread.tacv2;messageid=1',
        '1',
        CHANNEL_REF,
        first?.messageId,
      );
      // The root message's card is recorded in the same write as the thread's post.
      expect((await store.getMessage(first?.messageId ?? ''))?.teamsActivityId).toBe('1');
      expect((await store.getThread(threadId))?.rootActivityId).toBe('1');
      expect(await store.removeRoutes('19:general@thread.tacv2')).toBe(1);
      // The thread is in Teams already: its replies need no route.
      const [reply] = await store.ingest([inbound({ providerMessageId: 'in-2' })]);
      expect((await cardJobOf(reply?.messageId))?.state).toBe('pending');
      const [other] = await store.ingest([inbound({ providerMessageId: 'in-3', from: '+61491570157' })]);
      expect((await cardJobOf(other?.messageId))?.state).toBe('parked');
    });

    it('returns running jobs to the queue on releaseLeases', async () => {
      await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'a1' });
      await store.enqueue({ kind: 'send', lane: 'lane-b', ref: 'b1' });
      await store.claimJobs('old-process', 10, 600_000);
      expect(await store.countJobs('running')).toBe(2);
      expect(await store.releaseLeases()).toBe(2);
      expect(await store.countJobs('running')).toBe(0);
      expect(await store.countJobs('pending')).toBe(2);
      expect((await store.claimJobs('new-process', 10, 60_000)).map((j) => j.ref).sort()).toEqual([
        'a1',
        'b1',
      ]);
    });

    it('releases a card update interrupted while a newer one was queued', async () => {
      await store.enqueue({ kind: 'update-card', lane: 'thread:t', ref: 'm1' });
      const [running] = await store.claimJobs('old-process', 10, 600_000);
      // A receipt arrives while the update runs: a new pending update of the same card.
      await store.enqueue({ kind: 'update-card', lane: 'thread:t', ref: 'm1' });
      expect(await store.releaseLeases()).toBe(1);
      expect(await jobState(running?.id ?? 0)).toBe('done');
      expect(await store.countJobs('running')).toBe(0);
      expect(await store.countJobs('pending')).toBe(1);
      const [next] = await store.claimJobs('new-process', 10, 60_000);
      expect(next?.ref).toBe('m1');
      expect(next?.id).not.toBe(running?.id);
    });

    it('keeps claiming when an expired card update meets a newer pending one', async () => {
      await store.enqueue({ kind: 'update-card', lane: 'thread:t', ref: 'm1' });
      await store.claimJobs('dead-worker', 10, 1);
      await store.enqueue({ kind: 'update-card', lane: 'thread:t', ref: 'm1' });
      await store.enqueue({ kind: 'send', lane: 'lane-other', ref: 'other' });
      await new Promise((r) => setTimeout(r, 10));
      const claimed = await store.claimJobs('w2', 10, 60_000);
      expect(claimed.map((j) => `${j.kind}:${j.ref}`).sort()).toEqual(['send:other', 'update-card:m1']);
    });
  });

  describe('retention', () => {
    it('erases what old messages said and keeps what happened to them', async () => {
      await linkBusinessNumber();
      const { threadId, messageId: sent } = await outboundMessage();
      await store.applyStatus(sent, {
        status: 'sent',
        at: '2025-01-01T10:00:05.000Z',
        providerMessageId: 'pm-1',
      });
      await store.ingest([
        receipt('delivered', { correlationId: sent, raw: { to: CUSTOMER, text: 'secret' } }),
      ]);
      const [withMedia] = await store.ingest([
        inbound({
          providerMessageId: 'in-media',
          text: 'a photo',
          media: [
            { contentType: 'image/png', name: 'x.png', size: 3, data: Buffer.from('png').toString('base64') },
          ],
        }),
      ]);
      await store.recordNote({
        activityId: 'note-1',
        threadId,
        text: 'VIP customer',
        authorName: 'Alex Agent',
      });
      await drainJobs();
      for (const m of await store.listMessages(threadId)) await store.setMessageCard(m.id, `card-${m.id}`);
      // A reply whose send has not been made yet keeps its words until it is.
      const waiting = await store.recordAgentReply({
        activityId: 'activity-2',
        threadId,
        text: 'On its way',
        authorName: 'Alex Agent',
      });
      const [media] = JSON.parse((await jobRowOfMedia(withMedia?.messageId)) ?? '[]') as Array<{
        id: string;
      }>;
      expect(await store.getMedia(media?.id ?? '')).toBeDefined();

      expect(await store.eraseOlderThan(new Date('2020-01-01'))).toEqual({
        media: 0,
        messages: 0,
        notes: 0,
        receipts: 0,
        jobs: 0,
      });
      const erased = await store.eraseOlderThan(new Date(Date.now() + 60_000));
      expect(erased).toMatchObject({ media: 1, messages: 3, notes: 1, receipts: 1 });

      const messages = await store.listMessages(threadId);
      expect(messages).toHaveLength(4);
      const byId = new Map(messages.map((m) => [m.id, m]));
      expect(byId.get(sent)).toMatchObject({ body: '', status: 'delivered', providerMessageId: 'pm-1' });
      expect(byId.get(sent)?.erasedAt).toBeDefined();
      expect(byId.get(sent)?.timeline.map((t) => t.status)).toEqual(['queued', 'sent', 'delivered']);
      expect(byId.get(waiting.messageId ?? '')).toMatchObject({ body: 'On its way' });
      expect(byId.get(waiting.messageId ?? '')?.erasedAt).toBeUndefined();
      expect(await store.getMedia(media?.id ?? '')).toBeUndefined();
      expect((await store.listNotes(threadId)).map((n) => n.body)).toEqual(['']);
      expect((await store.listReceipts(sent)).map((r) => [r.status, r.raw])).toEqual([['delivered', null]]);
      // Dedupe still holds: a provider's late retry of an erased message is a duplicate.
      expect((await store.ingest([inbound()]))[0]?.duplicate).toBe(true);
      expect(await store.eraseOlderThan(new Date(Date.now() + 60_000))).toMatchObject({
        messages: 0,
        notes: 0,
        receipts: 0,
        media: 0,
      });
    });
  });

  describe('routes', () => {
    const route = (provider: 'sinch' | '*', businessNumber: string, teamsChannelId: string) =>
      store.addRoute({ provider, businessNumber, teamsChannelId, conversationRef: CHANNEL_REF });

    it('prefers the most specific route', async () => {
      await route('*', '*', 'everything');
      await route('sinch', '*', 'all-sinch');
      await route('sinch', BUSINESS, 'this-number');
      expect((await store.findRoute('sinch', BUSINESS))?.teamsChannelId).toBe('this-number');
      expect((await store.findRoute('sinch', '+61491579999'))?.teamsChannelId).toBe('all-sinch');
      expect((await store.findRoute('retarus', BUSINESS))?.teamsChannelId).toBe('everything');
      expect(await store.removeRoutes('this-number')).toBe(1);
      expect((await store.findRoute('sinch', BUSINESS))?.teamsChannelId).toBe('all-sinch');
    });

    it('finds nothing without a matching route', async () => {
      await route('sinch', BUSINESS, 'this-number');
      expect(await store.findRoute('sinch', '+61491579999')).toBeUndefined();
      expect(await store.findRoute('retarus', BUSINESS)).toBeUndefined();
    });

    it('moves a link to the channel that links the same provider and number again', async () => {
      const first = await route('sinch', BUSINESS, 'channel-1');
      const second = await route('sinch', BUSINESS, 'channel-2');
      expect(second.created).toBe(false);
      expect(second.route.id).toBe(first.route.id);
      expect((await store.listRoutes()).map((r) => r.teamsChannelId)).toEqual(['channel-2']);
      expect(await store.listRoutes('channel-1')).toEqual([]);
    });
  });

  describe('notices', () => {
    const HOUR = 3_600_000;
    const t0 = Date.UTC(2026, 11, 5, 9, 0, 0);

    it('lets one caller give a notice per period, whoever asks first', async () => {
      const claims = await Promise.all(
        Array.from({ length: 8 }, () => store.claimNotice('budget:19:a', t0, HOUR)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimNotice('budget:19:b', t0, HOUR)).toBe(true);
      expect(await store.claimNotice('budget:19:a', t0 + HOUR - 1, HOUR)).toBe(false);
      expect(await store.claimNotice('budget:19:a', t0 + HOUR, HOUR)).toBe(true);
      expect(await store.claimNotice('budget:19:a', t0 + HOUR + 1_000, HOUR)).toBe(false);
    });
  });
});
