/**
 * Teams' rate limits as the fake Bot Connector enforces them: per bot and thread (a channel with
 * its threads is one thread), send and create each 7 a second, 8 in 2 s, 60 in 30 s and 1,800 an
 * hour; reading members 14 / 16 / 120 / 3,600; and the app's requests together 30 a second
 * (msteams-docs rate-limit.md, teams.md §2). Counted by arrival, over sliding windows, as a
 * request that is let through; a request over any window is answered 429 and not counted.
 *
 * Written apart from the bot's own budget (bot/budget) on purpose: the fake checks the bot, it
 * does not share its arithmetic.
 */

export interface ThrottleLimits {
  perThread: Record<'send' | 'create' | 'read', Array<{ limit: number; windowMs: number }>>;
  perApp: Array<{ limit: number; windowMs: number }>;
}

const HOUR = 3_600_000;

export const DOCUMENTED_LIMITS: ThrottleLimits = {
  perThread: {
    send: [
      { limit: 7, windowMs: 1_000 },
      { limit: 8, windowMs: 2_000 },
      { limit: 60, windowMs: 30_000 },
      { limit: 1_800, windowMs: HOUR },
    ],
    create: [
      { limit: 7, windowMs: 1_000 },
      { limit: 8, windowMs: 2_000 },
      { limit: 60, windowMs: 30_000 },
      { limit: 1_800, windowMs: HOUR },
    ],
    read: [
      { limit: 14, windowMs: 1_000 },
      { limit: 16, windowMs: 2_000 },
      { limit: 120, windowMs: 30_000 },
      { limit: 3_600, windowMs: HOUR },
    ],
  },
  perApp: [{ limit: 30, windowMs: 1_000 }],
};

export interface ThrottledOp {
  thread: string;
  kind: 'send' | 'create' | 'read';
}

/** What Teams counts a request as: a new conversation is a create in its channel. */
export function classify(method: string, parts: string[], raw: Buffer): ThrottledOp | undefined {
  const [v3, area, id, sub] = parts;
  if (v3 !== 'v3') return undefined;
  if (area === 'conversations' && id === undefined && method === 'POST') {
    let channel = 'new-chat';
    try {
      const body = JSON.parse(raw.toString('utf8')) as {
        channelData?: { channel?: { id?: string } };
        members?: Array<{ id?: string }>;
      };
      channel = body.channelData?.channel?.id ?? body.members?.[0]?.id ?? channel;
    } catch {
      // Not JSON: the route answers 400 for it anyway.
    }
    return { thread: channel, kind: 'create' };
  }
  if (area === 'conversations' && id !== undefined) {
    const thread = id.split(';messageid=')[0] ?? id;
    return { thread, kind: method !== 'GET' && sub === 'activities' ? 'send' : 'read' };
  }
  if (area === 'teams' && id !== undefined) return { thread: id, kind: 'read' };
  return undefined;
}

export class Throttle {
  private readonly arrivals = new Map<string, number[]>();
  private readonly app: number[] = [];

  constructor(private readonly limits: ThrottleLimits) {}

  /** 0 when the request is let through (and counted); else how long until it would be, in ms. */
  admit(op: ThrottledOp, now: number): number {
    const key = `${op.kind}\n${op.thread}`;
    const thread = this.arrivals.get(key) ?? [];
    const wait = Math.max(
      waitFor(thread, this.limits.perThread[op.kind], now),
      waitFor(this.app, this.limits.perApp, now),
    );
    if (wait > 0) return wait;
    thread.push(now);
    this.arrivals.set(key, thread);
    this.app.push(now);
    return 0;
  }
}

/** How long until one more arrival fits every window (0: now). Drops arrivals older than all. */
function waitFor(arrivals: number[], windows: ThrottleLimits['perApp'], now: number): number {
  const longest = Math.max(...windows.map((w) => w.windowMs));
  while (arrivals.length > 0 && (arrivals[0] ?? 0) <= now - longest) arrivals.shift();
  let wait = 0;
  for (const w of windows) {
    const inWindow = arrivals.filter((t) => t > now - w.windowMs);
    if (inWindow.length >= w.limit) {
      const oldest = inWindow[inWindow.length - w.limit] ?? now;
      wait = Math.max(wait, oldest + w.windowMs - now);
    }
  }
  return wait;
}
