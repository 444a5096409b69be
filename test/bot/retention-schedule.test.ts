/**
 * RETENTION_DAYS on each store: the scheduled run erases what messages older than the limit said
 * (their bodies, the raw payloads of their receipts, their stored media) and leaves today's alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../adapters/types.ts';
import { scheduleRetention } from '../../bot/retention-schedule.ts';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openPostgresStore } from '../../bot/store/postgres.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import { captureLog } from '../helpers/log-capture.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';
import { eventually } from '../helpers/wait.ts';

const DAY_MS = 24 * 3600_000;

function photo(id: string, text: string): InboundMessage {
  return {
    kind: 'inbound',
    provider: 'sinch',
    providerMessageId: id,
    from: '+61491570156',
    to: '+61491570000',
    channel: 'mms',
    text,
    media: [
      { contentType: 'image/png', name: `${id}.png`, size: 3, data: Buffer.from('png').toString('base64') },
    ],
    receivedAt: new Date().toISOString(),
    raw: {},
  };
}

/** A message with its card posted, and the id of its stored media. */
async function postedPhoto(store: KyselyStore, id: string, text: string) {
  const [outcome] = await store.ingest([photo(id, text)]);
  const messageId = outcome?.messageId ?? '';
  await store.setMessageCard(messageId, `card-${id}`);
  const media = await store.db
    .selectFrom('media')
    .select('id')
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  return { messageId, mediaId: media.id };
}

async function backdate(store: KyselyStore, messageId: string, days: number): Promise<void> {
  const at = new Date(Date.now() - days * DAY_MS).toISOString();
  await store.db
    .updateTable('messages')
    .set({ created_at: at, updated_at: at })
    .where('id', '=', messageId)
    .execute();
  await store.db.updateTable('media').set({ created_at: at }).where('message_id', '=', messageId).execute();
}

describe.each([
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
])('RETENTION_DAYS on $name', ({ postgres }) => {
  if (postgres && !postgresServer) {
    it.skip('needs PostgreSQL (see the line at the start of the run)', () => {});
    return;
  }
  let store: KyselyStore | undefined;
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('erases the words and media of messages older than the limit, on schedule', async () => {
    if (postgres) {
      database = await createTestDatabase();
      store = await openPostgresStore(database.url, { poolSize: 2 });
    } else {
      dir = mkdtempSync(path.join(tmpdir(), 'textbridge-retention-'));
      store = await openSqliteStore(path.join(dir, 'textbridge.sqlite'));
    }
    const old = await postedPhoto(store, 'old', 'my card number is 4111');
    const recent = await postedPhoto(store, 'recent', 'and here is the receipt');
    await backdate(store, old.messageId, 3);

    const { log, entries } = captureLog();
    const schedule = scheduleRetention(2, (cutoff) => (store as KyselyStore).eraseOlderThan(cutoff), log, 10);
    try {
      const line = await eventually('the retention run', () =>
        entries().find((e) => e['msg'] === 'retention: erased old message contents'),
      );
      expect(line).toMatchObject({ retentionDays: 2, erased: { messages: 1, media: 1 } });
    } finally {
      await schedule.stop();
    }
    const bodies = new Map(
      (await store.db.selectFrom('messages').select(['id', 'body', 'status', 'erased_at']).execute()).map(
        (m) => [m.id, m],
      ),
    );
    expect(bodies.get(old.messageId)).toMatchObject({ body: '', status: 'received' });
    expect(bodies.get(old.messageId)?.erased_at).not.toBeNull();
    expect(await store.getMedia(old.mediaId)).toBeUndefined();
    expect(bodies.get(recent.messageId)).toMatchObject({ body: 'and here is the receipt', erased_at: null });
    expect((await store.getMedia(recent.mediaId))?.data?.toString()).toBe('png');
  });
});
