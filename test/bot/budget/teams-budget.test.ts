/** The Teams budget: windows, kinds, the app limit, order of importance, 429s. Fake clock. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalTeamsBudget } from '../../../bot/budget/local-teams-budget.ts';
import type { BudgetGrant, Priority, TeamsOp } from '../../../bot/budget/teams-budget.ts';
import { teamsLimits, threadWindows } from '../../../bot/budget/teams-limits.ts';
import { WindowCounter } from '../../../bot/budget/windows.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

const now = () => Date.now();

describe('Teams limits', () => {
  it("are Teams' documented per-thread limits at 60 per 30 s", () => {
    expect(threadWindows(60)).toEqual([
      { limit: 7, windowMs: 1_000 },
      { limit: 8, windowMs: 2_000 },
      { limit: 60, windowMs: 30_000 },
      { limit: 1_800, windowMs: 3_600_000 },
    ]);
    expect(teamsLimits().perThread.read.map((w) => w.limit)).toEqual([14, 16, 120, 3_600]);
    expect(teamsLimits().perApp).toEqual([{ limit: 30, windowMs: 1_000 }]);
    expect(teamsLimits(60, 50).perApp).toEqual([{ limit: 50, windowMs: 1_000 }]);
  });

  it('scale every window with the 30 s budget and never drop to zero', () => {
    expect(threadWindows(120).map((w) => w.limit)).toEqual([14, 16, 120, 3_600]);
    expect(threadWindows(1).map((w) => w.limit)).toEqual([1, 1, 1, 30]);
  });
});

describe('WindowCounter', () => {
  it('counts an operation from its start, and until a window after it ended', () => {
    const c = new WindowCounter([{ limit: 1, windowMs: 1_000 }]);
    expect(c.delay(0)).toBe(0);
    const t = c.take();
    // In flight: only its end can make room.
    expect(c.delay(5_000)).toBe(Number.POSITIVE_INFINITY);
    t.settle(5_000);
    expect(c.delay(5_000)).toBe(1_000);
    expect(c.delay(5_600)).toBe(400);
    expect(c.delay(6_000)).toBe(0);
  });

  it('gives a cancelled token back and holds everything while paused', () => {
    const c = new WindowCounter([{ limit: 2, windowMs: 1_000 }]);
    c.take().cancel();
    c.take().settle(0);
    expect(c.used(1_000, 10)).toBe(1);
    expect(c.delay(10)).toBe(0);
    c.pause(3_000);
    expect(c.delay(10)).toBe(2_990);
  });

  it('respects every window at once', () => {
    const c = new WindowCounter([
      { limit: 2, windowMs: 1_000 },
      { limit: 3, windowMs: 10_000 },
    ]);
    c.take().settle(0);
    c.take().settle(0);
    expect(c.delay(0)).toBe(1_000);
    c.take().settle(1_000);
    expect(c.delay(2_000)).toBe(8_000);
    expect(c.delay(10_000)).toBe(0);
  });
});

/** Takes `n` tokens as soon as the budget allows, each call taking `callMs`; records grant times. */
async function run(budget: LocalTeamsBudget, op: TeamsOp, n: number, priority: Priority = 'conversation') {
  const granted: number[] = [];
  const calls = Array.from({ length: n }, async () => {
    const grant = await budget.acquire(op, priority);
    granted.push(now());
    grant.settle();
  });
  return { granted, done: Promise.all(calls) };
}

