/**
 * The 80 % notice: once a channel passes it, one card, at most once an hour; chats are not told.
 * The store remembers the hour, so two instances on one store tell a channel once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsBudget, ThreadUsage } from '../../bot/budget/teams-budget.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import { BudgetNotice } from '../../bot/teams/budget-notice.ts';
import type { TeamsOutbound } from '../../bot/teams/outbound.ts';
import { cardText } from '../helpers/cards.ts';

const usage = (thread: string, sends: number, creates = 0): ThreadUsage => ({
  thread,
  send: { hour: sends, hourLimit: 1_800, halfMinute: 0, halfMinuteLimit: 60, waiting: 0 },
  create: { hour: creates, hourLimit: 1_800, halfMinute: 0, halfMinuteLimit: 60, waiting: 0 },
  waiting: 0,
});

let dir: string;
let store: KyselyStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'textbridge-notice-'));
  store = await openSqliteStore(path.join(dir, 'textbridge.sqlite'));
  const conversationRef = { conversation: { id: '19:busy' }, serviceUrl: 'http://localhost' };
  await store.addRoute({
    provider: 'sinch',
    businessNumber: '+61491570156',
    teamsChannelId: '19:busy',
    conversationRef,
  });
  await store.addRoute({
    provider: 'sinch',
    businessNumber: '+61491570157',
    teamsChannelId: '19:calm',
    conversationRef,
  });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `instances` notices on the one store, as several bot processes on one database would run. */
function harness(uses: ThreadUsage[], instances = 1) {
  let now = Date.UTC(2026, 11, 5, 9, 0, 0);
  const posted: Array<{ channel: string; text: string }> = [];
  const budget = { usageAll: async () => uses } as unknown as TeamsBudget;
  const teams = {
    withPriority: (_p: string, work: () => Promise<unknown>) => work(),
    createThread: async (_ref: unknown, channel: string, card: unknown) => {
      posted.push({ channel, text: cardText({ attachments: [{ content: card }] }) });
    },
  } as unknown as TeamsOutbound;
  const notices = Array.from(
    { length: instances },
    () => new BudgetNotice(budget, store, teams, pino({ level: 'silent' }), { now: () => now }),
  );
  const check = () => Promise.all(notices.map((n) => n.check()));
  return { check, posted, advance: (ms: number) => (now += ms) };
}

describe('BudgetNotice', () => {
  it('tells a channel past 80 % of its hour once an hour, and nobody else', async () => {
    const h = harness([usage('19:busy', 1_512), usage('19:calm', 1_400), usage('29:chat-with-alex', 1_700)]);
    await h.check();
    expect(h.posted.map((p) => p.channel)).toEqual(['19:busy']);
    expect(h.posted[0]?.text).toContain('1,512');
    expect(h.posted[0]?.text).toContain('second channel');
    await h.check();
    h.advance(59 * 60_000);
    await h.check();
    expect(h.posted).toHaveLength(1);
    h.advance(60_000);
    await h.check();
    expect(h.posted).toHaveLength(2);
  });

  it('counts new threads too', async () => {
    const h = harness([usage('19:busy', 10, 1_450)]);
    await h.check();
    expect(h.posted[0]?.text).toContain('new threads');
  });

  it('is given once an hour by several instances on one store', async () => {
    const h = harness([usage('19:busy', 1_700)], 3);
    await h.check();
    await h.check();
    expect(h.posted.map((p) => p.channel)).toEqual(['19:busy']);
    h.advance(3_600_000);
    await h.check();
    expect(h.posted).toHaveLength(2);
  });
});
