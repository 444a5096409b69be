/**
 * The Teams budget of several instances on one database (issue 11): every token is counted in
 * the shared counters (a PostgreSQL store's budget_ops), so the windows of a thread and of the app
 * hold for all instances together, and a 429 one of them got holds the thread for all.
 *
 * Within this instance callers wait in one queue as in LocalTeamsBudget: the most important
 * waiter goes first, in arrival order among equals, and a waiter whose thread is full does not
 * hold up one whose thread has room. Between instances the database decides who takes a place
 * first. A waiter is tried again when its window should have room, when an operation of its
 * thread (or any, for the app) ended here, or after a short while when the room depends on
 * another instance's calls in flight.
 */
import type { KeyWindows, SharedCounters } from './shared-counters.ts';
import {
  type BudgetGrant,
  PRIORITY_RANK,
  type Priority,
  type TeamsBudget,
  type TeamsOp,
  type ThreadUsage,
} from './teams-budget.ts';
import type { TeamsLimits } from './teams-limits.ts';
import { type Waiter as BaseWaiter, byImportance, HALF_MINUTE, HOUR, threadUsage } from './thread-usage.ts';
import { WakeTimer } from './wake-timer.ts';

interface Waiter extends BaseWaiter {
  key: string;
}
const APP_KEY = 'teams-app';
const PREFIX = 'teams:';
/** A call longer than this is taken for ended when it was not settled (its instance died). */
const IN_FLIGHT_MS = 60_000;
/** The database did not answer: waiters are tried again after this. */
const RETRY_MS = 1_000;

/** The budget key of an operation: its kind and thread (a thread id may hold colons). */
export function teamsKey(op: TeamsOp): string {
  return `${PREFIX}${op.kind}:${op.thread}`;
}

function parseKey(key: string): TeamsOp | undefined {
  const rest = key.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  const kind = rest.slice(0, colon);
  if (!key.startsWith(PREFIX) || (kind !== 'send' && kind !== 'create' && kind !== 'read')) return undefined;
  return { kind, thread: rest.slice(colon + 1) };
}

export class SharedTeamsBudget implements TeamsBudget {
  private waiters: Waiter[] = [];
  private seq = 0;
  /** Per key (and the app's), not worth asking the database before this local time. */
  private readonly notBefore = new Map<string, number>();
  private pumping = false;
  private again = false;
  private readonly wakeTimer = new WakeTimer(() => this.pump());

  constructor(
    private readonly counters: SharedCounters,
    private readonly limits: TeamsLimits,
    private readonly onError: (err: Error) => void,
  ) {}

  acquire(op: TeamsOp, priority: Priority): Promise<BudgetGrant> {
    return new Promise((resolve) => {
      this.waiters.push({ op, key: teamsKey(op), rank: PRIORITY_RANK[priority], seq: this.seq++, resolve });
      this.pump();
    });
  }

  pause(op: TeamsOp, until: number): void {
    this.counters.pause(teamsKey(op), until - Date.now()).then(
      () => this.pump(),
      (err: unknown) => this.onError(err as Error),
    );
  }

  async usage(thread: string): Promise<ThreadUsage> {
    const counts = await this.counters.usage(PREFIX, [HOUR, HALF_MINUTE]);
    return this.usageOf(thread, counts);
  }

  async usageAll(): Promise<ThreadUsage[]> {
    const counts = await this.counters.usage(PREFIX, [HOUR, HALF_MINUTE]);
    const threads = new Set(this.waiters.map((w) => w.op.thread));
    for (const key of counts.keys()) {
      const op = parseKey(key);
      if (op) threads.add(op.thread);
    }
    return [...threads].map((t) => this.usageOf(t, counts));
  }

  private usageOf(thread: string, counts: Map<string, number[]>): ThreadUsage {
    return threadUsage(thread, this.limits, this.waiters, (kind, windowMs) => {
      const [hour = 0, halfMinute = 0] = counts.get(teamsKey({ thread, kind })) ?? [];
      return windowMs === HOUR ? hour : halfMinute;
    });
  }

  private keysOf(op: TeamsOp): KeyWindows[] {
    return [
      { key: teamsKey(op), windows: this.limits.perThread[op.kind] },
      { key: APP_KEY, windows: this.limits.perApp },
    ];
  }

  /** One pass at a time; a reason to look again during a pass runs another after it. */
  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.again = false;
    this.pass()
      .catch((err: unknown) => {
        this.onError(err as Error);
        this.sleep(RETRY_MS);
      })
      .finally(() => {
        this.pumping = false;
        if (this.again) this.pump();
      });
  }

  /** Tries the waiters most important first, one per key; sleeps until the next may fit. */
  private async pass(): Promise<void> {
    const order = [...this.waiters].sort(byImportance);
    const tried = new Set<string>();
    for (const w of order) {
      if (tried.has(w.key) || this.waitLeft(APP_KEY) > 0) continue;
      tried.add(w.key);
      if (this.waitLeft(w.key) > 0) continue;
      const taken = await this.counters.take(this.keysOf(w.op), IN_FLIGHT_MS);
      if (!taken.ok) {
        this.notBefore.set(taken.key, Date.now() + taken.waitMs);
        continue;
      }
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(this.grant(w, taken.ids));
    }
    const waiting = new Set(this.waiters.map((w) => w.key));
    let soonest = Number.POSITIVE_INFINITY;
    for (const [key, at] of this.notBefore) {
      if (at <= Date.now()) this.notBefore.delete(key);
      else if (waiting.has(key) || key === APP_KEY) soonest = Math.min(soonest, at - Date.now());
    }
    // Everything waiting was tried and fits nowhere before `soonest`; or nothing waits.
    if (this.waiters.length > 0) this.sleep(Number.isFinite(soonest) ? soonest : 0);
  }

  private waitLeft(key: string): number {
    return (this.notBefore.get(key) ?? 0) - Date.now();
  }

  private grant(w: Waiter, ids: number[]): BudgetGrant {
    let done = false;
    const end = (how: 'settle' | 'cancel') => {
      if (done) return;
      done = true;
      this.counters[how](ids).then(
        () => {
          // Room may have come in this thread's windows and the app's: ask again at once.
          this.notBefore.delete(w.key);
          this.notBefore.delete(APP_KEY);
          this.pump();
        },
        // Unsettled, the operation counts until IN_FLIGHT_MS after it began: more, never less.
        (err: unknown) => this.onError(err as Error),
      );
    };
    return { settle: () => end('settle'), cancel: () => end('cancel') };
  }

  private sleep(ms: number): void {
    this.wakeTimer.in(ms);
  }
}
