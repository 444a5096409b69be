/**
 * Sliding-window counters that several bot instances share (a PostgreSQL store implements them:
 * bot/store/budget-counters.ts). The shared Teams budget and the shared provider limiters are
 * built on them, so two instances spend one budget and never provoke a 429 that one would not.
 *
 * An operation counts under each of its keys from the moment it is taken until `windowMs` after
 * it ended (windows.ts has the same rule for one process); every check and take happens on the
 * database's clock, so instances whose clocks differ still agree.
 */
import type { RateWindow } from './windows.ts';

/** A key (a Teams thread and kind, the Teams app, a provider connection) and its windows. */
export interface KeyWindows {
  key: string;
  windows: readonly RateWindow[];
}

export type TakeResult =
  /** Counted under every key; `ids` settle or cancel it. */
  | { ok: true; ids: number[] }
  /** Some key is full or paused: try again in `waitMs` at the earliest; `key` is the one that was. */
  | { ok: false; waitMs: number; key: string };

export interface SharedCounters {
  /**
   * Atomically, across instances: when one more operation fits every window of every key and no
   * key is paused, counts it under each key (in flight, for `inFlightMs` at most) and says so;
   * otherwise counts nothing and says how long until it might fit.
   */
  take(keys: readonly KeyWindows[], inFlightMs: number): Promise<TakeResult>;
  /** The operations ended now: they count until a window after now. */
  settle(ids: readonly number[]): Promise<void>;
  /** The operations never happened: they count nowhere. */
  cancel(ids: readonly number[]): Promise<void>;
  /** Nothing of `key` is taken for the next `ms` (a longer pause already set stays). */
  pause(key: string, ms: number): Promise<void>;
  /**
   * Operations counted now in each of `windowsMs`, for every key that starts with `prefix` and
   * counts in the longest of them.
   */
  usage(prefix: string, windowsMs: readonly number[]): Promise<Map<string, number[]>>;
}
