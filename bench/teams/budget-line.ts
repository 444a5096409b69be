/**
 * The most operations Teams' windows allow from a fresh start, over time: a sender that sends as
 * soon as every window has room. The benchmark's charts draw it as the budget line, and the share
 * of it the bot used while work waited is its budget use.
 */
import type { RateWindow } from '../../bot/budget/windows.ts';

/** Times (ms from the start) of the greedy sender's operations up to `horizonMs`. */
export function greedySchedule(windows: readonly RateWindow[], horizonMs: number): number[] {
  const sent: number[] = [];
  let t = 0;
  for (;;) {
    let wait = 0;
    for (const w of windows) {
      const inWindow = sent.filter((s) => s > t - w.windowMs).length;
      if (inWindow >= w.limit) {
        const leaving = sent[sent.length - w.limit] as number;
        wait = Math.max(wait, leaving + w.windowMs - t);
      }
    }
    t += wait;
    if (t > horizonMs) return sent;
    sent.push(t);
  }
}

/** How many operations the windows allow within `ms` of a fresh start. */
export function mostWithin(windows: readonly RateWindow[], ms: number): number {
  return greedySchedule(windows, ms).length;
}

/** The budget line as chart points: [seconds, operations allowed so far]. */
export function budgetPoints(windows: readonly RateWindow[], horizonMs: number): Array<[number, number]> {
  return greedySchedule(windows, horizonMs).map((t, i) => [t / 1000, i + 1]);
}

export interface Admitted {
  thread: string;
  kind: string;
  at: number;
}

/**
 * How full the binding window was at `now` for calls of `kind` in `thread` waiting then: the
 * fullest of the thread's windows for that kind and the app's, counted by arrival at the fake
 * connector (1 = a window was full, so waiting was the budget's doing).
 */
export function fullness(
  admitted: readonly Admitted[],
  thread: string,
  kind: 'send' | 'create',
  threadWindows: readonly RateWindow[],
  appWindows: readonly RateWindow[],
  now: number,
): number {
  let full = 0;
  for (const w of threadWindows) {
    const n = admitted.filter(
      (a) => a.thread === thread && a.kind === kind && a.at > now - w.windowMs,
    ).length;
    full = Math.max(full, n / w.limit);
  }
  for (const w of appWindows)
    full = Math.max(full, admitted.filter((a) => a.at > now - w.windowMs).length / w.limit);
  return Math.min(1, full);
}
