/** `npm run backup -- <file>`: an online copy of the SQLite store, never over a file by accident. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../bot/store/kysely-store.ts';
import { openSqliteStore } from '../../bot/store/sqlite.ts';
import { runDataCommand } from '../helpers/data-command.ts';

const inbound = (n: number) => ({
  kind: 'inbound' as const,
  provider: 'sinch' as const,
  providerMessageId: `in-${n}`,
  from: '+61491570156',
  to: '+61491570000',
  channel: 'sms' as const,
  text: `message ${n}`,
  media: [],
  receivedAt: new Date().toISOString(),
  raw: {},
});

function messagesIn(file: string): number {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from messages').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('npm run backup', () => {
  let dir: string;
  let dataDir: string;
  let store: KyselyStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'textbridge-backup-'));
    dataDir = path.join(dir, 'data');
    // The store stays open as the running bot holds it: the copy is taken online.
    store = await openSqliteStore(path.join(dataDir, 'textbridge.sqlite'));
    await store.ingest([inbound(1), inbound(2), inbound(3)]);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the open store, everything committed in it', async () => {
    const file = path.join(dir, 'copy.sqlite');
    const r = await runDataCommand('backup', [file], { DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.output).toContain(`copied ${path.join(dataDir, 'textbridge.sqlite')} to ${file}`);
    expect(messagesIn(file)).toBe(3);
    // Nothing half-written is left beside it.
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('leaves an existing file alone unless --force is given', async () => {
    const file = path.join(dir, 'existing.sqlite');
    writeFileSync(file, 'keep me');
    const refused = await runDataCommand('backup', [file], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`${file} exists: choose another file, or add --force to replace it`);
    await store.ingest([inbound(4)]);
    const forced = await runDataCommand('backup', ['--force', file], { DATA_DIR: dataDir });
    expect(forced.code).toBe(0);
    expect(messagesIn(file)).toBe(4);
  });

  it('points to pg_dump when the store is PostgreSQL', async () => {
    const r = await runDataCommand('backup', [path.join(dir, 'pg.sqlite')], {
      DATABASE_URL: 'postgres://app:secret@db.example.com/textbridge',
    });
    expect(r.code).toBe(1);
    expect(r.output).toContain('DATABASE_URL is set (postgres://app:***@db.example.com/textbridge)');
    expect(r.output).toContain('pg_dump');
    expect(r.output).not.toContain('secret');
    expect(existsSync(path.join(dir, 'pg.sqlite'))).toBe(false);
  });

  it('says what is missing: the file, a store, a known flag', async () => {
    const none = await runDataCommand('backup', [], { DATA_DIR: dataDir });
    expect(none.code).toBe(1);
    expect(none.output).toContain('name the file to write');
    const noStore = await runDataCommand('backup', [path.join(dir, 'x.sqlite')], {
      DATA_DIR: path.join(dir, 'empty'),
    });
    expect(noStore.code).toBe(1);
    expect(noStore.output).toContain(`no SQLite store at ${path.join(dir, 'empty', 'textbridge.sqlite')}`);
    const flag = await runDataCommand('backup', ['--overwrite', 'x'], { DATA_DIR: dataDir });
    expect(flag.code).toBe(1);
    expect(flag.output).toContain("Unknown option '--overwrite'");
  });
});
