/** `npm run migrate`: the migrations alone, on SQLite and PostgreSQL, and what it says when it cannot. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../bot/store/migrations.ts';
import { runDataCommand } from '../helpers/data-command.ts';
import { createTestDatabase, postgresServer, type TestDatabase } from '../helpers/postgres.ts';

const ALL = Object.keys(await migrations.getMigrations());
const LATEST = ALL.at(-1) ?? '';

describe('npm run migrate', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'textbridge-migrate-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the SQLite store under DATA_DIR with every migration, then finds nothing to do', async () => {
    const first = await runDataCommand('migrate', [], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.output).toContain(`SQLite ${path.join(dataDir, 'textbridge.sqlite')}`);
    expect(first.output).toContain(`applied ${ALL.length} migrations: ${ALL.join(', ')}`);
    const again = await runDataCommand('migrate', [], { DATA_DIR: dataDir });
    expect(again).toEqual({
      code: 0,
      output: expect.stringContaining(`up to date (latest migration ${LATEST})`),
    });
  });

  it('names an unreachable server and what to check, and fails', async () => {
    const r = await runDataCommand('migrate', [], {
      DATABASE_URL: 'postgres://app:secret@127.0.0.1:1/textbridge',
    });
    expect(r.code).toBe(1);
    expect(r.output).toContain('cannot connect to PostgreSQL postgres://app:***@127.0.0.1:1/textbridge');
    expect(r.output).toContain('ECONNREFUSED');
    expect(r.output).not.toContain('secret');
  });

  it('names a DATABASE_URL that is not PostgreSQL, and fails', async () => {
    const r = await runDataCommand('migrate', [], { DATABASE_URL: 'mysql://db/textbridge' });
    expect(r.code).toBe(1);
    expect(r.output).toContain('DATABASE_URL: must start with postgres:// or postgresql://');
  });

  it('refuses arguments it does not take', async () => {
    const r = await runDataCommand('migrate', ['--to', 'x'], { DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.output).toContain('unexpected argument --to x');
    expect(r.output).toContain('Usage: npm run migrate');
  });
});

describe('npm run migrate on PostgreSQL', () => {
  if (!postgresServer) {
    it.skip('needs PostgreSQL (see the line at the start of the run)', () => {});
    return;
  }
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('applies every migration to an empty database once', async () => {
    const first = await runDataCommand('migrate', [], { DATABASE_URL: database.url });
    expect(first.code).toBe(0);
    expect(first.output).toContain(`applied ${ALL.length} migrations`);
    const again = await runDataCommand('migrate', [], { DATABASE_URL: database.url });
    expect(again.code).toBe(0);
    expect(again.output).toContain('nothing applied');
  });

  it('names a database that does not exist', async () => {
    const url = new URL(database.url);
    url.pathname = '/textbridge_no_such_database';
    const r = await runDataCommand('migrate', [], { DATABASE_URL: url.toString() });
    expect(r.code).toBe(1);
    expect(r.output).toContain('database "textbridge_no_such_database" does not exist');
  });
});
