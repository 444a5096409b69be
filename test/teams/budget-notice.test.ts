/** The 80 % notice: once a channel passes it, one card, at most once an hour; chats are not told. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { TeamsBudget, ThreadUsage } from '../../bot/budget/teams-budget.ts';
import type { Route, Store } from '../../bot/store/types.ts';
import { BudgetNotice } from '../../bot/teams/budget-notice.ts';
import type { TeamsOutbound } from '../../bot/teams/outbound.ts';
import { cardText } from '../helpers/cards.ts';

const usage = (thread: string, sends: number, creates = 0): ThreadUsage => ({
  thread,
  send: { hour: sends, hourLimit: 1_800, halfMinute: 0, halfMinuteLimit: 60, waiting: 0 },
  create: { hour: creates, hourLimit: 1_800, halfMinute: 0, halfMinuteLimit: 60, waiting: 0 },
  waiting: 0,
});

function harness(uses: ThreadUsage[]) {
  let now = 1_000_000;
  const posted: Array<{ channel: string; text: string }> = [];
  const routes = [
    { provider: 'sinch', businessNumber: '+61491570156', teamsChannelId: '19:busy', conversationRef: {} },
    { provider: 'sinch', businessNumber: '+61491570157', teamsChannelId: '19:calm', conversationRef: {} },
  ] as Route[];
  const budget = { usageAll: async () => uses } as unknown as TeamsBudget;
  const store = { listRoutes: async () => routes } as unknown as Store;
  const teams = {
    withPriority: (_p: string, work: () => Promise<unknown>) => work(),
    createThread: async (_ref: unknown, channel: string, card: unknown) => {
      posted.push({ channel, text: cardText({ attachments: [{ content: card }] }) });
    },
  } as unknown as TeamsOutbound;
  const notice = new BudgetNotice(budget, store, teams, pino({ level: 'silent' }), { now: () => now });
  return { notice, posted, advance: (ms: number) => (now += ms) };
}

describe('BudgetNotice', () => {
  it('tells a channel past 80 % of its hour once an hour, and nobody else', async () => {
    const h = harness([usage('19:busy', 1_512), usage('19:calm', 1_400), usage('29:chat-with-alex', 1_700)]);
    await h.notice.check();
    expect(h.posted.map((p) => p.channel)).toEqual(['19:busy']);
    expect(h.posted[0]?.text).toContain('1,512');
    expect(h.posted[0]?.text).toContain('second channel');
    await h.notice.check();
    h.advance(59 * 60_000);
    await h.notice.check();
    expect(h.posted).toHaveLength(1);
    h.advance(60_000);
    await h.notice.check();
    expect(h.posted).toHaveLength(2);
  });

  it('counts new threads too', async () => {
    const h = harness([usage('19:busy', 10, 1_450)]);
    await h.notice.check();
    expect(h.posted[0]?.text).toContain('new threads');
  });
});
