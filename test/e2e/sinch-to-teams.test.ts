/**
 * The whole path over real HTTP: a channel is linked, a customer texts through Sinch, the thread
 * appears in Teams, an agent answers, Sinch sends, receipts update the card in place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo } from '../helpers/answers.ts';
import { cardText } from '../helpers/cards.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { CHANNEL, channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const CUSTOMER = '+61491570156';
const BUSINESS = '+61491570000';

// The same conversation on each store: the embedded SQLite file and PostgreSQL (DATABASE_URL).
describe.each([
  { store: 'SQLite', postgres: false },
  { store: 'PostgreSQL', postgres: true },
])('Sinch to Teams and back ($store)', ({ postgres }) => {
  if (postgres && !postgresServer) {
    it.skip('needs PostgreSQL (see the line at the start of the run)', () => {});
    return;
  }
  let h: Harness;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (postgres) database = await createTestDatabase();
    h = await startSinchHarness(database ? { DATABASE_URL: database.url } : {});
  });
  afterAll(async () => {
    await h?.close();
    await database?.drop();
  });

  const threadsInChannel = () => h.connector.threads().filter((t) => t.channelId === CHANNEL.id);

  it('runs a customer conversation end to end', async () => {
    // An agent links the channel.
    const link = channelMessage({ serviceUrl: h.connector.serviceUrl, text: `link sinch ${BUSINESS}` });
    expect(await postActivity(h.url, link)).toBe(200);
    const linkedCard = await eventually('the link confirmation', () =>
      h.connector.posts.find((p) => cardText(p.activity).includes('Channel linked')),
    );
    expect(cardText(linkedCard.activity)).toContain(BUSINESS);

    // The customer texts; the thread appears with the root card.
    const first = h.sinch.inboundBody({ from: CUSTOMER, to: BUSINESS, text: 'Hi, is my order late?' });
    expect(await postWebhook(h.url, first)).toEqual({ status: 200, body: { stored: 1, duplicates: 0 } });
    const thread = await eventually('a customer thread', () => threadsInChannel()[0]);
    const root = thread.activities[0];
    expect(cardText(root?.activity)).toContain('Hi, is my order late?');
    expect(cardText(root?.activity)).toContain(CUSTOMER);
    expect(cardText(root?.activity)).toContain('SMS');

    // Sinch retries the same webhook: acknowledged, nothing posted twice.
    expect(await postWebhook(h.url, first)).toEqual({ status: 200, body: { stored: 0, duplicates: 1 } });

    // A second message of the same customer joins the root card, still the last thing in the
    // thread: one update, no new post.
    const second = h.sinch.inboundBody({ from: CUSTOMER, to: BUSINESS, text: 'Order 4711, thanks' });
    expect((await postWebhook(h.url, second)).status).toBe(200);
    await eventually('the second message in the thread', () =>
      threadsInChannel()[0]?.activities.some((a) => cardText(a.activity).includes('Order 4711')),
    );
    expect(threadsInChannel()).toHaveLength(1);
    expect(threadsInChannel()[0]?.activities).toHaveLength(1);
    expect(cardText(threadsInChannel()[0]?.activities[0]?.activity)).toContain('2 messages');
    expect(cardText(threadsInChannel()[0]?.activities[0]?.activity)).toContain('Hi, is my order late?');

    // An agent answers in the thread, mentioning the bot.
    const answer = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      conversationId: `${CHANNEL.id};messageid=${thread.rootId}`,
      text: 'It ships today!',
    });
    expect(await postActivity(h.url, answer)).toBe(200);
    const sent = await eventually('the Sinch send', () => h.sinch.sent[0]);
    expect(sent).toMatchObject({
      content: 'It ships today!',
      destination_number: CUSTOMER,
      source_number: BUSINESS,
      delivery_report: true,
    });
    expect(sent.callback_url).toContain('/webhooks/sinch?secret=');
    expect(sent.metadata?.['tb_message_id']).toMatch(/^[0-9a-f-]{36}$/);

    // Teams redelivers the same activity: it is sent once.
    expect(await postActivity(h.url, answer)).toBe(200);

    // The outbound card names the agent and moves to Sent, then Delivered on the receipt.
    const outbound = await eventually('the outbound card at Sent', () =>
      threadsInChannel()[0]?.activities.find(
        (a) => cardText(a.activity).includes('It ships today!') && cardText(a.activity).includes('Sent'),
      ),
    );
    expect(cardText(outbound.activity)).toContain('Alex Wilber');
    expect(await h.sinch.deliver(sent.message_id, 'delivered', '220')).toBe(200);
    await eventually('the card at Delivered', () =>
      cardText(h.connector.activities.get(outbound.id)?.activity).includes('Delivered'),
    );

    // A late `enroute` receipt changes nothing.
    const updatesBefore = h.connector.activities.get(outbound.id)?.updates ?? 0;
    expect(await h.sinch.deliver(sent.message_id, 'enroute', '211')).toBe(200);
    await sleep(400);
    const card = h.connector.activities.get(outbound.id);
    expect(card?.updates).toBe(updatesBefore);
    expect(cardText(card?.activity)).toContain('Delivered');

    // Both receipts are kept as received; only the first changed the message.
    const receipts = await h.app.store.listReceipts(sent.metadata?.['tb_message_id'] ?? '');
    expect(receipts.map((r) => [r.vendorStatus, r.code])).toEqual([
      ['delivered', '220'],
      ['enroute', '211'],
    ]);
    expect(h.sinch.sent).toHaveLength(1);
    expect(threadsInChannel()).toHaveLength(1);
    expect(threadsInChannel()[0]?.activities).toHaveLength(2);
  });

  it('shows a failed delivery with the reason on the card', async () => {
    const thread = threadsInChannel()[0];
    if (!thread) throw new Error('the first test creates the thread');
    const answer = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      conversationId: `${CHANNEL.id};messageid=${thread.rootId}`,
      text: 'Tracking link follows',
    });
    expect(await postActivity(h.url, answer)).toBe(200);
    const sent = await eventually('the second send', () => h.sinch.sent[1]);
    const card = await eventually('the outbound card', () =>
      threadsInChannel()[0]?.activities.find((a) => cardText(a.activity).includes('Tracking link follows')),
    );
    expect(await h.sinch.deliver(sent.message_id, 'failed', '414')).toBe(200);
    await eventually('the card at Failed', () =>
      cardText(h.connector.activities.get(card.id)?.activity).includes('Failed'),
    );
    expect(cardText(h.connector.activities.get(card.id)?.activity).toLowerCase()).toContain('unreachable');
  });

  it('keeps messages that arrive before any link and posts them once a channel is linked', async () => {
    const other = '+61491579999';
    const body = h.sinch.inboundBody({ from: CUSTOMER, to: other, text: 'Anyone there?' });
    expect((await postWebhook(h.url, body)).status).toBe(200);
    await sleep(300);
    expect(h.connector.posts.some((p) => cardText(p.activity).includes('Anyone there?'))).toBe(false);
    const link = channelMessage({ serviceUrl: h.connector.serviceUrl, text: `link sinch ${other}` });
    expect(await postActivity(h.url, link)).toBe(200);
    await eventually('the waiting message posted', () =>
      h.connector.threads().find((t) => cardText(t.activities[0]?.activity).includes('Anyone there?')),
    );
  });

  it('answers a thread that began with an MMS as SMS, and refuses an answer over 5,000 characters', async () => {
    const customer = '+61491571111';
    const mms = {
      ...h.sinch.inboundBody({ from: customer, to: BUSINESS, text: '' }),
      content: undefined,
      attachments: [{ content_type: 'image/png', content: 'dGVzdA==', original_name: 'dent.png' }],
    };
    expect((await postWebhook(h.url, mms)).status).toBe(200);
    const thread = await eventually('the MMS thread', () =>
      threadsInChannel().find((t) => cardText(t.activities[0]?.activity).includes(customer)),
    );
    await eventually('the thread recorded', () =>
      h.app.store.getThreadByConversation(`${CHANNEL.id};messageid=${thread.rootId}`),
    );
    const conversationId = `${CHANNEL.id};messageid=${thread.rootId}`;
    const tooLong = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      conversationId,
      text: 'x'.repeat(5001),
    });
    expect(await postActivity(h.url, tooLong)).toBe(200);
    const refusal = await answerTo(h.connector, tooLong);
    expect(cardText(refusal.activity)).toContain('Sinch takes at most 5,000 characters');
    expect(h.sinch.sent.some((m) => m.destination_number === customer)).toBe(false);

    const answer = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      conversationId,
      text: 'We will fix it',
    });
    expect(await postActivity(h.url, answer)).toBe(200);
    const sent = await eventually('the answer', () =>
      h.sinch.sent.find((m) => m.destination_number === customer),
    );
    expect(sent.format).toBe('SMS');
    expect(sent.media).toBeUndefined();
  });

  it('threads a message in the connector’s field names, RCS given as contact_message', async () => {
    const body = {
      reply_id: 'c0ffee00-0000-4000-8000-000000000001',
      message_id: 'c0ffee00-0000-4000-8000-000000000002',
      source_address: '+61491573333',
      destination_address: BUSINESS,
      contact_message: { text_message: { text: 'Sent from my RCS phone' } },
      date_received: new Date().toISOString(),
      status_code: '200',
      metadata: [{ metadata_key: 'campaign', metadata_value: 'spring' }],
      attachments: [],
    };
    expect(await postWebhook(h.url, body)).toEqual({ status: 200, body: { stored: 1, duplicates: 0 } });
    const thread = await eventually('the thread', () =>
      threadsInChannel().find((t) => cardText(t.activities[0]?.activity).includes('Sent from my RCS phone')),
    );
    expect(cardText(thread.activities[0]?.activity)).toContain('RCS');
    expect(cardText(thread.activities[0]?.activity)).toContain('+61491573333');
  });
});
