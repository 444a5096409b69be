/**
 * Two bot processes on one PostgreSQL database, no load balancer: webhooks and Teams activities
 * go to each in turn, against a Bot Connector that throttles at Teams' documented limits. A burst
 * of 1,000 customer messages and 200 agent replies over 20 channels; one instance is killed with
 * SIGKILL in the middle and the senders retry what it never acknowledged on the other (as Sinch
 * and Teams do). The survivor takes over the dead one's jobs when their leases run out.
 *
 * Every event reaches Teams once (a card post cut off by the kill may land twice, and the bot
 * says which), every reply reaches Sinch once, each thread's messages stay in order, and the two
 * instances together never get a 429: they spend one Teams budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCUMENTED_LIMITS, type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { interruptedCardIds, runWithConcurrency } from '../helpers/burst.ts';
import { cardText } from '../helpers/cards.ts';
import { type ChildBot, startChildBot } from '../helpers/child-bot.ts';
import { freePort } from '../helpers/ports.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';
import { postWebhook, SINCH_KEY, SINCH_SECRET, sinchEnv } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const CHANNELS = 20;
const CUSTOMERS = 2;
const MESSAGES = 25;
const REPLIES = 5;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const channelOf = (c: number) => ({ id: `19:ch${pad(c, 2)}@thread.tacv2`, name: `Support ${c}` });
const businessOf = (c: number) => `+614915700${pad(c, 2)}`;
const customerOf = (c: number, k: number) => `+614915710${pad(c, 2)}${k}`;
/** A message's text: fixed width, so no marker is a part of another. */
const inboundText = (c: number, k: number, n: number) => `in-${pad(c, 2)}-${k}-${pad(n, 2)}`;
const replyText = (c: number, k: number, n: number) => `re-${pad(c, 2)}-${k}-${pad(n, 2)}`;

interface Delivery {
  text: string;
  post(url: string): Promise<number>;
  /** When the request that was acknowledged went out, and when its 200 came back. */
  sentAt?: number;
  ackedAt?: number;
}

/** Sends `d` to the instance at `url`; true when it was acknowledged (200). */
async function deliver(d: Delivery, url: string): Promise<boolean> {
  const sentAt = Date.now();
  const status = await d.post(url).catch(() => 0);
  if (status !== 200) return false;
  d.sentAt = sentAt;
  d.ackedAt = Date.now();
  return true;
}

const describePg = postgresServer ? describe : describe.skip;

