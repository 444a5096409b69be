/**
 * Foreign tenants, other teams and guests, through the real /api/messages route: the first tenant
 * to link is pinned, and then another tenant's link, links, command, card action and mention
 * reply each change nothing, send nothing and are answered nowhere, logged once each. A thread
 * answers only its own tenant and team; guests neither link, unlink nor send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY_INPUT_ID } from '../../cards/actions.ts';
import { answerTo } from '../helpers/answers.ts';
import { actionData, clickAction } from '../helpers/card-actions.ts';
import { cardText } from '../helpers/cards.ts';
import { type CapturedLog, captureLog } from '../helpers/log-capture.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { channelMessage, GUEST, postActivity, type Sender, TENANT } from '../helpers/teams-activity.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const CUSTOMER = '+61491570156';
const BUSINESS = '+61491570000';
const FOREIGN = '99999999-9999-4999-8999-999999999999';
const FOREIGN_SENDER: Sender = {
  tenant: FOREIGN,
  from: { id: '29:mallory', name: 'Mallory', aadObjectId: '99999999-0000-0000-0000-000000000001' },
  channel: { id: '19:evil@thread.tacv2', name: 'Evil' },
  team: { id: '19:evil-team@thread.tacv2', name: 'Evil Corp' },
};

/** Everything a refused activity could have changed or sent. */
async function footprint(h: Harness) {
  const db = h.app.store.db;
  const count = async (table: 'messages' | 'routes' | 'jobs' | 'threads') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    posts: h.connector.posts.length,
    updates: h.connector.updates.length,
    sent: h.sinch.sent.length,
    routes: JSON.stringify(await h.app.store.listRoutes()),
    messages: await count('messages'),
    jobs: await count('jobs'),
    threads: await count('threads'),
    pinned: await h.app.store.pinnedTenant(),
  };
}

