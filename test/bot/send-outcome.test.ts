/**
 * A send whose answer never came is neither failed nor sent again blindly: after the last attempt
 * it is Not confirmed (with Retry), unless the provider took nothing (a 4xx cleared the mark).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../adapters/types.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import type { Job } from '../../bot/store/types.ts';
import { sendHandler } from '../../bot/worker/handlers/send.ts';

let dir: string;
let store: KyselyStore;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'textbridge-send-outcome-'));
  store = await openSqliteStore(path.join(dir, 'textbridge.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A customer message and an agent's answer to it; returns the answer's send job. */
async function answer(): Promise<Job> {
  const [inbound] = await store.ingest([
    {
      kind: 'inbound',
      provider: 'sinch',
      providerMessageId: 'in-1',
      from: '+61491570156',
      to: '+61491570000',
      channel: 'sms',
      text: 'Hello?',
      media: [],
      receivedAt: new Date().toISOString(),
      raw: {},
    },
  ]);
  const message = await store.getMessage(inbound?.messageId ?? '');
  const reply = await store.recordAgentReply({
    activityId: 'a-1',
    threadId: message?.threadId ?? '',
    text: 'On its way',
    authorName: 'Alex',
  });
  const [job] = await store
    .claimJobs('test', 10, 60_000)
    .then((jobs) => jobs.filter((j) => j.kind === 'send'));
  if (!job || job.ref !== reply.messageId) throw new Error('no send job');
  return job;
}

const sinch = { id: 'sinch', capabilities: {} } as unknown as Provider;
const handler = () =>
  sendHandler({ store, providers: { sinch }, limiters: {}, log: pino({ level: 'silent' }) });

describe('the last attempt of a send', () => {
  it('leaves a send that may have reached the provider Not confirmed, with the reason', async () => {
    const job = await answer();
    await store.markSendStarted(job.ref);
    await handler().giveUp?.(job, 'sinch is unavailable (HTTP 503)');
    const message = await store.getMessage(job.ref);
    expect(message?.status).toBe('unconfirmed');
    expect(message?.reason).toContain('Not confirmed: Sinch did not answer');
    expect(message?.reason).toContain('HTTP 503');
  });

  it('fails a send the provider refused', async () => {
    const job = await answer();
    await handler().giveUp?.(job, 'sinch rejected the request (HTTP 400)');
    expect(await store.getMessage(job.ref)).toMatchObject({
      status: 'failed',
      reason: 'sinch rejected the request (HTTP 400)',
    });
  });

  it('lets a late receipt move a Not confirmed message forward', async () => {
    const job = await answer();
    await store.applyStatus(job.ref, { status: 'unconfirmed', at: new Date().toISOString() });
    await store.applyStatus(job.ref, {
      status: 'delivered',
      at: new Date().toISOString(),
      providerMessageId: 'p-1',
    });
    expect((await store.getMessage(job.ref))?.status).toBe('delivered');
  });
});
