/**
 * Retarus end to end over real HTTP: an inbound SMS push (XML) starts a thread, the agent's answer
 * goes out as a job with our id in customerRef, and the status push, or polling when no push
 * comes, moves the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRetarus, startFakeRetarus } from '../fakes/retarus.ts';
import { answerTo } from '../helpers/answers.ts';
import { type AppHarness, startApp } from '../helpers/app.ts';
import { cardText } from '../helpers/cards.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { customerThread } from '../helpers/threads.ts';
import { eventually } from '../helpers/wait.ts';

const SECRET = 'retarus-secret-0123456789';
const BASIC: [string, string] = ['retarus', SECRET];
const CUSTOMER = '+4917612345678';
const BUSINESS = '+4930555010';

describe('Retarus to Teams and back', () => {
  let fake: FakeRetarus;
  let h: AppHarness;
  let root: { conversationId: string };
  beforeAll(async () => {
    fake = await startFakeRetarus({ username: 'user', password: 'pass', dataCentre: 'de1' });
    h = await startApp(() => ({
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pass',
      RETARUS_SEND_URL: fake.sendUrl,
      RETARUS_STATUS_URLS: fake.statusUrls.join(','),
      RETARUS_SENDER: 'Contoso',
      RETARUS_WEBHOOK_SECRET: SECRET,
    }));
    await postActivity(h.url, channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'link retarus' }));
    await eventually('the link', () => h.connector.posts.length === 1);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const cardsWith = (text: string) => h.connector.shown().filter((p) => cardText(p.activity).includes(text));
  const webhook = () => `${h.url}/webhooks/retarus`;

  async function answer(text: string) {
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, conversationId: root.conversationId, text }),
    );
    const job = await eventually(`the job of "${text}"`, () =>
      fake.jobs.find((j) => j.request.messages[0]?.text === text),
    );
    const card = await eventually(`the card of "${text}"`, () => cardsWith(text)[0]);
    return { job, card };
  }

  it('threads an inbound SMS push and refuses one without the password', async () => {
    expect(
      await fake.pushInbound(webhook(), {
        src: CUSTOMER,
        dst: BUSINESS,
        text: 'Guten Tag, wo bleibt mein Paket?',
      }),
    ).toBe(401);
    const sms = {
      src: CUSTOMER,
      dst: BUSINESS,
      text: 'Guten Tag, wo bleibt mein Paket?',
      smsId: 'S.20261123-100000.000-inbound1',
    };
    expect(await fake.pushInbound(webhook(), sms, { basicAuth: BASIC })).toBe(200);
    expect(await fake.pushInbound(webhook(), sms, { basicAuth: BASIC })).toBe(200);
    root = await customerThread(h.app.store, h.connector, 'wo bleibt mein Paket?');
    expect(cardText((root as { activity?: unknown }).activity)).toContain('Retarus');
    expect(cardsWith('wo bleibt mein Paket?')).toHaveLength(1);
  });

  it('sends the answer as a job carrying our id and shows Delivered from the status push', async () => {
    const { job, card } = await answer('Es ist unterwegs.');
    const options = job.request.options ?? {};
    expect(options['duplicateDetection']).toBe(true);
    expect(options['src']).toBe(BUSINESS);
    expect(job.request.messages[0]?.recipients[0]?.dst).toBe(CUSTOMER);
    expect(job.request.messages[0]?.recipients[0]?.customerRef).toMatch(/^[0-9a-f-]{36}$/);
    fake.advance(job.jobId, { status: 'SUC_FIN' });
    expect(await fake.push(job.jobId, webhook(), { basicAuth: BASIC })).toBe(200);
    await eventually('Delivered', () =>
      cardText(h.connector.activities.get(card.activityId)?.activity).includes('Delivered'),
    );
  });

  it('finds the final status by polling the data centres when no push comes', async () => {
    const { job, card } = await answer('Morgen früh.');
    fake.advance(job.jobId, { status: 'FAILED_FIN', reason: 'message_state:UNDELIVERABLE' });
    // Time passes: the poll scheduled a minute out is due now. The bot schedules it once it has
    // recorded Retarus's answer, which may be a moment after the fake took the job.
    const messageId = job.request.messages[0]?.recipients[0]?.customerRef ?? '';
    await eventually('the status poll', async () => {
      const pulled = await h.app.store.db
        .updateTable('jobs')
        .set({ run_after: 0 })
        .where('kind', '=', 'poll-status')
        .where('ref', '=', messageId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return pulled.numUpdatedRows > 0n;
    });
    h.app.worker.wake();
    await eventually(
      'Failed',
      () => cardText(h.connector.activities.get(card.activityId)?.activity).includes('Failed'),
      10_000,
    );
    const lookups = fake.requests.filter((r) => r.path === '/sms' && r.query['jobId'] === job.jobId);
    expect(lookups.map((r) => r.host)).toEqual(['de2', 'de1']);
  });

  it('text takes 1,340 Unicode characters (20 parts, maxParts 20) and refuses 1,341 before anything is sent', async () => {
    const ask = async (words: string) => {
      const activity = channelMessage({ serviceUrl: h.connector.serviceUrl, text: words });
      await postActivity(h.url, activity);
      return cardText((await answerTo(h.connector, activity)).activity);
    };
    const jobs = fake.jobs.length;
    const refused = await ask(`text +4917600000001 ${'ж'.repeat(1341)}`);
    expect(refused).toContain('Retarus sends at most 20 SMS parts');
    expect(refused).toContain('outside GSM-7');
    expect(fake.jobs.length).toBe(jobs);
    const preview = await ask(`text +4917600000001 ${'ж'.repeat(1340)}`);
    expect(preview).toContain('20 SMS segments');
  });
});
