/**
 * The database a data command works on (`npm run migrate`, `db:copy`): a bare Kysely connection
 * without the bot's worker, listener or write path, and errors that say where and what to check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreConfig } from '../config.ts';
import { createPostgresKysely } from '../store/postgres.ts';
import { redactedUrl } from '../store/redacted-url.ts';
import type { Database } from '../store/schema.ts';
import { CliError } from './settings.ts';

/** A command gives up on a server that does not answer after this long. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface DataDb {
  db: Kysely<Database>;
  /** "PostgreSQL postgres://app:***@db/textbridge" or "SQLite /srv/data/textbridge.sqlite". */
  where: string;
  close(): Promise<void>;
}

/** Connects (a query is made, so an unreachable server or a missing database fails here). */
export async function openDataDb(store: StoreConfig): Promise<DataDb> {
  if (store.kind === 'sqlite') {
    mkdirSync(path.dirname(store.path), { recursive: true });
    const sqlite = new Sqlite(store.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, where: `SQLite ${store.path}`, close: () => db.destroy() };
  }
  const where = `PostgreSQL ${redactedUrl(store.url)}`;
  const db = createPostgresKysely(store.url, 2, CONNECT_TIMEOUT_MS);
  try {
    await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
  } catch (err) {
    await db.destroy();
    throw new CliError(
      `cannot connect to ${where}: ${errorText(err)}. Check the URL (host, port, user, password, database) and that the server runs and the database exists`,
    );
  }
  return { db, where, close: () => db.destroy() };
}

/** An error's words: Node's connection errors to several addresses come with an empty message. */
export function errorText(err: unknown): string {
  if (err instanceof AggregateError && !err.message) return err.errors.map(errorText).join('; ');
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}