describe('a bot pinned to the tenant that linked first', () => {
  let h: Harness;
  let captured: CapturedLog;
  let root: { activityId: string; conversationId: string; activity: unknown };
  beforeAll(async () => {
    captured = captureLog('warn');
    h = await startSinchHarness({ SINCH_SOURCE_NUMBER: BUSINESS }, { log: captured.log });
  });
  afterAll(async () => {
    await h?.close();
  });

  const send = (text: string, sender?: Sender, conversationId?: string) =>
    postActivity(h.url, channelMessage({ serviceUrl: h.connector.serviceUrl, text, sender, conversationId }));
  const ask = async (text: string, sender?: Sender) => {
    const activity = channelMessage({ serviceUrl: h.connector.serviceUrl, text, sender });
    await postActivity(h.url, activity);
    return cardText((await answerTo(h.connector, activity)).activity);
  };

  it('lets anyone look before the first link, and pins the tenant that links', async () => {
    expect(await ask('links', FOREIGN_SENDER)).toContain('No tenant is pinned yet');
    expect(await h.app.store.pinnedTenant()).toBeUndefined();
    expect(await ask(`link sinch ${BUSINESS}`)).toContain('Channel linked');
    expect(await h.app.store.pinnedTenant()).toBe(TENANT);
    expect(await ask('links')).toContain(`Serves tenant ${TENANT} only (pinned by the first link)`);

    await postWebhook(
      h.url,
      h.sinch.inboundBody({ from: CUSTOMER, to: BUSINESS, text: 'Where is my parcel?' }),
    );
    root = await eventually('the customer thread', () =>
      h.connector.posts.find((p) => cardText(p.activity).includes('Where is my parcel?')),
    );
    await eventually('the thread recorded', () => h.app.store.getThreadByConversation(root.conversationId));
  });

  it.each([
    ['link', () => send(`link sinch ${BUSINESS}`, FOREIGN_SENDER)],
    ['link all', () => send('link all', FOREIGN_SENDER)],
    ['links', () => send('links', FOREIGN_SENDER)],
    [
      'unlink',
      () => send('unlink', { ...FOREIGN_SENDER, channel: { id: '19:general@thread.tacv2', name: 'x' } }),
    ],
    ['a command', () => send(`text ${CUSTOMER} You have won a prize`, FOREIGN_SENDER)],
    [
      'a mention reply in our thread',
      () => send('Send me your password', FOREIGN_SENDER, root.conversationId),
    ],
    [
      'a card Reply in our thread',
      async () => {
        const data = actionData(root.activity, 'reply') ?? {};
        const answer = await clickAction(h.url, {
          serviceUrl: h.connector.serviceUrl,
          conversationId: root.conversationId,
          cardId: root.activityId,
          verb: 'reply',
          data: { ...data, [REPLY_INPUT_ID]: 'Send me your password' },
          sender: FOREIGN_SENDER,
        });
        expect(answer.status).toBe(403);
        return answer.status;
      },
    ],
  ])('refuses a foreign tenant’s %s: nothing changes, nothing is sent, one log line', async (_name, act) => {
    const before = await footprint(h);
    const lines = captured.lines.length;
    await act();
    await sleep(300);
    expect(await footprint(h)).toEqual(before);
    const logged = captured.entries().slice(lines);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      tenantId: FOREIGN,
      msg: 'activity refused: its tenant is not served by this bot',
    });
  });

  it('answers a mention reply only from the thread’s own team', async () => {
    const before = await footprint(h);
    const otherTeam: Sender = {
      channel: { id: '19:sales@thread.tacv2', name: 'Sales' },
      team: { id: '19:sales-team@thread.tacv2', name: 'Sales' },
    };
    expect(await send('Sent from another team', otherTeam, root.conversationId)).toBe(200);
    await sleep(300);
    expect(await footprint(h)).toEqual(before);
  });

  it('refuses card actions on a thread of another team', async () => {
    const before = await footprint(h);
    const threadId = actionData(root.activity, 'claim')?.['threadId'];
    const answer = await clickAction(h.url, {
      serviceUrl: h.connector.serviceUrl,
      conversationId: '19:sales@thread.tacv2;messageid=1',
      cardId: '1',
      verb: 'claim',
      data: { threadId },
      sender: { channel: { id: '19:sales@thread.tacv2', name: 'Sales' } },
    });
    expect(answer.body.value).toContain('Not done');
    expect(await footprint(h)).toEqual(before);
  });

  it('lets guests neither link, unlink nor send', async () => {
    const guest: Sender = { from: GUEST };
    const before = await footprint(h);
    expect(await ask(`link sinch ${BUSINESS}`, guest)).toContain('guests cannot link channels');
    expect(await ask('unlink', guest)).toContain('guests cannot unlink channels');
    expect(await ask(`text ${CUSTOMER} Hello`, guest)).toContain('guests cannot text customers');
    const notSent = h.connector.posts.length;
    await send('A guest answer', guest, root.conversationId);
    const answer = await eventually('the refusal', () => h.connector.posts[notSent]);
    expect(cardText(answer.activity)).toContain('guests cannot send to customers');
    const click = await clickAction(h.url, {
      serviceUrl: h.connector.serviceUrl,
      conversationId: root.conversationId,
      cardId: root.activityId,
      verb: 'reply',
      data: { ...actionData(root.activity, 'reply'), [REPLY_INPUT_ID]: 'A guest answer' },
      sender: guest,
    });
    expect(click.body.value).toContain('guests cannot send to customers');
    const after = await footprint(h);
    expect({ ...after, posts: before.posts }).toEqual(before);
  });

  it('still takes a member’s answer in the thread', async () => {
    await send('It ships today', undefined, root.conversationId);
    await eventually('the answer at Sinch', () => h.sinch.sent.some((m) => m.content === 'It ships today'));
  });
});

describe('a bot with TEAMS_ALLOWED_TENANTS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSinchHarness({ TEAMS_ALLOWED_TENANTS: TENANT });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses every other tenant from the start and pins nothing', async () => {
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'link sinch', sender: FOREIGN_SENDER }),
    );
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help', sender: FOREIGN_SENDER }),
    );
    await sleep(300);
    expect(h.connector.posts).toHaveLength(0);
    expect(await h.app.store.listRoutes()).toEqual([]);
    expect(await h.app.store.pinnedTenant()).toBeUndefined();
  });

  it('serves the listed tenant and says so in links', async () => {
    await postActivity(h.url, channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'links' }));
    const answer = await eventually('links', () => h.connector.posts[0]);
    expect(cardText(answer.activity)).toContain(`Serves the tenants in TEAMS_ALLOWED_TENANTS: ${TENANT}`);
  });
});
