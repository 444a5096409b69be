import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderUnavailableError,
} from '../../adapters/errors.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import type { Job, JobKind, NewJob } from '../../bot/store/types.ts';
import { ParkJob } from '../../bot/worker/job-errors.ts';
import { type JobHandler, Worker } from '../../bot/worker/runner.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const log = pino({ level: 'silent' });

let dir: string;
let store: KyselyStore;
let worker: Worker | undefined;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'textbridge-worker-'));
  store = await openSqliteStore(path.join(dir, 'textbridge.sqlite'));
});

afterEach(async () => {
  await worker?.stop(2_000);
  worker = undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Recorder extends JobHandler {
  runs: Job[];
  gaveUp: Array<{ job: Job; reason: string }>;
}

/** A handler for every kind that records its calls and does what `behaviour` does. */
function recorder(behaviour: (job: Job) => Promise<void> | void): Recorder {
  const handler: Recorder = {
    runs: [],
    gaveUp: [],
    async run(job) {
      handler.runs.push(job);
      await behaviour(job);
    },
    async giveUp(job, reason) {
      handler.gaveUp.push({ job, reason });
    },
  };
  return handler;
}

function startWorker(handler: JobHandler): Worker {
  const kinds: JobKind[] = ['post-card', 'send', 'update-card', 'apply-receipt'];
  const handlers = Object.fromEntries(kinds.map((k) => [k, handler])) as Record<JobKind, JobHandler>;
  worker = new Worker(store, handlers, log, { concurrency: 8, idlePollMs: 20, leaseMs: 60_000 });
  store.setOnEnqueue(() => worker?.wake());
  worker.start();
  return worker;
}

async function enqueue(job: Partial<NewJob> = {}): Promise<number> {
  await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'message-1', ...job });
  const row = await store.db
    .selectFrom('jobs')
    .select('id')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.id;
}

