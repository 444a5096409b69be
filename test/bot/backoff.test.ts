import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../bot/worker/backoff.ts';

const top = () => 1;
const bottom = () => 0;

describe('backoffMs', () => {
  it('doubles with every attempt', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, undefined, top));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    for (let i = 1; i < ceilings.length; i++) expect(ceilings[i]).toBe(2 * (ceilings[i - 1] ?? 0));
  });

  it('treats attempt 0 like the first attempt', () => {
    expect(backoffMs(0, undefined, top)).toBe(backoffMs(1, undefined, top));
  });

  it('is capped at five minutes', () => {
    expect(backoffMs(9, undefined, top)).toBe(256_000);
    for (const attempt of [10, 11, 20, 100]) expect(backoffMs(attempt, undefined, top)).toBe(300_000);
  });

  it('jitters between half the ceiling and the ceiling', () => {
    for (const attempt of [1, 3, 8, 30]) {
      const ceiling = backoffMs(attempt, undefined, top);
      expect(backoffMs(attempt, undefined, bottom)).toBe(ceiling / 2);
      expect(backoffMs(attempt, undefined, () => 0.5)).toBe(Math.round((ceiling * 3) / 4));
      for (let r = 0; r < 1; r += 0.05) {
        const delay = backoffMs(attempt, undefined, () => r);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('uses Math.random by default, within the same bounds', () => {
    for (let i = 0; i < 50; i++) {
      const delay = backoffMs(2);
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });

  it("never waits less than the server's Retry-After", () => {
    expect(backoffMs(1, 60_000, top)).toBe(60_000);
    expect(backoffMs(20, 900_000, top)).toBe(900_000);
    // A shorter Retry-After does not shorten the backoff.
    expect(backoffMs(4, 10, bottom)).toBe(4_000);
    expect(backoffMs(1, 0, bottom)).toBe(500);
  });
});
