/** What both Teams budgets (one process's, and the one instances share) say about a thread's use. */
import type { BudgetGrant, TeamsOp, ThreadUsage } from './teams-budget.ts';
import { hourlyLimit, type TeamsLimits, type TeamsOpKind } from './teams-limits.ts';

export const HOUR = 3_600_000;
export const HALF_MINUTE = 30_000;

/** A call waiting for a token: the most important (lowest rank) first, then the oldest (seq). */
export interface Waiter {
  op: TeamsOp;
  rank: number;
  seq: number;
  resolve: (grant: BudgetGrant) => void;
}

/** Most important first, in arrival order among equals. */
export function byImportance(a: Waiter, b: Waiter): number {
  return a.rank - b.rank || a.seq - b.seq;
}

/** The use of `thread`'s budget; `count` says how many of a kind's operations a window holds. */
export function threadUsage(
  thread: string,
  limits: TeamsLimits,
  waiters: readonly Waiter[],
  count: (kind: TeamsOpKind, windowMs: number) => number,
): ThreadUsage {
  const kindUsage = (kind: TeamsOpKind) => ({
    hour: count(kind, HOUR),
    hourLimit: hourlyLimit(limits, kind),
    halfMinute: count(kind, HALF_MINUTE),
    halfMinuteLimit: limits.perThread[kind].find((w) => w.windowMs === HALF_MINUTE)?.limit ?? 0,
    waiting: waiters.filter((w) => w.op.thread === thread && w.op.kind === kind).length,
  });
  return {
    thread,
    send: kindUsage('send'),
    create: kindUsage('create'),
    waiting: waiters.filter((w) => w.op.thread === thread).length,
  };
}