describePg('two instances on one PostgreSQL database, one killed in a burst', () => {
  let database: TestDatabase | undefined;
  let connector: FakeConnector | undefined;
  let sinch: FakeSinch | undefined;
  const bots: ChildBot[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-two-'));

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.kill('SIGKILL')));
    await connector?.close();
    await sinch?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every acknowledged event once, in order, with no 429', { timeout: 150_000 }, async () => {
    database = await createTestDatabase();
    connector = await startFakeConnector({ throttle: DOCUMENTED_LIMITS });
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    const fakeConnector = connector;
    const fakeSinch = sinch;
    const start = async (id: string) => {
      const port = await freePort();
      const bot = await startChildBot({
        ...sinchEnv(fakeSinch.url, port, path.join(dataDir, id)),
        DATABASE_URL: database!.url,
        INSTANCE_ID: id,
        LOG_LEVEL: 'warn',
        // Teams' documented limits, the ones the fake enforces.
        TEAMS_RATE_LIMIT: '60',
      });
      bots.push(bot);
      return bot;
    };
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const instances = [a!, b!];
    const began = Date.now();

    // Each channel linked to its business number, through either instance.
    for (let c = 0; c < CHANNELS; c++) {
      const link = channelMessage({
        serviceUrl: fakeConnector.serviceUrl,
        text: `link sinch ${businessOf(c)}`,
        sender: { channel: channelOf(c) },
      });
      expect(await postActivity(instances[c % 2]!.url, link)).toBe(200);
    }
    // Every customer's first message opens a thread; the agents' replies go into it.
    const inbound = (c: number, k: number, n: number): Delivery => {
      const text = inboundText(c, k, n);
      const body = fakeSinch.inboundBody({ from: customerOf(c, k), to: businessOf(c), text });
      return { text, post: async (url) => (await postWebhook(url, body)).status };
    };
    const opening: Delivery[] = [];
    for (let c = 0; c < CHANNELS; c++) for (let k = 0; k < CUSTOMERS; k++) opening.push(inbound(c, k, 0));
    for (const [i, d] of opening.entries()) expect(await deliver(d, instances[i % 2]!.url)).toBe(true);
    const threadOf = (c: number, k: number) =>
      fakeConnector.threads().find((t) => cardText(t.activities[0]?.activity).includes(inboundText(c, k, 0)));
    await eventually(
      'a thread for every customer',
      () => opening.every((_, i) => threadOf(Math.floor(i / CUSTOMERS), i % CUSTOMERS)),
      30_000,
    );

    // The burst, threads interleaved: the rest of each customer's messages, and the replies.
    const burst: Delivery[] = [];
    for (let n = 1; n < MESSAGES; n++) {
      for (let c = 0; c < CHANNELS; c++) {
        for (let k = 0; k < CUSTOMERS; k++) {
          burst.push(inbound(c, k, n));
          // A reply after every fourth message, REPLIES per thread.
          if (n % 4 !== 0 || n > 4 * REPLIES) continue;
          const text = replyText(c, k, n);
          const activity = channelMessage({
            serviceUrl: fakeConnector.serviceUrl,
            conversationId: `${channelOf(c).id};messageid=${threadOf(c, k)?.rootId}`,
            text,
            sender: { channel: channelOf(c) },
          });
          burst.push({ text, post: (url) => postActivity(url, activity) });
        }
      }
    }
    const inboundAll = [...opening, ...burst.filter((d) => d.text.startsWith('in-'))];
    const replies = burst.filter((d) => d.text.startsWith('re-'));
    expect({ inbound: inboundAll.length, replies: replies.length }).toEqual({ inbound: 1_000, replies: 200 });

    let acked = 0;
    const killAt = Math.floor(burst.length * 0.4);
    const killed = (async () => {
      await eventually('enough acknowledged events', () => acked >= killAt, 60_000);
      await a!.kill('SIGKILL');
    })();
    let turn = 0;
    await runWithConcurrency(burst, 8, async (d) => {
      if (await deliver(d, instances[turn++ % 2]!.url)) acked++;
    });
    await killed;
    const burstSent = Date.now() - began;
    // Sinch and Teams retry what was not acknowledged; only the survivor answers now.
    const unacknowledged = burst.filter((d) => d.ackedAt === undefined);
    for (const d of unacknowledged) expect(await deliver(d, b!.url)).toBe(true);

    const shownWith = (text: string) =>
      fakeConnector.shown().filter((p) => cardText(p.activity).split('\n').includes(text)).length;
    await eventually(
      'every event in Teams and every reply at Sinch',
      () =>
        [...inboundAll, ...replies].every((d) => shownWith(d.text) >= 1) &&
        replies.every((d) => fakeSinch.sent.some((m) => m.content === d.text)),
      90_000,
    );
    const elapsed = Date.now() - began;
    // The survivor ran the jobs the dead instance had claimed, once their leases ran out.
    const metrics = await (await fetch(`${b!.url}/metrics`)).text();
    const takeovers = Number(/^textbridge_job_lease_takeovers_total (\d+)/m.exec(metrics)?.[1]);
    expect(takeovers).toBeGreaterThan(0);

    // Teams has no idempotency key: a card whose post the kill cut off may have landed and be
    // posted again; the instance that posts it again says so. Nothing else appears twice.
    const inDoubt = await inDoubtBodies(
      bots.map((bot) => bot.output()),
      database.url,
    );
    for (const d of [...inboundAll, ...replies]) {
      const count = shownWith(d.text);
      if (count !== 1)
        expect({ text: d.text, count, inDoubt: inDoubt.has(d.text) }).toMatchObject({
          count: 2,
          inDoubt: true,
        });
    }
    for (const d of replies)
      expect(
        fakeSinch.sent.filter((m) => m.content === d.text),
        d.text,
      ).toHaveLength(1);
    // Each thread shows its customer's messages in order: a message acknowledged before another
    // was sent is on the same card or an earlier one. (Two sent at once have no order; within a
    // card messages are listed newest first by the provider's timestamp, in whole seconds.)
    const outOfOrder: string[] = [];
    for (let c = 0; c < CHANNELS; c++) {
      const cards = fakeConnector
        .threads()
        .filter((t) => t.channelId === channelOf(c).id)
        .flatMap((t) => t.activities.map((a) => cardText(a.activity).split('\n')));
      // The first card showing it (a card posted again after the kill repeats an earlier one).
      const cardOf = (text: string) => cards.findIndex((lines) => lines.includes(text));
      for (let k = 0; k < CUSTOMERS; k++) {
        const prefix = `in-${pad(c, 2)}-${k}-`;
        const mine = inboundAll.filter((d) => d.text.startsWith(prefix));
        for (const x of mine) {
          for (const y of mine) {
            if (x.ackedAt! < y.sentAt! && cardOf(x.text) > cardOf(y.text))
              outOfOrder.push(`${x.text} (card ${cardOf(x.text)}) after ${y.text} (card ${cardOf(y.text)})`);
          }
        }
      }
    }
    expect(outOfOrder).toEqual([]);
    expect(fakeConnector.throttled).toEqual([]);
    const calls = fakeConnector.admitted.filter((x) => x.kind !== 'read').length;
    console.info(
      `two instances: ${inboundAll.length} messages and ${replies.length} replies in ${elapsed} ms ` +
        `(sent in ${burstSent} ms), ` +
        `${calls} Teams calls, ${fakeConnector.throttled.length} × 429, ${unacknowledged.length} retried after the kill, ` +
        `${inDoubt.size} in doubt, ${takeovers} jobs taken over`,
    );
  });
});

async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Bodies of the messages whose card post an instance reported as interrupted. */
async function inDoubtBodies(logs: string[], url: string): Promise<Set<string>> {
  const ids = logs.flatMap(interruptedCardIds);
  if (ids.length === 0) return new Set();
  const rows = await query<{ body: string }>(url, 'select body from messages where id = any($1)', [ids]);
  return new Set(rows.map((r) => r.body));
}