function row(id: number) {
  return store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const inState = (id: number, state: string) => async () => {
  const r = await row(id);
  return r.state === state ? r : undefined;
};

describe('Worker', () => {
  it('completes a job whose handler succeeds', async () => {
    const id = await enqueue({ payload: { text: 'hello' } });
    const handler = recorder(() => {});
    startWorker(handler);
    const done = await eventually('the job done', inState(id, 'done'));
    expect(done.attempts).toBe(1);
    expect(done.last_error).toBeNull();
    expect(done.lease_owner).toBeNull();
    expect(handler.runs).toHaveLength(1);
    expect(handler.runs[0]).toMatchObject({ id, kind: 'send', ref: 'message-1', payload: { text: 'hello' } });
    expect(handler.gaveUp).toEqual([]);
  });

  it('retries an unavailable provider with backoff, then gives up once', async () => {
    const id = await enqueue({ maxAttempts: 2 });
    const failedAt: number[] = [];
    const handler = recorder(() => {
      failedAt.push(Date.now());
      throw new ProviderUnavailableError('Sinch answered 503', 'sinch', 503);
    });
    startWorker(handler);

    const retried = await eventually('the first retry', async () => {
      const r = await row(id);
      return r.state === 'pending' && r.attempts === 1 ? r : undefined;
    });
    expect(retried.last_error).toBe('Sinch answered 503');
    // Attempt 1 waits between 0.5 and 1 s (full jitter over a 1 s ceiling).
    expect(Number(retried.run_after)).toBeGreaterThanOrEqual((failedAt[0] ?? 0) + 500);
    expect(Number(retried.run_after)).toBeLessThanOrEqual(Date.now() + 1_000);

    const failed = await eventually('the job failed', inState(id, 'failed'));
    expect(failed.attempts).toBe(2);
    expect(failed.last_error).toBe('Sinch answered 503');
    expect(handler.runs).toHaveLength(2);
    expect((failedAt[1] ?? 0) - (failedAt[0] ?? 0)).toBeGreaterThanOrEqual(500);
    await eventually('giveUp', () => handler.gaveUp.length > 0);
    await sleep(50);
    expect(handler.gaveUp).toHaveLength(1);
    expect(handler.gaveUp[0]?.reason).toBe('Sinch answered 503');
    expect(handler.gaveUp[0]?.job.id).toBe(id);
  });

  it("honours a rate limit's Retry-After", async () => {
    const id = await enqueue({ maxAttempts: 5 });
    let thrownAt = 0;
    const handler = recorder(() => {
      thrownAt = Date.now();
      throw new ProviderRateLimitError('Sinch throttled the call', 'sinch', 60_000);
    });
    startWorker(handler);
    const retried = await eventually('the retry', async () => {
      const r = await row(id);
      return r.state === 'pending' && r.attempts === 1 ? r : undefined;
    });
    expect(retried.last_error).toBe('Sinch throttled the call');
    expect(Number(retried.run_after)).toBeGreaterThanOrEqual(thrownAt + 60_000);
    await sleep(100);
    expect(handler.runs).toHaveLength(1);
    expect(handler.gaveUp).toEqual([]);
  });

  it('fails at once on an authentication error and gives up', async () => {
    const id = await enqueue({ maxAttempts: 5 });
    const handler = recorder(() => {
      throw new ProviderAuthError('Sinch refused the API key', 'sinch', 401);
    });
    startWorker(handler);
    const failed = await eventually('the job failed', inState(id, 'failed'));
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toBe('Sinch refused the API key');
    await eventually('giveUp', () => handler.gaveUp.length === 1);
    expect(handler.gaveUp[0]?.reason).toBe('Sinch refused the API key');
    await sleep(100);
    expect(handler.runs).toHaveLength(1);
    expect(handler.gaveUp).toHaveLength(1);
  });

  it('parks a job that cannot go anywhere yet', async () => {
    const id = await enqueue({ kind: 'post-card', lane: 'thread:t' });
    const handler = recorder(() => {
      throw new ParkJob('no channel is linked to sinch +61491570000 yet');
    });
    startWorker(handler);
    const parked = await eventually('the job parked', inState(id, 'parked'));
    expect(parked.last_error).toBe('no channel is linked to sinch +61491570000 yet');
    await sleep(100);
    expect(handler.runs).toHaveLength(1);
    expect(handler.gaveUp).toEqual([]);
  });

  it('runs the jobs of a lane one at a time and in order, other lanes alongside', async () => {
    const active = new Map<string, number>();
    const maxActive = new Map<string, number>();
    let activeTotal = 0;
    let maxTotal = 0;
    const finished: string[] = [];
    const handler = recorder(async (job) => {
      const now = (active.get(job.lane) ?? 0) + 1;
      active.set(job.lane, now);
      maxActive.set(job.lane, Math.max(maxActive.get(job.lane) ?? 0, now));
      maxTotal = Math.max(maxTotal, ++activeTotal);
      await sleep(15);
      active.set(job.lane, (active.get(job.lane) ?? 1) - 1);
      activeTotal--;
      finished.push(job.ref);
    });
    for (let i = 0; i < 5; i++) {
      await enqueue({ lane: 'lane-a', ref: `a${i}` });
      await enqueue({ lane: 'lane-b', ref: `b${i}` });
    }
    startWorker(handler);
    await eventually('every job done', async () => (await store.countJobs('done')) === 10);
    expect(finished.filter((r) => r.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(finished.filter((r) => r.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(maxActive.get('lane-a')).toBe(1);
    expect(maxActive.get('lane-b')).toBe(1);
    expect(maxTotal).toBe(2);
  });

  it('holds the rest of a lane while its first job waits to be retried', async () => {
    const events: string[] = [];
    let failures = 0;
    const handler = recorder((job) => {
      events.push(`start ${job.ref}`);
      if (job.ref === 'first' && failures++ === 0) throw new ProviderUnavailableError('down', 'sinch', 503);
      events.push(`done ${job.ref}`);
    });
    await enqueue({ ref: 'first' });
    await enqueue({ ref: 'second' });
    startWorker(handler);
    await eventually('both jobs done', async () => (await store.countJobs('done')) === 2);
    expect(events).toEqual(['start first', 'start first', 'done first', 'start second', 'done second']);
  });
});

describe('a job whose runs keep being cut off', () => {
  it('is failed, not run again, once the restarts have used every attempt', async () => {
    const id = await enqueue({ kind: 'send', ref: 'poison' });
    const { max_attempts } = await row(id);
    // As after max_attempts crashes while it ran: each start took the lease back (releaseLeases).
    for (let i = 0; i < max_attempts; i++) {
      expect((await store.claimJobs('crashed-bot', 10, 60_000)).map((j) => j.id)).toEqual([id]);
      await store.releaseLeases();
    }
    const handler = recorder(() => {});
    startWorker(handler);
    await eventually('the job failed', async () => (await row(id)).state === 'failed');
    expect(handler.runs).toHaveLength(0);
    expect(handler.gaveUp).toHaveLength(1);
    expect(handler.gaveUp[0]?.reason).toContain(`interrupted ${max_attempts} times`);
    expect((await row(id)).last_error).toContain('not tried again');
  });
});

describe('jobs in flight when the process stopped', () => {
  /** Claims every job as a process that then stops with `cause`, `times` times. */
  async function stops(times: number, cause: Parameters<typeof store.releaseLeases>[0]) {
    for (let i = 0; i < times; i++) {
      await store.claimJobs('crashed-bot', 10, 60_000);
      await store.releaseLeases(cause);
    }
  }

  it('are not charged for crashes that were not theirs, however many', async () => {
    const innocent = await enqueue({ kind: 'post-card', ref: 'innocent' });
    const { max_attempts } = await row(innocent);
    await stops(max_attempts + 5, { kind: 'not-a-job' });
    expect((await row(innocent)).attempts).toBe(0);
    const handler = recorder(() => {});
    startWorker(handler);
    await eventually('the job done', async () => (await row(innocent)).state === 'done');
    expect(handler.gaveUp).toHaveLength(0);
  });

  it('charge only the job whose code crashed the process', async () => {
    const culprit = await enqueue({ kind: 'send', ref: 'culprit' });
    const bystander = await enqueue({ kind: 'send', ref: 'bystander', lane: 'other-lane' });
    const { max_attempts } = await row(culprit);
    await stops(max_attempts, { kind: 'job', jobId: culprit });
    expect((await row(culprit)).attempts).toBe(max_attempts);
    expect((await row(bystander)).attempts).toBe(0);
    const handler = recorder(() => {});
    startWorker(handler);
    await eventually('the culprit failed', async () => (await row(culprit)).state === 'failed');
    await eventually('the bystander done', async () => (await row(bystander)).state === 'done');
    // giveUp runs once the failure is written: the state can be read a moment before it.
    await eventually('the culprit given up', async () => handler.gaveUp.length > 0);
    expect(handler.gaveUp.map((g) => g.job.ref)).toEqual(['culprit']);
  });

  it('each pay for a death nobody can explain (SIGKILL, out of memory)', async () => {
    const id = await enqueue({ kind: 'send', ref: 'unknown' });
    await stops(3, { kind: 'unknown' });
    expect((await row(id)).attempts).toBe(3);
  });
});

describe('a job that runs longer than its lease', () => {
  it('keeps its lease while it runs, so no claim takes it and it runs once', async () => {
    const id = await enqueue({ kind: 'post-card', ref: 'slow' });
    const handler = recorder(async () => {
      await sleep(1_500);
    });
    const kinds: JobKind[] = ['post-card', 'send', 'update-card', 'apply-receipt', 'poll-status'];
    const handlers = Object.fromEntries(kinds.map((k) => [k, handler])) as unknown as Record<
      JobKind,
      JobHandler
    >;
    worker = new Worker(store, handlers, log, { concurrency: 2, idlePollMs: 20, leaseMs: 300 });
    worker.start();
    await eventually('the job running', () => handler.runs.length === 1);
    // Another claimer keeps asking all the while, well past the 300 ms lease.
    const stolen: number[] = [];
    for (let waited = 0; waited < 1_200; waited += 100) {
      await sleep(100);
      for (const job of await store.claimJobs('another-bot', 10, 300)) stolen.push(job.id);
    }
    expect(stolen).toEqual([]);
    await eventually('the job done', async () => (await row(id)).state === 'done');
    expect(handler.runs).toHaveLength(1);
  });
});
