/** The embedded SQLite store as the bot opens it: hot path, errors, wake-ups, checkpoints, close. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../adapters/types.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import { SqliteStore } from '../../bot/store/sqlite-store.ts';

const BUSINESS = '+61491570000';
const inbound = (id: string): InboundMessage => ({
  kind: 'inbound',
  provider: 'sinch',
  providerMessageId: id,
  from: '+61491570156',
  to: BUSINESS,
  channel: 'sms',
  text: 'Hello',
  media: [],
  receivedAt: '2025-01-01T10:00:00.000Z',
  raw: { reply_id: id, nested: { list: [1, 2, 3] } },
});

let dir: string;
const opened: KyselyStore[] = [];
const file = () => path.join(dir, 'textbridge.sqlite');
const walSize = () => {
  try {
    return statSync(`${file()}-wal`).size;
  } catch {
    return 0;
  }
};
const open = async (neutral = false) => {
  const store = await openSqliteStore(file(), { neutral });
  opened.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'textbridge-sqlite-'));
});

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite store', () => {
  it('writes inbound messages by its hot path, each visible once it resolved, once', async () => {
    const store = await open();
    expect(store).toBeInstanceOf(SqliteStore);
    await expect(store.ready()).resolves.toBeUndefined();
    const [outcome] = await store.ingest([inbound('in-1')]);
    const message = await store.getMessage(outcome?.messageId ?? '');
    expect(message).toMatchObject({ body: 'Hello', providerMessageId: 'in-1' });
    expect((await store.ingest([inbound('in-1')]))[0]).toEqual({ duplicate: true });
  });

  it('rejects with the error the write threw, and keeps writing', async () => {
    const store = await open();
    await expect(
      store.recordAgentReply({ activityId: 'a-1', threadId: 'no-such-thread', text: 'x', authorName: 'A' }),
    ).rejects.toThrow(/no result/i);
    expect((await store.ingest([inbound('in-2')]))[0]?.duplicate).toBe(false);
  });

  it('wakes the worker after a commit that queued runnable work, not for parked work', async () => {
    const store = await open();
    let wakes = 0;
    store.setOnEnqueue(() => wakes++);
    await store.ingest([inbound('in-1')]);
    await new Promise((r) => setTimeout(r, 20));
    expect(wakes).toBe(0);
    await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'm-1' });
    await expect.poll(() => wakes).toBe(1);
  });

  it('refuses calls after close, and a second store opens the same file', async () => {
    const store = await open();
    await store.ingest([inbound('in-1')]);
    await store.close();
    await expect(store.ingest([inbound('in-2')])).rejects.toThrow();
    const again = await open();
    expect((await again.ingest([inbound('in-1')]))[0]).toEqual({ duplicate: true });
  });

  it('checkpoints and truncates the WAL once writes stopped for a second', async () => {
    const store = await open();
    const before = statSync(file()).size;
    // Far fewer WAL pages than the connection's own checkpoint threshold.
    for (let i = 0; i < 20; i++) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => store.ingest([inbound(`in-${i}-${j}`)])));
    }
    expect(walSize()).toBeGreaterThan(0);
    expect(statSync(file()).size).toBe(before);
    // Quiet for a second: the pages are in the database file and the WAL is given back.
    await expect.poll(walSize, { timeout: 10_000, interval: 100 }).toBe(0);
    expect(statSync(file()).size).toBeGreaterThan(before);
    expect(await store.countJobs('parked')).toBe(1);
    // And it starts again on the next write.
    expect((await store.ingest([inbound('after')]))[0]?.duplicate).toBe(false);
    expect(walSize()).toBeGreaterThan(0);
  });
});

describe('the dialect-neutral store on SQLite', () => {
  it('is the same store without the hot path', async () => {
    const store = await open(true);
    expect(store).not.toBeInstanceOf(SqliteStore);
    const [outcome] = await store.ingest([inbound('in-1')]);
    expect((await store.getMessage(outcome?.messageId ?? ''))?.body).toBe('Hello');
    await store.enqueue({ kind: 'send', lane: 'lane-a', ref: 'm-1' });
    expect((await store.claimJobs('w', 10, 60_000)).map((j) => j.ref)).toEqual(['m-1']);
  });
});
