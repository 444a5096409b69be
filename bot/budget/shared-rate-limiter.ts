/**
 * A provider connection's rate limit (<PROVIDER>_RATE_LIMIT calls per minute) shared by every
 * instance on one database: a call is counted in the shared counters before it goes out, so two
 * instances together make no more calls a minute than one would. Callers of one key in this
 * instance queue in order, as with RateLimiter.
 *
 * A provider counts a call when it arrives, a moment after its token was taken (longer when the
 * event loop is busy); a token counts from the moment it is taken until `startMs` later as well
 * as its window after that, so a call that arrives within `startMs` is within the limit.
 */
import { KeyQueue } from './key-queue.ts';
import type { CallLimiter } from './rate-limiter.ts';
import type { SharedCounters } from './shared-counters.ts';
import type { RateWindow } from './windows.ts';

export class SharedRateLimiter implements CallLimiter {
  private readonly queue = new KeyQueue();

  constructor(
    private readonly counters: SharedCounters,
    private readonly windows: readonly RateWindow[],
    private readonly startMs = 2_000,
  ) {}

  /** Resolves when a call for `key` may go out, counted for every instance; rejects when the database fails. */
  acquire(key: string): Promise<void> {
    return this.queue.run(key, async () => {
      for (;;) {
        const taken = await this.counters.take(
          [{ key: `provider:${key}`, windows: this.windows }],
          this.startMs,
        );
        if (taken.ok) return;
        await new Promise((r) => setTimeout(r, taken.waitMs));
      }
    });
  }
}
