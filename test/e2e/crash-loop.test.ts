/**
 * The crash loop of the report, on the real process: the nested webhook that used to kill the bot
 * now kills nothing, and a process made to crash again and again by something that is not a job
 * fails none of the jobs that were in flight each time; they all reach Teams once it stops.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { cardText } from '../helpers/cards.ts';
import { type ChildBot, startChildBot } from '../helpers/child-bot.ts';
import { freePort } from '../helpers/ports.ts';
import { SINCH_KEY, SINCH_SECRET, sinchEnv, WEBHOOK_SECRET } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = '+61491570000';
const CRASH = './test/helpers/crash-on-signal.ts';

/** The report's repro: a valid Sinch inbound with one extra field nested `depth` deep. */
function nested(depth: number): string {
  return `{"reply_id":"r1","source_number":"+61411111111","content":"x","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

async function postRaw(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/webhooks/sinch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': WEBHOOK_SECRET },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

function jobsDb(dataDir: string) {
  const db = new Sqlite(path.join(dataDir, 'textbridge.sqlite'), { readonly: true });
  return {
    running: () =>
      db.prepare("SELECT id, attempts FROM jobs WHERE state = 'running'").all() as Array<{
        id: number;
        attempts: number;
      }>,
    failed: () => db.prepare("SELECT id, kind, last_error FROM jobs WHERE state = 'failed'").all(),
    close: () => db.close(),
  };
}

describe('the crash loop', () => {
  let connector: FakeConnector;
  let sinch: FakeSinch;
  let bot: ChildBot | undefined;
  afterAll(async () => {
    connector?.release();
    await bot?.kill('SIGKILL');
    await connector?.close();
    await sinch?.close();
  });

  it('is gone: the request that killed the bot, 20 times and 200 at once, kills nothing', {
    timeout: 60_000,
  }, async () => {
    connector = await startFakeConnector();
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-crash-loop-'));
    bot = await startChildBot({ ...sinchEnv(sinch.url, await freePort(), dataDir), LOG_LEVEL: 'warn' });
    const pid = bot.process.pid;
    for (let i = 0; i < 20; i++) expect(await postRaw(bot.url, nested(4000))).toBe(400);
    const burst = await Promise.all(Array.from({ length: 200 }, () => postRaw(bot?.url ?? '', nested(2000))));
    expect(new Set(burst)).toEqual(new Set([400]));
    expect(bot.process.exitCode).toBeNull();
    expect(bot.process.pid).toBe(pid);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    const db = jobsDb(dataDir);
    try {
      expect(db.running()).toEqual([]);
    } finally {
      db.close();
    }
    await bot.kill('SIGTERM');
  });

  it('fails no job that was only in flight while something else crashed the bot', {
    timeout: 180_000,
  }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-crash-loop-'));
    const env = { ...sinchEnv(sinch.url, await freePort(), dataDir), LOG_LEVEL: 'warn' };
    bot = await startChildBot(env, [CRASH]);
    expect(
      await postActivity(
        bot.url,
        channelMessage({ serviceUrl: connector.serviceUrl, text: `link sinch ${BUSINESS}` }),
      ),
    ).toBe(200);
    await eventually('the link', () => connector.posts.length === 1);

    // Three customers write; Teams holds their cards, so each card job stays in flight.
    connector.hold();
    for (let i = 0; i < 3; i++) {
      const body = sinch.inboundBody({ from: `+6149157010${i}`, to: BUSINESS, text: `still here ${i}` });
      const res = await fetch(`${bot.url}/webhooks/sinch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': WEBHOOK_SECRET },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    const db = jobsDb(dataDir);
    try {
      // More crashes than any job has attempts (a card job has 10).
      for (let crash = 0; crash < 11; crash++) {
        await eventually('three card jobs in flight', () => db.running().length === 3, 30_000);
        // Each start gave the attempt of the last run back: no job counts the crashes.
        expect(Math.max(...db.running().map((j) => j.attempts))).toBe(1);
        const current = bot;
        const exited = new Promise((resolve) => current.process.once('exit', resolve));
        current.process.kill('SIGUSR2');
        await exited;
        expect(current.process.exitCode).toBe(1);
        const record = JSON.parse(readFileSync(path.join(dataDir, 'last-stop.json'), 'utf8'));
        expect(record).toMatchObject({ kind: 'not-a-job', error: 'Error: forced crash (test)' });
        const fatal = current
          .output()
          .split('\n')
          .filter((line) => line.includes('the bot stops on an unexpected error'));
        expect(fatal).toHaveLength(1);
        expect(JSON.parse(fatal[0] ?? '{}')).toMatchObject({ level: 60, jobId: null });
        bot = await startChildBot(env, [CRASH]);
      }
      expect(existsSync(path.join(dataDir, 'last-stop.json'))).toBe(false);
      connector.release();
      await eventually(
        'every held card in Teams',
        () =>
          [0, 1, 2].every((i) =>
            connector.posts.some((p) => cardText(p.activity).includes(`still here ${i}`)),
          ),
        60_000,
      );
      expect(db.failed()).toEqual([]);
    } finally {
      db.close();
    }
  });
});
