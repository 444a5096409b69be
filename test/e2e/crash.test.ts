/**
 * Crash safety: the bot process is killed with SIGKILL in the middle of a burst of customer
 * webhooks and agent replies. Providers and Teams retry what was not acknowledged (as they do);
 * after a restart every event is in Teams exactly once and every reply reached Sinch exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { interruptedCardIds, runWithConcurrency } from '../helpers/burst.ts';
import { cardText } from '../helpers/cards.ts';
import { type ChildBot, startChildBot } from '../helpers/child-bot.ts';
import { freePort } from '../helpers/ports.ts';
import { postWebhook, SINCH_KEY, SINCH_SECRET, sinchEnv } from '../helpers/sinch-app.ts';
import { CHANNEL, channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = '+61491570000';
const customer = (i: number) => `+614915701${String(i).padStart(2, '0')}`;

interface Delivery {
  name: string;
  send(url: string): Promise<number>;
  acknowledged: boolean;
}

describe('kill -9 in the middle of a burst', () => {
  let connector: FakeConnector;
  let sinch: FakeSinch;
  let bot: ChildBot | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-crash-'));
  afterAll(async () => {
    await bot?.kill('SIGKILL');
    await connector?.close();
    await sinch?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing and duplicates nothing', { timeout: 120_000 }, async () => {
    connector = await startFakeConnector();
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    const env = { ...sinchEnv(sinch.url, await freePort(), dataDir), LOG_LEVEL: 'warn' };
    bot = await startChildBot(env);

    expect(
      await postActivity(
        bot.url,
        channelMessage({ serviceUrl: connector.serviceUrl, text: `link sinch ${BUSINESS}` }),
      ),
    ).toBe(200);
    const OPEN_THREADS = 6;
    for (let i = 0; i < OPEN_THREADS; i++) {
      const body = sinch.inboundBody({ from: customer(i), to: BUSINESS, text: `hello-${i}` });
      expect((await postWebhook(bot.url, body)).status).toBe(200);
    }
    const threadOf = (i: number) =>
      connector.threads().find((t) => cardText(t.activities[0]?.activity).includes(`hello-${i}`));
    await eventually('the first threads', () =>
      Array.from({ length: OPEN_THREADS }, (_, i) => threadOf(i)).every(Boolean),
    );

    // The burst: new customer messages and agent answers in the open threads, interleaved.
    const deliveries: Delivery[] = [];
    for (let i = 0; i < 90; i++) {
      const body = sinch.inboundBody({ from: customer(i % 10), to: BUSINESS, text: `burst-${i}!` });
      deliveries.push({
        name: `burst-${i}!`,
        acknowledged: false,
        send: async (url) => (await postWebhook(url, body)).status,
      });
      if (i % 3 === 0) {
        const thread = threadOf((i / 3) % OPEN_THREADS);
        const activity = channelMessage({
          serviceUrl: connector.serviceUrl,
          conversationId: `${CHANNEL.id};messageid=${thread?.rootId}`,
          text: `reply-${i / 3}!`,
        });
        deliveries.push({
          name: `reply-${i / 3}!`,
          acknowledged: false,
          send: (url) => postActivity(url, activity),
        });
      }
    }

    const first = bot;
    let acked = 0;
    const killAt = Math.floor(deliveries.length * 0.45);
    const killed = (async () => {
      await eventually('enough acknowledged events', () => acked >= killAt, 30_000);
      await first.kill('SIGKILL');
    })();
    await runWithConcurrency(deliveries, 6, async (d) => {
      const status = await d.send(first.url).catch(() => 0);
      if (status === 200) {
        d.acknowledged = true;
        acked++;
      }
    });
    await killed;
    const unacknowledged = deliveries.filter((d) => !d.acknowledged);
    expect(unacknowledged.length).toBeGreaterThan(0);

    // Restart on the same data; senders retry what we never acknowledged.
    bot = await startChildBot(env);
    const second = bot;
    for (const d of unacknowledged) expect(await d.send(second.url)).toBe(200);

    // What the channel shows now: a message that joined a card by an update is in that card.
    const cardsWith = (marker: string) =>
      connector.shown().filter((p) => cardText(p.activity).includes(marker));
    const replies = deliveries.filter((d) => d.name.startsWith('reply-'));
    const bursts = deliveries.filter((d) => d.name.startsWith('burst-'));
    await eventually(
      'every event in Teams and every reply at Sinch',
      () =>
        [...bursts, ...replies].every((d) => cardsWith(d.name).length >= 1) &&
        replies.every((d) => sinch.sent.some((m) => m.content === d.name)),
      60_000,
    );
    // Teams has no idempotency key: a card whose post was cut off by the kill may have landed
    // and is posted again. The bot reports exactly those; nothing else may appear twice.
    const inDoubt = inDoubtBodies(second.output(), path.join(dataDir, 'textbridge.sqlite'));
    // Only messages stored before the kill can have been on a card in flight then.
    expect(inDoubt.size).toBeLessThanOrEqual(killAt + OPEN_THREADS);
    for (const d of [...bursts, ...replies]) {
      const count = cardsWith(d.name).length;
      const seen = { marker: d.name, count, inDoubt: inDoubt.has(d.name) };
      if (count !== 1) expect(seen).toEqual({ marker: d.name, count: 2, inDoubt: true });
    }
    // Sinch sends are never repeated: an interrupted send is looked up before it is retried.
    for (const d of replies)
      expect(
        sinch.sent.filter((m) => m.content === d.name),
        d.name,
      ).toHaveLength(1);
    // Customers beyond the first six got one new thread each (two only if its root post was in doubt).
    for (let i = OPEN_THREADS; i < 10; i++) {
      const roots = connector
        .threads()
        .filter((t) => cardText(t.activities[0]?.activity).includes(customer(i)))
        .map((t) => cardText(t.activities[0]?.activity));
      if (roots.length !== 1) {
        expect(roots, customer(i)).toHaveLength(2);
        expect([...inDoubt].some((marker) => roots[0]?.includes(marker))).toBe(true);
      }
    }
  });
});

/** Bodies of the messages whose card post the restarted bot reported as interrupted. */
function inDoubtBodies(log: string, dbFile: string): Set<string> {
  const ids = interruptedCardIds(log);
  if (ids.length === 0) return new Set();
  const db = new Sqlite(dbFile, { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT body FROM messages WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids);
    return new Set((rows as Array<{ body: string }>).map((r) => r.body));
  } finally {
    db.close();
  }
}