describe('LocalTeamsBudget', () => {
  it("spends a channel's whole window and not one call more: 7 at once, then 60 in any 30 s", async () => {
    const budget = new LocalTeamsBudget(teamsLimits(), now);
    const start = now();
    const { granted, done } = await run(budget, { thread: 'c1', kind: 'send' }, 70);
    await vi.advanceTimersByTimeAsync(40_000);
    await done;
    const at = granted.map((t) => t - start);
    expect(at.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // The 1 s window frees one at 1 s; then the 2 s window (8) paces the rest.
    expect(at[7]).toBe(1_000);
    // Never more than the windows allow, at any moment.
    for (const [limit, windowMs] of [
      [7, 1_000],
      [8, 2_000],
      [60, 30_000],
    ] as const) {
      for (const t of at)
        expect(at.filter((u) => u > t - windowMs && u <= t).length).toBeLessThanOrEqual(limit);
    }
    // And every call as soon as the windows allowed it: the 60th inside the first 30 s, the 61st at 30 s.
    expect(at[59]).toBeLessThan(30_000);
    expect(at[60]).toBe(30_000);
  });

  it('counts create and send apart, and each thread on its own', async () => {
    const budget = new LocalTeamsBudget(teamsLimits(), now);
    const a = await run(budget, { thread: 'c1', kind: 'send' }, 7);
    const b = await run(budget, { thread: 'c1', kind: 'create' }, 7);
    const c = await run(budget, { thread: 'c2', kind: 'send' }, 7);
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all([a.done, b.done, c.done]);
    expect([...a.granted, ...b.granted, ...c.granted]).toEqual(Array(21).fill(now()));
  });

  it("keeps every thread together under the app's limit", async () => {
    const budget = new LocalTeamsBudget(teamsLimits(60, 30), now);
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => run(budget, { thread: `c${i}`, kind: 'send' }, 7)),
    );
    await vi.advanceTimersByTimeAsync(0);
    const first = runs.flatMap((r) => r.granted);
    expect(first).toHaveLength(30);
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(runs.map((r) => r.done));
    const all = runs.flatMap((r) => r.granted);
    for (const t of all) expect(all.filter((u) => u > t - 1_000 && u <= t).length).toBeLessThanOrEqual(30);
  });

  it('serves new customer messages before status updates, in arrival order among equals', async () => {
    const budget = new LocalTeamsBudget(teamsLimits(), now);
    const op: TeamsOp = { thread: 'c1', kind: 'send' };
    const held: BudgetGrant[] = [];
    for (let i = 0; i < 7; i++) held.push(await budget.acquire(op, 'conversation'));
    const order: string[] = [];
    const wait = (name: string, p: Priority) =>
      budget.acquire(op, p).then((g) => {
        order.push(name);
        g.settle();
      });
    const waiting = [
      wait('status-1', 'status'),
      wait('status-2', 'status'),
      wait('message-1', 'conversation'),
      wait('reply-1', 'reply'),
      wait('message-2', 'conversation'),
    ];
    for (const g of held) g.settle();
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(waiting);
    expect(order).toEqual(['message-1', 'message-2', 'reply-1', 'status-1', 'status-2']);
  });

  it('does not let a full thread hold up a thread with room', async () => {
    const budget = new LocalTeamsBudget(teamsLimits(), now);
    const full = await run(budget, { thread: 'busy', kind: 'send' }, 9, 'conversation');
    const other = await run(budget, { thread: 'quiet', kind: 'send' }, 1, 'status');
    await vi.advanceTimersByTimeAsync(0);
    await other.done;
    expect(other.granted).toEqual([now()]);
    expect(full.granted).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(2_000);
    await full.done;
  });

  it('holds a thread after a 429 until its Retry-After, and gives back tokens not used', async () => {
    const budget = new LocalTeamsBudget(teamsLimits(), now);
    const op: TeamsOp = { thread: 'c1', kind: 'send' };
    (await budget.acquire(op, 'conversation')).cancel();
    expect((await budget.usage('c1')).send.hour).toBe(0);
    budget.pause(op, now() + 5_000);
    const { granted, done } = await run(budget, op, 1);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(granted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(granted).toHaveLength(1);
  });

  it('reports each thread: the hour and the last 30 s, and the calls waiting', async () => {
    const budget = new LocalTeamsBudget(teamsLimits(), now);
    const { done } = await run(budget, { thread: 'c1', kind: 'send' }, 10);
    await vi.advanceTimersByTimeAsync(0);
    const use = await budget.usage('c1');
    expect(use.send).toEqual({ hour: 7, hourLimit: 1_800, halfMinute: 7, halfMinuteLimit: 60, waiting: 3 });
    expect(use.waiting).toBe(3);
    expect((await budget.usageAll()).map((u) => u.thread)).toEqual(['c1']);
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
  });
});
