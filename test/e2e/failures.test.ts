/**
 * What agents see when Teams or Sinch misbehave: throttling and outages are retried until the
 * message goes through (once); a refusal turns the card to Failed with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionData, clickAction } from '../helpers/card-actions.ts';
import { cardText } from '../helpers/cards.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { CHANNEL, channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { customerThread } from '../helpers/threads.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = '+61491570000';

describe('failures on the way', () => {
  let h: Harness;
  let threadConversation = '';
  beforeAll(async () => {
    h = await startSinchHarness();
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: `link sinch ${BUSINESS}` }),
    );
    await eventually('the link', () => h.connector.posts.length === 1);
  });
  afterAll(async () => {
    await h?.close();
  });

  const cardsWith = (text: string) => h.connector.shown().filter((p) => cardText(p.activity).includes(text));

  async function answer(text: string) {
    expect(
      await postActivity(
        h.url,
        channelMessage({ serviceUrl: h.connector.serviceUrl, conversationId: threadConversation, text }),
      ),
    ).toBe(200);
    return eventually(`the card of "${text}"`, () => cardsWith(text)[0]);
  }

  it('retries a card that Teams throttles until it is posted, once', async () => {
    // The Bot Framework client retries 429 three times itself; the fourth makes the job retry.
    h.connector.failNext(4, 429, { retryAfter: '0' });
    const body = h.sinch.inboundBody({ from: '+61491570156', to: BUSINESS, text: 'Throttled hello' });
    expect((await postWebhook(h.url, body)).status).toBe(200);
    const root = await customerThread(h.app.store, h.connector, 'Throttled hello', 20_000);
    threadConversation = root.conversationId;
    expect(threadConversation).toContain(`${CHANNEL.id};messageid=`);
    expect(cardsWith('Throttled hello')).toHaveLength(1);
  });

  it('retries a send while Sinch is unavailable, and sends once', async () => {
    h.sinch.failNext(2, 503, { message: 'Service Unavailable' }, { 'retry-after': '1' });
    const card = await answer('Back after an outage');
    await eventually(
      'the card at Sent',
      () => cardText(h.connector.activities.get(card.activityId)?.activity).includes('Sent'),
      20_000,
    );
    expect(h.sinch.sent.filter((m) => m.content === 'Back after an outage')).toHaveLength(1);
  });

  it('says Not confirmed, with Retry, when Sinch did not answer and cannot be asked', async () => {
    // The send gets a 503; the look-up that would tell whether it went out gets a 404 (an account
    // without Sinch's reporting API). Sending again could text the customer twice; failing could
    // lose the answer: the agent decides.
    h.sinch.failNext(1, 503, { message: 'Service Unavailable' }, { 'retry-after': '0' });
    h.sinch.failNext(1, 404, { message: 'Not Found' });
    const card = await answer('Lost in the outage?');
    const current = () => h.connector.activities.get(card.activityId)?.activity;
    await eventually(
      'the card at Not confirmed',
      () => cardText(current()).includes('Not confirmed'),
      20_000,
    );
    expect(cardText(current())).toContain('Sinch did not answer');
    expect(cardText(current())).not.toContain('Failed');
    expect(h.sinch.sent.filter((m) => m.content === 'Lost in the outage?')).toHaveLength(0);
    const retry = actionData(current(), 'retry');
    expect(retry).toBeDefined();
    const clicked = await clickAction(h.url, {
      serviceUrl: h.connector.serviceUrl,
      conversationId: threadConversation,
      cardId: card.activityId,
      verb: 'retry',
      data: retry ?? {},
    });
    expect(clicked.status).toBe(200);
    await eventually('the retry at Sinch', () =>
      h.sinch.sent.some((m) => m.content === 'Lost in the outage?'),
    );
    expect(h.sinch.sent.filter((m) => m.content === 'Lost in the outage?')).toHaveLength(1);
  });

  it('shows Failed with Sinch’s reason when Sinch refuses the message', async () => {
    h.sinch.failNext(1, 400, {
      message: 'Request failed to parse correctly.',
      details: ['/messages/0/destination_number: International address must be between 8 and 15 characters'],
    });
    const card = await answer('Refused by Sinch');
    await eventually('the card at Failed', () =>
      cardText(h.connector.activities.get(card.activityId)?.activity).includes('Failed'),
    );
    const text = cardText(h.connector.activities.get(card.activityId)?.activity);
    expect(text).toContain('International address must be between 8 and 15 characters');
    expect(h.sinch.sent.filter((m) => m.content === 'Refused by Sinch')).toHaveLength(0);
  });

  it('shows Failed saying the credentials are wrong when Sinch answers 401', async () => {
    h.sinch.failNext(1, 401, { message: 'Invalid authentication credentials' });
    const card = await answer('Wrong key');
    await eventually('the card at Failed', () =>
      cardText(h.connector.activities.get(card.activityId)?.activity).includes('Failed'),
    );
    expect(cardText(h.connector.activities.get(card.activityId)?.activity)).toMatch(/credentials/i);
  });
});
