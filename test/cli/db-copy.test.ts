/**
 * `npm run db:copy`: a SQLite store filled by the bot itself (a customer texts through Sinch, an
 * agent answers, receipts arrive) is copied into a fresh PostgreSQL database; the bot then starts
 * on PostgreSQL and carries on: the customer's next text lands in the thread Teams already shows.
 * The copy never touches the SQLite file, and refuses a database that holds anything.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { type FakeConnector, startFakeConnector } from '../fakes/bot-connector.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { cardText } from '../helpers/cards.ts';
import { runDataCommand } from '../helpers/data-command.ts';
import { freePort } from '../helpers/ports.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';
import { postWebhook, SINCH_KEY, SINCH_SECRET, sinchEnv } from '../helpers/sinch-app.ts';
import { CHANNEL, channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const CUSTOMER = '+61491570156';
const BUSINESS = '+61491570000';
const THREAD_MARKER = ';messageid=';

/**
 * The data files of the SQLite store (the database and a WAL with anything in it) and a hash of
 * their bytes. Reading a WAL-mode database makes SQLite create its shared-memory index and an empty
 * WAL beside it (the bot would too); neither holds data.
 */
function storeFiles(dataDir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dataDir)
      .filter((f) => f.startsWith('textbridge.sqlite') && !f.endsWith('-shm'))
      .filter((f) => statSync(path.join(dataDir, f)).size > 0)
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(path.join(dataDir, f)))
          .digest('hex'),
      ]),
  );
}

