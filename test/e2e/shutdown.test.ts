/**
 * `npm start` as a container or process manager runs it: SIGTERM (or SIGINT) goes to exactly the
 * process `npm start` started, and the bot stops within 10 s: it stops accepting, gives the job in
 * flight back without charging it an attempt, and closes the store.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { type Spawned, spawnInProject } from '../helpers/child-bot.ts';
import { freePort } from '../helpers/ports.ts';
import { SINCH_KEY, SINCH_SECRET, sinchEnv, WEBHOOK_SECRET } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = '+61491570000';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function npmStart(env: Record<string, string>): Spawned {
  return spawnInProject('npm', ['start', '--silent'], env);
}

/** The bot's own pid, from its first log line. */
function botPid(output: string): number | undefined {
  const line = output.split('\n').find((l) => l.includes('textbridge listening on port'));
  return line ? (JSON.parse(line) as { pid: number }).pid : undefined;
}

describe('npm start', () => {
  let connector: FakeConnector;
  let sinch: FakeSinch;
  const started: Spawned[] = [];
  afterAll(async () => {
    connector?.release();
    for (const s of started) {
      const pid = botPid(s.output());
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      s.process.kill('SIGKILL');
    }
    await connector?.close();
    await sinch?.close();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the bot gracefully within 10 s on %s to the npm process',
    { timeout: 120_000 },
    async (signal) => {
      connector ??= await startFakeConnector();
      sinch ??= await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
      const dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-shutdown-'));
      const port = await freePort();
      const run = npmStart({ ...sinchEnv(sinch.url, port, dataDir), LOG_LEVEL: 'info' });
      started.push(run);
      const url = `http://127.0.0.1:${port}`;
      await eventually(
        'the bot to answer',
        async () => {
          if (run.process.exitCode !== null) throw new Error(`npm start exited:\n${run.output()}`);
          return fetch(`${url}/readyz`).then(
            (r) => r.status === 200,
            () => false,
          );
        },
        90_000,
      );
      const pid = await eventually('the bot to say it listens', () => botPid(run.output()));
      // npm runs the bot: the pid that answers is not the one we signal.
      expect(pid).not.toBe(run.process.pid);

      // A job in flight: Teams holds the card of a customer's message.
      const linked = connector.posts.length;
      await postActivity(
        url,
        channelMessage({ serviceUrl: connector.serviceUrl, text: `link sinch ${BUSINESS}` }),
      );
      await eventually('the link', () => connector.posts.length > linked);
      connector.hold();
      const res = await fetch(`${url}/webhooks/sinch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': WEBHOOK_SECRET },
        body: JSON.stringify(
          sinch.inboundBody({ from: '+61491570156', to: BUSINESS, text: `held ${signal}` }),
        ),
      });
      expect(res.status).toBe(200);
      const db = new Sqlite(path.join(dataDir, 'textbridge.sqlite'), { readonly: true });
      const running = () => db.prepare("SELECT id, attempts FROM jobs WHERE state = 'running'").all();
      await eventually('the card job in flight', () => running().length === 1);

      const sent = Date.now();
      run.process.kill(signal);
      await eventually('the bot to end', () => !alive(pid), 10_000);
      const took = Date.now() - sent;
      expect(took).toBeLessThan(10_000);
      await run.exited;
      connector.release();

      const lines = run.output().split('\n');
      expect(lines.some((l) => l.includes('"msg":"stopping"') && l.includes(signal))).toBe(true);
      expect(lines.some((l) => l.includes('stopping with jobs in flight'))).toBe(true);
      // Stopped on purpose: the next start gives the job its attempt back.
      expect(JSON.parse(readFileSync(path.join(dataDir, 'last-stop.json'), 'utf8'))).toMatchObject({
        kind: 'not-a-job',
      });
      // The job is still leased in the store; the next start takes it back, attempt included.
      expect(running()).toHaveLength(1);
      db.close();
    },
  );
});
