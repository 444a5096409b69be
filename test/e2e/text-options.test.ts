/**
 * `text` to several numbers with per-send options, end to end: one thread per number, Sinch
 * metadata from --meta on every message, Retarus job options from their flags, and an option the
 * chosen provider cannot honour refused before anything is queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRetarus, startFakeRetarus } from '../fakes/retarus.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { type AppHarness, startApp } from '../helpers/app.ts';
import { cardText } from '../helpers/cards.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const SINCH_KEY = 'k'.repeat(20);
const SINCH_SECRET = 's'.repeat(30);

describe('text to several numbers, with options', () => {
  let sinch: FakeSinch;
  let retarus: FakeRetarus;
  let h: AppHarness;
  beforeAll(async () => {
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    retarus = await startFakeRetarus({ username: 'user', password: 'pass', dataCentre: 'de1' });
    h = await startApp(() => ({
      SINCH_API_KEY: SINCH_KEY,
      SINCH_API_SECRET: SINCH_SECRET,
      SINCH_BASE_URL: sinch.url,
      SINCH_SOURCE_NUMBER: '+61491570000',
      SINCH_WEBHOOK_SECRET: 'sinch-secret-0123456789',
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pass',
      RETARUS_SEND_URL: retarus.sendUrl,
      RETARUS_STATUS_URLS: retarus.statusUrls.join(','),
      RETARUS_SENDER: 'Contoso',
      RETARUS_WEBHOOK_SECRET: 'retarus-secret-0123456789',
    }));
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([sinch?.close(), retarus?.close()]);
  });

  async function says(text: string) {
    const before = h.connector.posts.length;
    await postActivity(h.url, channelMessage({ serviceUrl: h.connector.serviceUrl, text }));
    return cardText(
      (await eventually(`an answer to "${text.slice(0, 40)}"`, () => h.connector.posts[before])).activity,
    );
  }

  it('texts every number, one thread each, with the --meta pairs on each message', async () => {
    const numbers = ['+61491570201', '+61491570202', '+61491570203'];
    const answer = await says(
      `text ${numbers.join(' ')} --via sinch --meta order=4711 --meta team=north Your order has shipped.`,
    );
    expect(answer).toContain('Message queued');
    expect(answer).toContain('+61491570203');
    const sent = await eventually('three sends', () => {
      const found = sinch.sent.filter((m) => numbers.includes(m.destination_number));
      return found.length === 3 ? found : undefined;
    });
    for (const message of sent) {
      expect(message.metadata).toMatchObject({ order: '4711', team: 'north' });
      expect(message.metadata?.['tb_message_id']).toBeTruthy();
      expect(message.content).toBe('Your order has shipped.');
    }
    const threads = await h.app.store.db.selectFrom('threads').select('customer_number').execute();
    expect(numbers.every((n) => threads.some((t) => t.customer_number === n))).toBe(true);
  });

  it('puts the Retarus job options on the job', async () => {
    const answer = await says(
      'text +4917600000011 --via retarus --flash --validity 60 --billcode B-7 --qos express --max-parts 3 --blackout 2026-12-24T18:00Z/2026-12-27T07:00Z Happy holidays',
    );
    expect(answer).toContain('Message queued');
    const job = await eventually('the job', () =>
      retarus.jobs.find((j) => j.request.messages[0]?.text === 'Happy holidays'),
    );
    expect(job.request.options).toMatchObject({
      flash: true,
      validityMin: 60,
      billcode: 'B-7',
      qos: 'EXPRESS',
      maxParts: 3,
      blackoutPeriods: ['2026-12-24T18:00Z/2026-12-27T07:00Z'],
    });
  });

  it('refuses options the provider cannot honour, and values out of range, queueing nothing', async () => {
    const before = await h.app.store.db.selectFrom('messages').select('id').execute();
    expect(await says('text +4917600000012 --via retarus --meta a=b Hi')).toContain(
      '--meta does not apply to retarus',
    );
    expect(await says('text +61491570204 --via sinch --flash Hi')).toContain(
      '--flash does not apply to sinch',
    );
    expect(await says('text +4917600000012 --via retarus --validity 3 Hi')).toContain('5 to 2880');
    expect(await says('text +4917600000012 --via retarus --max-parts 1 ' + 'a'.repeat(200))).toContain(
      '--max-parts allows 1',
    );
    expect(await says('text +4917600000012 --via retarus --blackout tomorrow Hi')).toContain(
      '--blackout takes an interval',
    );
    expect(await h.app.store.db.selectFrom('messages').select('id').execute()).toHaveLength(before.length);
  });
});
