/**
 * The Teams budget of one process. Callers wait in one queue; whenever the windows allow, the
 * most important waiter whose thread (and the app) has room goes first, in arrival order among
 * equals. A waiter whose thread is full does not hold up one whose thread has room.
 */
import {
  type BudgetGrant,
  PRIORITY_RANK,
  type Priority,
  type TeamsBudget,
  type TeamsOp,
  type ThreadUsage,
} from './teams-budget.ts';
import type { TeamsLimits, TeamsOpKind } from './teams-limits.ts';
import { byImportance, HOUR, threadUsage, type Waiter } from './thread-usage.ts';
import { WakeTimer } from './wake-timer.ts';
import { WindowCounter } from './windows.ts';

export class LocalTeamsBudget implements TeamsBudget {
  private readonly threads = new Map<string, Record<TeamsOpKind, WindowCounter>>();
  private readonly app: WindowCounter;
  private waiters: Waiter[] = [];
  private seq = 0;
  private readonly wakeTimer = new WakeTimer(() => this.pump());
  private lastSweep = 0;

  constructor(
    private readonly limits: TeamsLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.app = new WindowCounter(limits.perApp);
  }

  acquire(op: TeamsOp, priority: Priority): Promise<BudgetGrant> {
    return new Promise((resolve) => {
      this.waiters.push({ op, rank: PRIORITY_RANK[priority], seq: this.seq++, resolve });
      this.pump();
    });
  }

  pause(op: TeamsOp, until: number): void {
    this.counter(op).pause(until);
    this.pump();
  }

  async usage(thread: string): Promise<ThreadUsage> {
    return this.usageOf(thread, this.now());
  }

  async usageAll(): Promise<ThreadUsage[]> {
    const now = this.now();
    const names = new Set([...this.threads.keys(), ...this.waiters.map((w) => w.op.thread)]);
    return [...names].map((t) => this.usageOf(t, now));
  }

  private usageOf(thread: string, now: number): ThreadUsage {
    const counters = this.threads.get(thread);
    return threadUsage(
      thread,
      this.limits,
      this.waiters,
      (kind, windowMs) => counters?.[kind].used(windowMs, now) ?? 0,
    );
  }

  private counter(op: TeamsOp): WindowCounter {
    let counters = this.threads.get(op.thread);
    if (!counters) {
      counters = {
        send: new WindowCounter(this.limits.perThread.send),
        create: new WindowCounter(this.limits.perThread.create),
        read: new WindowCounter(this.limits.perThread.read),
      };
      this.threads.set(op.thread, counters);
    }
    return counters[op.kind];
  }

  /** Grants every waiter that fits now, most important first; sleeps until the next one may. */
  private pump(): void {
    const now = this.now();
    for (;;) {
      let best: Waiter | undefined;
      let soonest = Number.POSITIVE_INFINITY;
      const appWait = this.app.delay(now);
      for (const w of this.waiters) {
        const wait = Math.max(appWait, this.counter(w.op).delay(now));
        if (wait > 0) {
          soonest = Math.min(soonest, wait);
          continue;
        }
        if (!best || byImportance(w, best) < 0) best = w;
      }
      if (!best) {
        this.sleep(soonest, now);
        break;
      }
      this.waiters = this.waiters.filter((w) => w !== best);
      best.resolve(this.grant(best.op));
    }
    this.sweep(now);
  }

  private grant(op: TeamsOp): BudgetGrant {
    const thread = this.counter(op).take();
    const app = this.app.take();
    return {
      settle: () => {
        const at = this.now();
        thread.settle(at);
        app.settle(at);
        this.pump();
      },
      cancel: () => {
        thread.cancel();
        app.cancel();
        this.pump();
      },
    };
  }

  private sleep(ms: number, now: number): void {
    // Infinity: only an operation in flight ending can make room, and its settle pumps.
    if (!Number.isFinite(ms)) return;
    this.wakeTimer.in(ms, now);
  }

  /** Threads out of every window are forgotten, so the map does not grow with every thread. */
  private sweep(now: number): void {
    if (now - this.lastSweep < HOUR / 60) return;
    this.lastSweep = now;
    for (const [thread, counters] of this.threads) {
      if (this.waiters.some((w) => w.op.thread === thread)) continue;
      if (Object.values(counters).every((c) => c.idle(now))) this.threads.delete(thread);
    }
  }
}
