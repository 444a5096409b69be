/**
 * Sliding-window rate limiting per key, for the providers' connections (<PROVIDER>_RATE_LIMIT
 * calls per minute): `acquire` waits its turn, callers of one key in order. Teams has a budget of
 * its own (teams-budget.ts).
 */
import { KeyQueue } from './key-queue.ts';
import type { RateWindow } from './windows.ts';

export type { RateWindow };

/** What a provider's calls wait on: this process's limiter, or the one instances share. */
export interface CallLimiter {
  /** Resolves when a call for `key` may go out, and counts it. Callers of one key queue in order. */
  acquire(key: string): Promise<void>;
}

export class RateLimiter implements CallLimiter {
  private readonly stamps = new Map<string, number[]>();
  private readonly queue = new KeyQueue();
  private readonly horizon: number;
  private lastSweep: number;

  constructor(
    private readonly windows: RateWindow[],
    private readonly clock: () => number = Date.now,
  ) {
    this.horizon = Math.max(...windows.map((w) => w.windowMs));
    this.lastSweep = clock();
  }

  /** Keys with calls still inside a window (the rest are forgotten). */
  get trackedKeys(): number {
    return this.stamps.size;
  }

  /** Resolves when a call for `key` may go out, and counts it. Callers of one key queue in order. */
  acquire(key: string): Promise<void> {
    return this.queue.run(key, () => this.waitAndTake(key));
  }

  /** How long a call for `key` would have to wait now, in ms. */
  delayFor(key: string): number {
    const at = this.clock();
    const stamps = this.prune(key, at);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = stamps.filter((t) => t > at - w.windowMs);
      if (inWindow.length >= w.limit) {
        const oldest = inWindow[inWindow.length - w.limit];
        if (oldest !== undefined) wait = Math.max(wait, oldest + w.windowMs - at);
      }
    }
    return wait;
  }

  private async waitAndTake(key: string): Promise<void> {
    for (;;) {
      const wait = this.delayFor(key);
      if (wait <= 0) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    const at = this.clock();
    const stamps = this.stamps.get(key) ?? [];
    stamps.push(at);
    this.stamps.set(key, stamps);
    // Keys are Teams conversations: without a sweep every thread ever posted to stays here.
    if (at - this.lastSweep > this.horizon) {
      this.lastSweep = at;
      for (const other of [...this.stamps.keys()]) this.prune(other, at);
    }
  }

  private prune(key: string, at: number): number[] {
    const stamps = this.stamps.get(key);
    if (!stamps) return [];
    const firstLive = stamps.findIndex((t) => t > at - this.horizon);
    if (firstLive === -1) {
      this.stamps.delete(key);
      return [];
    }
    if (firstLive > 0) stamps.splice(0, firstLive);
    return stamps;
  }
}
