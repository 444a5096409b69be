/**
 * The budgets several instances share through PostgreSQL: two budget objects on one database
 * (each with its own connection pool, as two instances have) never exceed a window together;
 * a settled or cancelled token, and a 429's pause, count for both; the provider limiter likewise.
 * Real time, small windows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '../../../bot/budget/shared-rate-limiter.ts';
import { SharedTeamsBudget } from '../../../bot/budget/shared-teams-budget.ts';
import type { TeamsOp } from '../../../bot/budget/teams-budget.ts';
import type { TeamsLimits } from '../../../bot/budget/teams-limits.ts';
import { PostgresBudgetCounters } from '../../../bot/store/budget-counters.ts';
import { openPostgresStore, type PostgresStore } from '../../../bot/store/postgres.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../../helpers/postgres.ts';

const describePg = postgresServer ? describe : describe.skip;

/** The most operations any window of `windowMs` holds, counted at the moments they were granted. */
function mostInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from += 1;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

const limits = (perThread: TeamsLimits['perApp'], perApp: TeamsLimits['perApp']): TeamsLimits => ({
  perThread: { send: perThread, create: perThread, read: perThread },
  perApp,
});

describePg('budgets shared through PostgreSQL', () => {
  let database: TestDatabase;
  let stores: PostgresStore[];
  const errors: Error[] = [];
  const counters = () => stores.map((s) => new PostgresBudgetCounters(s.db));
  const budgets = (l: TeamsLimits) =>
    counters().map((c) => new SharedTeamsBudget(c, l, (err) => errors.push(err)));

  beforeAll(async () => {
    database = await createTestDatabase();
    stores = [
      await openPostgresStore(database.url, { poolSize: 4, instanceId: 'a' }),
      await openPostgresStore(database.url, { poolSize: 4, instanceId: 'b' }),
    ];
  });

  afterAll(async () => {
    await Promise.all((stores ?? []).map((s) => s.close()));
    await database?.drop();
    expect(errors).toEqual([]);
  });

  /** `n` calls on each budget at once, each settled as soon as granted; the grant times. */
  async function burst(each: SharedTeamsBudget[], ops: (i: number) => TeamsOp, n: number): Promise<number[]> {
    const granted: number[] = [];
    await Promise.all(
      each.flatMap((budget) =>
        Array.from({ length: n }, async (_, i) => {
          const grant = await budget.acquire(ops(i), 'conversation');
          granted.push(Date.now());
          grant.settle();
        }),
      ),
    );
    return granted;
  }

  it("keeps two instances' calls to one thread within every window together", async () => {
    const thread = { thread: '19:one@thread.tacv2', kind: 'send' } as const;
    const windows = [
      { limit: 2, windowMs: 300 },
      { limit: 4, windowMs: 1_000 },
    ];
    const granted = await burst(budgets(limits(windows, [{ limit: 100, windowMs: 1_000 }])), () => thread, 7);
    expect(granted).toHaveLength(14);
    expect(mostInWindow(granted, 300)).toBeLessThanOrEqual(2);
    expect(mostInWindow(granted, 1_000)).toBeLessThanOrEqual(4);
    // About 3 s at 4 a second: the budget is spent, not held by calls that ended long ago.
    expect(Math.max(...granted) - Math.min(...granted)).toBeLessThan(6_000);
  });

  it("keeps two instances' calls to many threads within the app's window together", async () => {
    const granted = await burst(
      budgets(limits([{ limit: 50, windowMs: 1_000 }], [{ limit: 3, windowMs: 400 }])),
      (i) => ({ thread: `19:app-${i}@thread.tacv2`, kind: 'send' }),
      6,
    );
    expect(granted).toHaveLength(12);
    expect(mostInWindow(granted, 400)).toBeLessThanOrEqual(3);
  });

  it('gives a cancelled token to the other instance, and counts a settled one for both', async () => {
    const [a, b] = budgets(limits([{ limit: 1, windowMs: 400 }], [{ limit: 100, windowMs: 1_000 }]));
    const op = { thread: '19:cancel@thread.tacv2', kind: 'send' } as const;
    const first = await a!.acquire(op, 'conversation');
    let bGot = 0;
    const second = b!.acquire(op, 'conversation').then((g) => {
      bGot = Date.now();
      return g;
    });
    // In flight on a: b waits, however long the call takes.
    await new Promise((r) => setTimeout(r, 600));
    expect(bGot).toBe(0);
    const cancelled = Date.now();
    first.cancel();
    const grant = await second;
    // b learns it within moments, not when a's call would have timed out (a minute).
    expect(bGot - cancelled).toBeLessThan(1_500);
    grant.settle();
    const settled = Date.now();
    await (await a!.acquire(op, 'conversation')).settle();
    // A settled call counts a whole window after its end, on the other instance too.
    expect(Date.now() - settled).toBeGreaterThanOrEqual(350);
  });

  it('holds a thread on every instance after a 429 on one', async () => {
    const [a, b] = budgets(limits([{ limit: 10, windowMs: 1_000 }], [{ limit: 100, windowMs: 1_000 }]));
    const op = { thread: '19:paused@thread.tacv2', kind: 'send' } as const;
    const paused = Date.now();
    a!.pause(op, paused + 700);
    await new Promise((r) => setTimeout(r, 100));
    (await b!.acquire(op, 'conversation')).settle();
    expect(Date.now() - paused).toBeGreaterThanOrEqual(650);
    // Another thread is not held.
    const other = Date.now();
    (await b!.acquire({ thread: '19:free@thread.tacv2', kind: 'send' }, 'status')).settle();
    expect(Date.now() - other).toBeLessThan(1_000);
  });

  it('serves the most important waiter of an instance first', async () => {
    const [a] = budgets(limits([{ limit: 1, windowMs: 300 }], [{ limit: 100, windowMs: 1_000 }]));
    const op = { thread: '19:priority@thread.tacv2', kind: 'send' } as const;
    const first = await a!.acquire(op, 'conversation');
    const order: string[] = [];
    const queued = (['status', 'reply', 'conversation'] as const).map((p) =>
      a!.acquire(op, p).then((g) => {
        order.push(p);
        g.settle();
      }),
    );
    first.settle();
    await Promise.all(queued);
    expect(order).toEqual(['conversation', 'reply', 'status']);
  });

  it("reports the thread's use by both instances", async () => {
    const [a, b] = budgets(limits([{ limit: 10, windowMs: 1_000 }], [{ limit: 100, windowMs: 1_000 }]));
    const thread = '19:usage@thread.tacv2';
    (await a!.acquire({ thread, kind: 'send' }, 'status')).settle();
    (await b!.acquire({ thread, kind: 'send' }, 'status')).settle();
    (await b!.acquire({ thread, kind: 'create' }, 'status')).settle();
    await new Promise((r) => setTimeout(r, 50));
    const usage = await a!.usage(thread);
    expect({ send: usage.send.hour, create: usage.create.hour, waiting: usage.waiting }).toEqual({
      send: 2,
      create: 1,
      waiting: 0,
    });
    expect((await b!.usageAll()).map((u) => u.thread)).toContain(thread);
  });

  it("keeps two instances' calls to a provider within its limit together", async () => {
    const windows = [{ limit: 3, windowMs: 400 }];
    const startMs = 200;
    const limiters = counters().map((c) => new SharedRateLimiter(c, windows, startMs));
    await Promise.all(
      limiters.flatMap((limiter) => Array.from({ length: 4 }, () => limiter.acquire('sinch'))),
    );
    // Each call counted from its token until its window after the moment it may start at the latest.
    const rows = await stores[0]!.db
      .selectFrom('budget_ops')
      .select('ends_at')
      .where('key', '=', 'provider:sinch')
      .execute();
    const taken = rows.map((r) => Number(r.ends_at) - startMs);
    expect(taken).toHaveLength(8);
    expect(mostInWindow(taken, startMs + 400)).toBeLessThanOrEqual(3);
  });
});
