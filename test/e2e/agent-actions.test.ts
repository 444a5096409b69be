/**
 * What agents do beyond answering, through the real /api/messages route: card buttons (Claim,
 * Resolve, Reply, Retry), texting a customer first, looking up a status, opting a number out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo } from '../helpers/answers.ts';
import { actionData, clickAction } from '../helpers/card-actions.ts';
import { cardText } from '../helpers/cards.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { customerThread } from '../helpers/threads.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const CUSTOMER = '+61491570156';
const BUSINESS = '+61491570000';

describe('agent actions', () => {
  let h: Harness;
  let root: { activityId: string; conversationId: string; activity: unknown };
  beforeAll(async () => {
    h = await startSinchHarness({ SINCH_SOURCE_NUMBER: BUSINESS });
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: `link sinch ${BUSINESS}` }),
    );
    await eventually('the link', () => h.connector.posts.length === 1);
    await postWebhook(
      h.url,
      h.sinch.inboundBody({ from: CUSTOMER, to: BUSINESS, text: 'Can someone help me?' }),
    );
    root = await customerThread(h.app.store, h.connector, 'Can someone help me?');
  });
  afterAll(async () => {
    await h?.close();
  });

  const cardsWith = (text: string) => h.connector.shown().filter((p) => cardText(p.activity).includes(text));
  const click = (cardId: string, verb: string, data: Record<string, unknown>) =>
    clickAction(h.url, {
      serviceUrl: h.connector.serviceUrl,
      conversationId: root.conversationId,
      cardId,
      verb,
      data,
    });
  const ask = async (text: string) => {
    const activity = channelMessage({ serviceUrl: h.connector.serviceUrl, text });
    await postActivity(h.url, activity);
    return cardText((await answerTo(h.connector, activity)).activity);
  };

  it('Claim and Resolve change the customer card, in the answer and in place', async () => {
    const threadId = actionData(root.activity, 'claim')?.['threadId'];
    expect(threadId).toBeDefined();
    const claimed = await click(root.activityId, 'claim', { threadId });
    expect(claimed.status).toBe(200);
    expect(claimed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText({ attachments: [{ content: claimed.body.value }] })).toContain('Alex Wilber');
    await eventually('the root card updated in place', () =>
      cardText(h.connector.activities.get(root.activityId)?.activity).includes('assigned to Alex Wilber'),
    );
    const resolved = await click(root.activityId, 'resolve', { threadId });
    expect(actionData({ attachments: [{ content: resolved.body.value }] }, 'reopen')).toBeDefined();
    const reopened = await click(root.activityId, 'reopen', { threadId });
    expect(actionData({ attachments: [{ content: reopened.body.value }] }, 'resolve')).toBeDefined();
  });

  it('answers a verb it does not know with a message, object members included', async () => {
    for (const verb of ['no-such-verb', 'constructor', 'toString']) {
      const res = await click(root.activityId, verb, {});
      expect(res.status).toBe(200);
      expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(res.body.value).toBe(`This card asked for "${verb}", which this bot does not know.`);
    }
  });

  it('older clients’ Action.Submit fallback does the same and updates the card in place', async () => {
    const threadId = actionData(root.activity, 'claim')?.['threadId'];
    await click(root.activityId, 'unassign', { threadId });
    const updatesBefore = h.connector.activities.get(root.activityId)?.updates ?? 0;
    const submit = {
      ...channelMessage({
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        text: '',
        mention: false,
      }),
      replyToId: root.activityId,
      value: { verb: 'claim', threadId },
    };
    expect(await postActivity(h.url, submit)).toBe(200);
    await eventually('the card claimed', () => {
      const card = h.connector.activities.get(root.activityId);
      return (
        (card?.updates ?? 0) > updatesBefore && cardText(card?.activity).includes('assigned to Alex Wilber')
      );
    });
  });

  it('the Reply box sends once on a double click, and the same text again from the refreshed card', async () => {
    const cardData = actionData(root.activity, 'reply') ?? {};
    expect(cardData['replyNonce']).toEqual(expect.any(String));
    const data = { ...cardData, reply: 'Sure, what is your order number?' };
    const [a, b] = await Promise.all([
      click(root.activityId, 'reply', data),
      click(root.activityId, 'reply', data),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await eventually('the send', () => h.sinch.sent.some((m) => m.content === data.reply));
    await sleep(300);
    expect(h.sinch.sent.filter((m) => m.content === data.reply)).toHaveLength(1);
    // The card the click returned is a new rendering: the same words typed there again are a new message.
    const refreshed = actionData({ attachments: [{ content: a.body.value }] }, 'reply') ?? {};
    expect(refreshed['replyNonce']).not.toBe(cardData['replyNonce']);
    await click(root.activityId, 'reply', { ...refreshed, reply: 'Thanks!' });
    await click(root.activityId, 'reply', { ...refreshed, reply: 'Thanks!' });
    const later =
      actionData(
        {
          attachments: [
            {
              content: (await click(root.activityId, 'claim', { threadId: cardData['threadId'] })).body.value,
            },
          ],
        },
        'reply',
      ) ?? {};
    await click(root.activityId, 'reply', { ...later, reply: 'Thanks!' });
    await eventually(
      'two thank-yous',
      () => h.sinch.sent.filter((m) => m.content === 'Thanks!').length === 2,
    );
    await sleep(300);
    expect(h.sinch.sent.filter((m) => m.content === 'Thanks!')).toHaveLength(2);
    const threadId = cardData['threadId'];
    await click(root.activityId, 'unassign', { threadId });
    const empty = await click(root.activityId, 'reply', { threadId, reply: '  ' });
    expect(empty.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String(empty.body.value)).toContain('write the reply');
  });

  it('Retry sends a failed message again, once', async () => {
    h.sinch.failNext(1, 400, { message: 'Invalid', details: ['/messages/0/destination_number: invalid'] });
    await postActivity(
      h.url,
      channelMessage({
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'Please retry me',
      }),
    );
    const card = await eventually('the failed card', () => {
      const c = cardsWith('Please retry me')[0];
      return c && cardText(h.connector.activities.get(c.activityId)?.activity).includes('Failed')
        ? c
        : undefined;
    });
    const data = actionData(h.connector.activities.get(card.activityId)?.activity, 'retry');
    expect(data?.['messageId']).toBeDefined();
    await Promise.all([
      click(card.activityId, 'retry', data ?? {}),
      click(card.activityId, 'retry', data ?? {}),
    ]);
    await eventually('the resend', () => h.sinch.sent.some((m) => m.content === 'Please retry me'));
    await eventually('the old card says Retried', () =>
      cardText(h.connector.activities.get(card.activityId)?.activity).includes('Retried'),
    );
    await sleep(300);
    expect(h.sinch.sent.filter((m) => m.content === 'Please retry me')).toHaveLength(1);
  });

  it('text starts a new thread with the agent’s message, once per command', async () => {
    const activity = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      text: 'text +61 491 570 199 Your parcel is ready.',
    });
    const normalized = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      text: 'text +61491570199 Your parcel is ready.',
    });
    await postActivity(h.url, normalized);
    await postActivity(h.url, normalized);
    await eventually('the send', () => h.sinch.sent.some((m) => m.destination_number === '+61491570199'));
    await eventually('the new thread', () =>
      h.connector
        .threads()
        .some((t) => cardText(t.activities[0]?.activity).includes('Your parcel is ready.')),
    );
    await sleep(300);
    expect(h.sinch.sent.filter((m) => m.destination_number === '+61491570199')).toHaveLength(1);
    expect(await ask((activity['text'] as string).replace('<at>textbridge</at> ', ''))).toContain('"+61"');
  });

  it('a long text shows its segments first and sends once on Send', async () => {
    const long = 'Hello! '.repeat(30).trim();
    const preview = await ask(`text +61491570177 ${long}`);
    expect(preview).toContain('SMS segment');
    const card = h.connector.posts.at(-1);
    const data = actionData(card?.activity, 'send-text');
    expect(data?.['token']).toBeDefined();
    const cardId = card?.activityId ?? '';
    const [a] = await Promise.all([
      click(cardId, 'send-text', data ?? {}),
      click(cardId, 'send-text', data ?? {}),
    ]);
    expect(cardText({ attachments: [{ content: a.body.value }] })).toMatch(/queued|Already sent/i);
    await eventually('the send', () => h.sinch.sent.some((m) => m.destination_number === '+61491570177'));
    await sleep(300);
    expect(h.sinch.sent.filter((m) => m.destination_number === '+61491570177')).toHaveLength(1);
    // The same words in a second command are a second message.
    await ask(`text +61491570177 ${long}`);
    const second = h.connector.posts.at(-1);
    const secondData = actionData(second?.activity, 'send-text');
    expect(secondData?.['token']).not.toBe(data?.['token']);
    await click(second?.activityId ?? '', 'send-text', secondData ?? {});
    await eventually(
      'the second send',
      () => h.sinch.sent.filter((m) => m.destination_number === '+61491570177').length === 2,
    );
  });

  it('status shows the timeline of a message by our id or Sinch’s', async () => {
    const sent = h.sinch.sent.find((m) => m.content === 'Sure, what is your order number?');
    expect(await h.sinch.deliver(sent?.message_id ?? '', 'delivered', '220')).toBe(200);
    await sleep(200);
    const byOurs = await ask(`status ${sent?.metadata?.['tb_message_id']}`);
    expect(byOurs).toContain('Delivered');
    expect(byOurs).toContain('220');
    expect(await ask(`status ${sent?.message_id}`)).toContain('Delivered');
    // The short ID its card shows is enough.
    const card = h.connector.posts.find((p) => cardText(p.activity).startsWith(sent?.content ?? '-'));
    const shortId = /ID ([0-9a-f]{8})/.exec(cardText(card?.activity))?.[1];
    expect(shortId).toBe(String(sent?.metadata?.['tb_message_id']).slice(-8));
    const byShortId = await ask(`status ${shortId}`);
    expect(byShortId).toContain(`Message ${shortId}`);
    expect(byShortId).toContain('Delivered');
    expect(await ask('status no-such-id')).toContain('Not found');
    const notFound = await ask('status no-such-id');
    expect(notFound).not.toContain('Could not ask');
    // A provider that cannot be asked is named, not taken for "not there".
    h.sinch.failNext(1, 401, { message: 'Unauthorized' });
    const unasked = await ask('status other-id');
    expect(unasked).toContain('Not found');
    expect(unasked).toContain('Could not ask sinch');
    expect(unasked).toContain('sinch refused the credentials (HTTP 401)');
  });

  it('optout blocks answers with a clear reason until optin', async () => {
    expect(await ask(`optout ${CUSTOMER}`)).toContain('Opted out');
    await postActivity(
      h.url,
      channelMessage({
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'Blocked answer',
      }),
    );
    const blocked = await eventually('the card', () => cardsWith('Blocked answer')[0]);
    await eventually('Failed', () =>
      cardText(h.connector.activities.get(blocked.activityId)?.activity).includes('opted out'),
    );
    expect(h.sinch.sent.some((m) => m.content === 'Blocked answer')).toBe(false);
    expect(await ask(`text ${CUSTOMER} Hello again`)).toContain('opted out');
    expect(await ask(`optin ${CUSTOMER}`)).toContain('Opted in');
    await postActivity(
      h.url,
      channelMessage({
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'Allowed again',
      }),
    );
    await eventually('the send', () => h.sinch.sent.some((m) => m.content === 'Allowed again'));
  });
});
