/**
 * Several sliding windows counted at once (Teams limits a thread to 7 a second AND 8 in 2 s AND
 * 60 in 30 s AND 1,800 an hour). An operation counts from the moment it is taken; once it ended
 * (settled) it counts until `windowMs` after its end, the latest moment the other side can have
 * counted it. So the count is never below the other side's, whatever the time a call took.
 */

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Until the operation settles, it counts in every window; its ticket settles or cancels it. */
export interface Ticket {
  /** The call was made and has ended (answered or failed): count it from `at`. */
  settle(at: number): void;
  /** The call was never made: it counts nowhere. */
  cancel(): void;
}

export class WindowCounter {
  /** End times of settled operations, oldest first. */
  private readonly settled: number[] = [];
  /** Taken and not settled (in flight). */
  private open = 0;
  private pausedUntil = 0;
  private readonly horizon: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.horizon = Math.max(...windows.map((w) => w.windowMs));
  }

  /**
   * How long from `now` until one more operation fits every window: 0 when it fits now,
   * Infinity when only the end of an operation in flight can make room.
   */
  delay(now: number): number {
    this.prune(now);
    let wait = Math.max(0, this.pausedUntil - now);
    for (const w of this.windows) {
      const inWindow = this.countSince(now - w.windowMs);
      const over = this.open + inWindow - w.limit + 1;
      if (over <= 0) continue;
      if (over > inWindow) return Number.POSITIVE_INFINITY;
      // The window has room once the `over` oldest of its settled operations left it.
      const leaving = this.settled[this.settled.length - inWindow + over - 1] ?? now;
      wait = Math.max(wait, leaving + w.windowMs - now);
    }
    return wait;
  }

  take(): Ticket {
    this.open += 1;
    let done = false;
    return {
      settle: (at) => {
        if (done) return;
        done = true;
        this.open -= 1;
        this.insert(at);
      },
      cancel: () => {
        if (done) return;
        done = true;
        this.open -= 1;
      },
    };
  }

  /** Nothing may go before `until` (Teams answered 429 with Retry-After). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Operations counted in the last `windowMs` (in flight included). */
  used(windowMs: number, now: number): number {
    return this.open + this.countSince(now - windowMs);
  }

  /** Nothing in flight and nothing left in any window: the counter can be forgotten. */
  idle(now: number): boolean {
    this.prune(now);
    return this.open === 0 && this.settled.length === 0 && this.pausedUntil <= now;
  }

  private countSince(from: number): number {
    // Binary search for the first end time after `from`.
    let lo = 0;
    let hi = this.settled.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.settled[mid] ?? 0) > from) hi = mid;
      else lo = mid + 1;
    }
    return this.settled.length - lo;
  }

  private insert(at: number): void {
    let i = this.settled.length;
    while (i > 0 && (this.settled[i - 1] ?? 0) > at) i -= 1;
    this.settled.splice(i, 0, at);
  }

  private prune(now: number): void {
    const gone = this.settled.length - this.countSince(now - this.horizon);
    if (gone > 0) this.settled.splice(0, gone);
  }
}
