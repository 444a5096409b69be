/**
 * Every call the Bot Framework client makes to Teams spends the budget: each attempt, the SDK's
 * own retries after a 429 included. A real CloudAdapter against the fake Bot Connector.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTeamsBudget } from '../../bot/budget/local-teams-budget.ts';
import type { BudgetGrant, Priority, TeamsBudget, TeamsOp } from '../../bot/budget/teams-budget.ts';
import { teamsLimits } from '../../bot/budget/teams-limits.ts';
import { loadConfig } from '../../bot/config.ts';
import { createBotFramework } from '../../bot/teams/adapter.ts';
import { opOf } from '../../bot/teams/budget-policy.ts';
import { TeamsOutbound } from '../../bot/teams/outbound.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';

/** The process's budget, recording every token asked for. */
class RecordingBudget extends LocalTeamsBudget implements TeamsBudget {
  readonly asked: Array<TeamsOp & { priority: Priority }> = [];

  override acquire(op: TeamsOp, priority: Priority): Promise<BudgetGrant> {
    this.asked.push({ ...op, priority });
    return super.acquire(op, priority);
  }
}

const CHANNEL = '19:support@thread.tacv2';
const card = renderNoticeCard({ title: 'Hello', text: 'A card', style: 'info' });

let connector: FakeConnector;
let budget: RecordingBudget;
let teams: TeamsOutbound;

beforeEach(async () => {
  connector = await startFakeConnector();
  budget = new RecordingBudget(teamsLimits());
  const config = loadConfig({ DATA_DIR: '/tmp/unused' });
  const { adapter } = createBotFramework(config, pino({ level: 'silent' }), budget);
  teams = new TeamsOutbound(adapter, '', budget);
});

afterEach(async () => {
  await connector.close();
});

const channelRef = () => ({ serviceUrl: connector.serviceUrl, conversation: { id: CHANNEL } });

describe('the Teams budget in the HTTP pipeline', () => {
  it('takes a token for each call: a new thread is a create, a reply and an update are sends', async () => {
    const thread = await teams.createThread(channelRef(), CHANNEL, card);
    const id = await teams.post(thread.ref, card);
    await teams.update(thread.ref, id, card);
    expect(budget.asked.map(({ thread, kind }) => `${kind} ${thread}`)).toEqual([
      `create ${CHANNEL}`,
      `send ${CHANNEL}`,
      `send ${CHANNEL}`,
    ]);
    const use = await budget.usage(CHANNEL);
    expect([use.create.hour, use.send.hour]).toEqual([1, 2]);
  });

  it('takes a token for every retry the SDK makes on its own after a 429, and holds the thread', async () => {
    const thread = await teams.createThread(channelRef(), CHANNEL, card);
    budget.asked.length = 0;
    connector.failNext(2, 429, { retryAfter: '0' });
    await teams.post(thread.ref, card);
    const attempts = connector.requests.filter((r) => r.method === 'POST' && r.path[3] === 'activities');
    expect(attempts.map((r) => r.status)).toEqual([429, 429, 201]);
    expect(budget.asked).toHaveLength(3);
    expect((await budget.usage(CHANNEL)).send.hour).toBe(3);
  });

  it('spends a token taken beforehand on the call, and gives back one that was not spent', async () => {
    const thread = await teams.createThread(channelRef(), CHANNEL, card);
    budget.asked.length = 0;
    const op = { thread: CHANNEL, kind: 'send' } as const;
    await teams.withToken(op, 'conversation', () => teams.post(thread.ref, card));
    expect(budget.asked).toEqual([{ ...op, priority: 'conversation' }]);
    await teams.withToken(op, 'conversation', async () => 'nothing to post');
    expect((await budget.usage(CHANNEL)).send.hour).toBe(1);
  });

  it('carries the priority of the work to its calls', async () => {
    const thread = await teams.createThread(channelRef(), CHANNEL, card);
    await teams.withPriority('status', () => teams.post(thread.ref, card));
    expect(budget.asked.at(-1)?.priority).toBe('status');
  });
});

describe('opOf', () => {
  const req = (method: string, path: string, body?: unknown) => ({
    method,
    url: `http://127.0.0.1:1/${path}`,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  it('names the thread and the kind Teams counts', () => {
    const thread = encodeURIComponent(`${CHANNEL};messageid=1700000000000`);
    expect(opOf(req('POST', 'v3/conversations', { channelData: { channel: { id: CHANNEL } } }))).toEqual({
      thread: CHANNEL,
      kind: 'create',
    });
    expect(opOf(req('POST', `v3/conversations/${thread}/activities`))).toEqual({
      thread: CHANNEL,
      kind: 'send',
    });
    expect(opOf(req('PUT', `v3/conversations/${thread}/activities/17`))).toEqual({
      thread: CHANNEL,
      kind: 'send',
    });
    expect(opOf(req('GET', `v3/conversations/${thread}/pagedmembers`))).toEqual({
      thread: CHANNEL,
      kind: 'read',
    });
    expect(opOf(req('GET', 'v3/teams/19%3Ateam/conversations'))).toEqual({ thread: '19:team', kind: 'read' });
    expect(opOf(req('POST', 'v3/conversations', { members: [{ id: '29:alex' }] }))).toEqual({
      thread: '29:alex',
      kind: 'create',
    });
    expect(opOf(req('GET', 'api/usertoken/GetToken'))).toBeUndefined();
  });
});
