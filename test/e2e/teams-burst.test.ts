/**
 * A burst into one channel against a Bot Connector that throttles at Teams' documented limits:
 * not a single 429, every message in Teams exactly once, folded into few cards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTED_LIMITS } from '../fakes/bot-connector.ts';
import { cardText } from '../helpers/cards.ts';
import { type Harness, postWebhook, startSinchHarness } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = '+61491570156';
const CUSTOMERS = 12;
const PER_CUSTOMER = 8;

describe('a burst into one channel at Teams’ documented limits', () => {
  let h: Harness;
  beforeAll(async () => {
    // Teams' own limits: 60 per 30 s per thread, 30 a second for the app.
    h = await startSinchHarness({ TEAMS_RATE_LIMIT: '60' }, { connector: { throttle: DOCUMENTED_LIMITS } });
    const link = channelMessage({ serviceUrl: h.connector.serviceUrl, text: `link sinch ${BUSINESS}` });
    expect(await postActivity(h.url, link)).toBe(200);
    await eventually('the link', () =>
      h.connector.posts.some((p) => cardText(p.activity).includes('Channel linked')),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gets no 429 and shows every message exactly once, in a few cards per customer', {
    timeout: 120_000,
  }, async () => {
    const texts: string[] = [];
    const sends: Array<Promise<number>> = [];
    for (let round = 0; round < PER_CUSTOMER; round++) {
      for (let c = 0; c < CUSTOMERS; c++) {
        const text = `burst c${c} m${round}`;
        texts.push(text);
        const body = h.sinch.inboundBody({
          from: `+4477009000${String(c).padStart(2, '0')}`,
          to: BUSINESS,
          text,
        });
        sends.push(postWebhook(h.url, body).then((r) => r.status));
      }
    }
    expect(await Promise.all(sends)).toEqual(Array(texts.length).fill(200));
    // Every text on exactly one card of the channel as it shows now (an update replaces a card).
    const shownCount = (text: string) =>
      h.connector.shown().filter((p) => cardText(p.activity).split('\n').includes(text)).length;
    await eventually('every message in Teams', () => texts.every((t) => shownCount(t) >= 1), 90_000);
    for (const t of texts) expect({ text: t, cards: shownCount(t) }).toEqual({ text: t, cards: 1 });
    expect(h.connector.throttled).toEqual([]);
    // One thread per customer, and far fewer calls than messages.
    expect(h.connector.threads().filter((t) => t.channelId === '19:general@thread.tacv2')).toHaveLength(
      CUSTOMERS,
    );
    const calls = h.connector.admitted.filter((a) => a.kind !== 'read').length;
    expect(calls).toBeLessThanOrEqual(texts.length / 2);
  });
});
