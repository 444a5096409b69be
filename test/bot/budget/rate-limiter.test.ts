import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../../bot/budget/rate-limiter.ts';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimiter.delayFor', () => {
  it('lets calls through until a window is full, then waits for its oldest call to leave', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([{ limit: 2, windowMs: 1_000 }], clock.now);
    expect(limiter.delayFor('k')).toBe(0);
    await limiter.acquire('k');
    clock.advance(200);
    await limiter.acquire('k');
    expect(limiter.delayFor('k')).toBe(800);
    clock.advance(500);
    expect(limiter.delayFor('k')).toBe(300);
    clock.advance(300);
    expect(limiter.delayFor('k')).toBe(0);
  });

  it('respects every window at once', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(
      [
        { limit: 2, windowMs: 1_000 },
        { limit: 3, windowMs: 10_000 },
      ],
      clock.now,
    );
    await limiter.acquire('k');
    await limiter.acquire('k');
    // The short window is full.
    expect(limiter.delayFor('k')).toBe(1_000);
    clock.advance(1_000);
    await limiter.acquire('k');
    clock.advance(1_000);
    // The short window has room again, the long one is full until the first call is 10 s old.
    expect(limiter.delayFor('k')).toBe(8_000);
    clock.advance(8_000);
    expect(limiter.delayFor('k')).toBe(0);
  });

  it('counts each key on its own', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([{ limit: 1, windowMs: 1_000 }], clock.now);
    await limiter.acquire('thread-1');
    expect(limiter.delayFor('thread-1')).toBe(1_000);
    expect(limiter.delayFor('thread-2')).toBe(0);
  });
});

describe('RateLimiter.acquire', () => {
  it('lets queued callers of one key go in order, one per window', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter([{ limit: 1, windowMs: 1_000 }], () => Date.now());
    const order: number[] = [];
    const calls = [1, 2, 3].map((n) => limiter.acquire('k').then(() => order.push(n)));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([1]);
    await vi.advanceTimersByTimeAsync(999);
    expect(order).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([1, 2, 3]);
    await Promise.all(calls);
  });
});

describe('RateLimiter memory', () => {
  it('forgets keys whose calls have all left every window', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([{ limit: 5, windowMs: 30_000 }], clock.now);
    for (let i = 0; i < 50; i++) await limiter.acquire(`conversation-${i}`);
    expect(limiter.trackedKeys).toBe(50);
    clock.advance(30_001);
    await limiter.acquire('conversation-new');
    expect(limiter.trackedKeys).toBe(1);
  });
});
