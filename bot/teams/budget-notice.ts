/**
 * Says so in a channel when it has used most of its hourly Teams budget: once it passes 80 % of
 * its hour (posts and updates, or new threads), the channel gets one notice card, at most once an
 * hour, suggesting a second channel for some of its numbers. Chats are not told (no route).
 */
import type { Logger } from 'pino';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { TeamsBudget, ThreadUsage } from '../budget/teams-budget.ts';
import type { Route, Store } from '../store/types.ts';
import type { TeamsOutbound } from './outbound.ts';

export const NOTICE_SHARE = 0.8;
const HOUR = 3_600_000;

export interface BudgetNoticeOptions {
  everyMs?: number;
  now?: () => number;
}

/** The notice of a channel at `usage`, naming its busiest kind of operation. */
export function budgetNoticeCard(usage: ThreadUsage, route: Route) {
  const n = (x: number) => x.toLocaleString('en-US');
  const sends = usage.send.hour / Math.max(1, usage.send.hourLimit);
  const creates = usage.create.hour / Math.max(1, usage.create.hourLimit);
  const [used, limit, what] =
    sends >= creates
      ? [usage.send.hour, usage.send.hourLimit, 'posts and updates']
      : [usage.create.hour, usage.create.hourLimit, 'new threads'];
  return renderNoticeCard({
    title: 'This channel is using most of its Teams budget',
    text:
      `Teams lets a bot make ${n(limit)} ${what} an hour in one channel, and this channel made ${n(used)} ` +
      `in the last hour (${Math.round((used / Math.max(1, limit)) * 100)}%). Messages that wait are folded ` +
      'into fewer cards, but at the limit new customer messages reach the channel later. To spread the ' +
      `load, link some numbers to a second channel: send **link ${route.provider === '*' ? 'all' : route.provider} ‹number›** ` +
      'in that channel, and **links** shows each channel’s use of its budget.',
    style: 'warning',
  });
}

export class BudgetNotice {
  private timer: NodeJS.Timeout | undefined;
  private readonly everyMs: number;
  private readonly now: () => number;

  constructor(
    private readonly budget: TeamsBudget,
    private readonly store: Store,
    private readonly teams: TeamsOutbound,
    private readonly log: Logger,
    options: BudgetNoticeOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.check().catch((err: unknown) => this.log.warn({ err }, 'could not check the Teams budget'));
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Posts the notice to every channel past NOTICE_SHARE and not told in the last hour. */
  async check(): Promise<void> {
    const busy = (await this.budget.usageAll()).filter(
      (u) =>
        Math.max(
          u.send.hour / Math.max(1, u.send.hourLimit),
          u.create.hour / Math.max(1, u.create.hourLimit),
        ) >= NOTICE_SHARE,
    );
    if (busy.length === 0) return;
    const routes = await this.store.listRoutes();
    for (const usage of busy) {
      const route = routes.find((r) => r.teamsChannelId === usage.thread);
      // The store remembers when the channel was told: with several instances on one database,
      // the first to claim the hour tells it and the others stay silent.
      if (!route || !(await this.store.claimNotice(`budget:${usage.thread}`, this.now(), HOUR))) continue;
      await this.teams.withPriority('reply', () =>
        this.teams.createThread(route.conversationRef, route.teamsChannelId, budgetNoticeCard(usage, route)),
      );
      this.log.warn(
        { channel: usage.thread, sends: usage.send.hour, creates: usage.create.hour },
        'channel near its hourly Teams budget',
      );
    }
  }
}
