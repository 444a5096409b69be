/**
 * RCS through the Sinch Conversation API, end to end over real HTTP: the customer's RCS message
 * arrives as a signed callback, the agent's answer goes out as RCS with SMS fallback, the
 * fallback and the delivery show on the card, and unsigned, forged or stale callbacks are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeConversation, startFakeConversation } from '../fakes/sinch-conversation.ts';
import { answerTo } from '../helpers/answers.ts';
import { type AppHarness, startApp } from '../helpers/app.ts';
import { cardText } from '../helpers/cards.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const OPTIONS = {
  projectId: '5f1a2b3c-0000-4000-8000-000000000001',
  appId: '01HAPP0000000000000000APP1',
  keyId: 'key-id-1',
  keySecret: 'key-secret-1',
  webhookSecret: 'conversation-webhook-secret-01',
};
const CUSTOMER = '+46701234567';

describe('Sinch Conversation API (RCS) to Teams and back', () => {
  let fake: FakeConversation;
  let h: AppHarness;
  beforeAll(async () => {
    fake = await startFakeConversation(OPTIONS);
    h = await startApp(() => ({
      SINCH_CONVERSATION_PROJECT_ID: OPTIONS.projectId,
      SINCH_CONVERSATION_APP_ID: OPTIONS.appId,
      SINCH_CONVERSATION_KEY_ID: OPTIONS.keyId,
      SINCH_CONVERSATION_KEY_SECRET: OPTIONS.keySecret,
      SINCH_CONVERSATION_WEBHOOK_SECRET: OPTIONS.webhookSecret,
      SINCH_CONVERSATION_REGION: 'eu',
      SINCH_CONVERSATION_BASE_URL: fake.url,
      SINCH_CONVERSATION_AUTH_URL: fake.authUrl,
      SINCH_CONVERSATION_SMS_SENDER: '+46700000001',
    }));
    fake.webhookUrl = `${h.url}/webhooks/sinch-conversation`;
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'link sinch-conversation' }),
    );
    await eventually('the link', () => h.connector.posts.length === 1);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const cardsWith = (text: string) => h.connector.shown().filter((p) => cardText(p.activity).includes(text));
  const current = (activityId: string) => cardText(h.connector.activities.get(activityId)?.activity);

  it('threads an RCS message, answers as RCS with SMS fallback, and shows the fallback and delivery', async () => {
    const inbound = fake.inboundBody({ from: CUSTOMER, text: 'Can you leave it at the door?' });
    expect((await fake.callback(inbound)).status).toBe(200);
    // Sinch retries until it gets a 2xx: the same callback again stores nothing new.
    expect(JSON.parse((await fake.callback(inbound)).body)).toEqual({ stored: 0, duplicates: 1 });
    const root = await eventually('the thread', () => cardsWith('leave it at the door')[0]);
    expect(cardText(root.activity)).toContain('RCS');
    expect(cardText(root.activity)).toContain(CUSTOMER);
    // The bot records the thread's Teams id right after Teams answered the post.
    await eventually('the thread recorded', () => h.app.store.getThreadByConversation(root.conversationId));

    for (const words of ['Yes, we will', 'Anything else?']) {
      await postActivity(
        h.url,
        channelMessage({
          serviceUrl: h.connector.serviceUrl,
          conversationId: root.conversationId,
          text: words,
        }),
      );
    }
    await eventually('both sends', () => fake.sent.length === 2);
    // The OAuth token is fetched once and reused.
    expect(fake.tokensIssued).toBe(1);
    const request = fake.sent[0]!.request;
    expect(request['channel_priority_order']).toEqual(['RCS', 'SMS']);
    expect(request['channel_properties']).toEqual({ SMS_SENDER: '+46700000001' });
    expect(request['recipient']).toEqual({
      identified_by: {
        channel_identities: [
          { channel: 'RCS', identity: CUSTOMER },
          { channel: 'SMS', identity: CUSTOMER },
        ],
      },
    });
    expect(request['message']).toEqual({ text_message: { text: 'Yes, we will' } });

    const card = await eventually('the answer card', () => cardsWith('Yes, we will')[0]);
    await eventually('Sent', () => current(card.activityId).includes('Sent'));
    const messageId = fake.sent[0]!.message_id;
    const switching = fake.deliveryBody(messageId, 'SWITCHING_CHANNEL', {
      channel: 'RCS',
      reason: { code: 'RECIPIENT_NOT_REACHABLE', description: 'Recipient is not reachable' },
    });
    expect((await fake.callback(switching)).status).toBe(200);
    await eventually('the fallback on the card', () => current(card.activityId).includes('Fell back to SMS'));
    expect(current(card.activityId)).toContain('SMS via');
    expect((await fake.callback(fake.deliveryBody(messageId, 'DELIVERED', { channel: 'SMS' }))).status).toBe(
      200,
    );
    await eventually('Delivered', () => current(card.activityId).includes('Delivered'));
    expect(current(card.activityId)).toContain('Fell back to SMS');
  });

  it('shows media, suggested-reply taps and SMS messages of the app', async () => {
    await fake.callback(
      fake.inboundBody({ from: '+46701230000', mediaUrl: 'https://files.example/mo/abc.jpg' }),
    );
    await fake.callback(fake.inboundBody({ from: '+46701230000', choice: 'deliver-today' }));
    await eventually('the choice', () => cardsWith('deliver-today')[0]);
    await fake.callback(fake.inboundBody({ from: '+46701239999', text: 'SMS to the app', channel: 'SMS' }));
    const sms = await eventually('the SMS thread', () => cardsWith('SMS to the app')[0]);
    expect(cardText(sms.activity)).toContain('SMS');
  });

  it('refuses unsigned, forged and stale callbacks, and stores none of them', async () => {
    const before = await h.app.store.db.selectFrom('messages').select('id').execute();
    const body = fake.inboundBody({ from: CUSTOMER, text: 'forged' });
    expect((await fake.callback(body, { unsigned: true })).status).toBe(401);
    expect((await fake.callback(body, { secret: 'not-the-secret-at-all' })).status).toBe(401);
    const stale = await fake.callback(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(stale.body).toContain('too old');
    // Our shared-secret header is not a way around the signature.
    const res = await fetch(`${h.url}/webhooks/sinch-conversation?secret=${OPTIONS.webhookSecret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(401);
    expect(await h.app.store.db.selectFrom('messages').select('id').execute()).toHaveLength(before.length);
  });

  it('acknowledges triggers it does not use, and answers 400 for a malformed callback', async () => {
    const submit = { app_id: OPTIONS.appId, message_submit_notification: { message_id: 'x' } };
    expect(JSON.parse((await fake.callback(submit)).body)).toEqual({ stored: 0, duplicates: 0 });
    const broken = await fake.callback({ message: { id: 'm1' } });
    expect(broken.status).toBe(400);
    expect(broken.body).toContain('contact_message');
  });

  it('text --via sinch-conversation starts an RCS conversation', async () => {
    const command = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      text: 'text +46701112222 --via sinch-conversation Your parcel is ready',
    });
    await postActivity(h.url, command);
    const answer = await answerTo(h.connector, command);
    expect(cardText(answer.activity)).toContain('Message queued');
    const sent = await eventually('the send', () => fake.sent.find((m) => m.to === '+46701112222'));
    expect(sent.channel).toBe('RCS');
  });

  it('gets a new token when Sinch refuses the cached one', async () => {
    const issued = fake.tokensIssued;
    fake.expireTokens();
    await postActivity(
      h.url,
      channelMessage({
        serviceUrl: h.connector.serviceUrl,
        text: 'text +46701113333 --via sinch-conversation Hello',
      }),
    );
    await eventually('the send', () => fake.sent.find((m) => m.to === '+46701113333'));
    expect(fake.tokensIssued).toBe(issued + 1);
  });
});
