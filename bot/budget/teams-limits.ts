/**
 * Teams' documented rate limits (teams.md §2, msteams-docs rate-limit.md). Per bot and per
 * thread (a channel is one thread), each operation has four windows; send and create are counted
 * apart (across all bots a thread takes 14 a second and 16 in 2 s of both together: 7 + 7, 8 + 8).
 * Updating or deleting a message is a send. Per app and tenant, all requests together: 30 a second
 * is the conservative published figure (newer pages say 50).
 */
import type { RateWindow } from './windows.ts';

/** What Teams counts an operation as. */
export type TeamsOpKind = 'send' | 'create' | 'read';

export interface TeamsLimits {
  perThread: Readonly<Record<TeamsOpKind, readonly RateWindow[]>>;
  perApp: readonly RateWindow[];
}

const HOUR = 3_600_000;

/**
 * The send and create windows for `per30s` operations per 30 s (TEAMS_RATE_LIMIT, documented:
 * 60); the 1 s, 2 s and hour windows keep their documented proportions to it.
 */
export function threadWindows(per30s: number): RateWindow[] {
  const scale = per30s / 60;
  return [
    { limit: Math.max(1, Math.floor(7 * scale)), windowMs: 1_000 },
    { limit: Math.max(1, Math.floor(8 * scale)), windowMs: 2_000 },
    { limit: per30s, windowMs: 30_000 },
    { limit: per30s * 30, windowMs: HOUR },
  ];
}

/** Reading members and conversations: 14 / 16 / 120 / 3,600. */
const READ_WINDOWS: RateWindow[] = [
  { limit: 14, windowMs: 1_000 },
  { limit: 16, windowMs: 2_000 },
  { limit: 120, windowMs: 30_000 },
  { limit: 3_600, windowMs: HOUR },
];

export function teamsLimits(per30s = 60, appPerSecond = 30): TeamsLimits {
  const windows = threadWindows(per30s);
  return {
    perThread: { send: windows, create: windows, read: READ_WINDOWS },
    perApp: [{ limit: appPerSecond, windowMs: 1_000 }],
  };
}

/** The hour's budget of a thread for sends (and, apart, for creates): 1,800 as documented. */
export function hourlyLimit(limits: TeamsLimits, kind: TeamsOpKind = 'send'): number {
  return limits.perThread[kind].find((w) => w.windowMs === HOUR)?.limit ?? 0;
}