/** Rows per table of the PostgreSQL database. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of ['threads', 'messages', 'events', 'jobs', 'receipts', 'routes']) {
      counts[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

describe('npm run db:copy', () => {
  if (!postgresServer) {
    it.skip('needs PostgreSQL (see the line at the start of the run)', () => {});
    return;
  }
  let connector: FakeConnector;
  let sinch: FakeSinch;
  let dataDir: string;
  let database: TestDatabase;
  let app: App | undefined;
  const startBot = async (env: Record<string, string> = {}) => {
    const config = loadConfig({ ...sinchEnv(sinch.url, await freePort(), dataDir), ...env });
    app = await createApp(config, { log: pino({ level: 'silent' }), worker: { idlePollMs: 50 } });
    await app.start();
    return app;
  };
  const channelPosts = () => connector.posts.filter((p) => p.conversationId === CHANNEL.id);

  beforeAll(async () => {
    connector = await startFakeConnector();
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-copy-'));
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    await sinch?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses bad arguments and says what to give', async () => {
    const env = { DATA_DIR: dataDir };
    const noTarget = await runDataCommand('db-copy', [], env);
    expect(noTarget.code).toBe(1);
    expect(noTarget.output).toContain('name the PostgreSQL database to copy into with --to <url>');
    const notPostgres = await runDataCommand('db-copy', ['--to', 'mysql://db/textbridge'], env);
    expect(notPostgres.code).toBe(1);
    expect(notPostgres.output).toContain('--to must start with postgres:// or postgresql://');
    const unknown = await runDataCommand('db-copy', ['--into', database.url], env);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain("Unknown option '--into'");
    const noSource = await runDataCommand('db-copy', ['--to', database.url], {
      DATA_DIR: path.join(dataDir, 'nothing-here'),
    });
    expect(noSource.code).toBe(1);
    expect(noSource.output).toContain('cannot open the SQLite store');
    expect(noSource.output).toContain('check DATA_DIR, or name the file with --from');
  });

  it('moves a store the bot filled to PostgreSQL, where the bot carries on the same threads', async () => {
    // On SQLite: a channel is linked, the customer texts twice, an agent answers, receipts arrive.
    const sqliteBot = await startBot();
    const link = channelMessage({ serviceUrl: connector.serviceUrl, text: `link sinch ${BUSINESS}` });
    expect(await postActivity(sqliteBot.url(), link)).toBe(200);
    for (const text of ['Hi, is my order late?', 'Order 4711']) {
      const body = sinch.inboundBody({ from: CUSTOMER, to: BUSINESS, text });
      expect((await postWebhook(sqliteBot.url(), body)).status).toBe(200);
    }
    const thread = await eventually('the customer thread with both messages', () =>
      connector
        .threads()
        .find(
          (t) =>
            t.channelId === CHANNEL.id &&
            t.activities.some((a) => cardText(a.activity).includes('Order 4711')),
        ),
    );
    const threadId = `${CHANNEL.id}${THREAD_MARKER}${thread.rootId}`;
    const answer = channelMessage({
      serviceUrl: connector.serviceUrl,
      conversationId: threadId,
      text: 'It ships today!',
    });
    expect(await postActivity(sqliteBot.url(), answer)).toBe(200);
    const sent = await eventually('the Sinch send', () => sinch.sent[0]);
    expect(await sinch.deliver(sent.message_id, 'delivered', '220')).toBe(200);
    await eventually('the answer at Delivered', () =>
      connector.posts.some(
        (p) =>
          p.conversationId === threadId &&
          cardText(connector.activities.get(p.activityId)?.activity).includes('Delivered'),
      ),
    );
    const rootPosts = channelPosts().length;
    await sqliteBot.stop();
    app = undefined;

    // The copy: every table, counts checked; the SQLite files are not changed.
    const before = storeFiles(dataDir);
    const copy = await runDataCommand('db-copy', ['--to', database.url], { DATA_DIR: dataDir });
    expect(copy.output).toContain('every count matches the source');
    expect(copy.code).toBe(0);
    expect(copy.output).toMatch(/threads: 1 rows/);
    expect(copy.output).toMatch(/messages: 3 rows/);
    expect(copy.output).toMatch(/receipts: 1 rows/);
    expect(copy.output).toMatch(/routes: 1 rows/);
    expect(storeFiles(dataDir)).toEqual(before);

    // On PostgreSQL: the customer texts again; it lands in the thread Teams shows, no new root card.
    const postgresBot = await startBot({ DATABASE_URL: database.url });
    expect(postgresBot.store.dialect.name).toBe('postgres');
    const again = sinch.inboundBody({ from: CUSTOMER, to: BUSINESS, text: 'Thanks, got it' });
    expect(await postWebhook(postgresBot.url(), again)).toEqual({
      status: 200,
      body: { stored: 1, duplicates: 0 },
    });
    const card = await eventually('the new message in Teams', () =>
      connector.posts.find((p) =>
        cardText(connector.activities.get(p.activityId)?.activity).includes('Thanks, got it'),
      ),
    );
    expect(card.conversationId).toBe(threadId);
    expect(channelPosts()).toHaveLength(rootPosts);
    // An agent's answer there goes out through the copied thread too.
    const second = channelMessage({
      serviceUrl: connector.serviceUrl,
      conversationId: threadId,
      text: 'You are welcome',
    });
    expect(await postActivity(postgresBot.url(), second)).toBe(200);
    const resent = await eventually('the second Sinch send', () => sinch.sent[1]);
    expect(resent).toMatchObject({ content: 'You are welcome', destination_number: CUSTOMER });
    // Generated ids carry on after the copied ones: the new receipt does not collide with the old.
    expect(await sinch.deliver(resent.message_id, 'delivered', '220')).toBe(200);
    const ids = await eventually('both receipts stored', async () => {
      const rows = await postgresBot.store.db.selectFrom('receipts').select('id').orderBy('id').execute();
      return rows.length === 2 ? rows.map((r) => r.id) : undefined;
    });
    expect(ids[1]).toBeGreaterThan(ids[0] ?? Number.POSITIVE_INFINITY);
  });

  it('refuses a database that holds anything, and changes nothing in it', async () => {
    await app?.stop();
    app = undefined;
    const before = await rowCounts(database.url);
    const r = await runDataCommand('db-copy', ['--to', database.url], { DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(await rowCounts(database.url)).toEqual(before);
    expect(r.output).toContain('nothing was copied: the target database is not empty (rows: ');
    expect(r.output).toMatch(/threads 1\b/);
    expect(r.output).toContain('Create a new database');
    // A server that does not answer is named, without the password.
    const unreachable = await runDataCommand(
      'db-copy',
      ['--to', 'postgres://app:pw@127.0.0.1:1/textbridge'],
      { DATA_DIR: dataDir },
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toContain(
      'cannot connect to PostgreSQL postgres://app:***@127.0.0.1:1/textbridge',
    );
  });
});
