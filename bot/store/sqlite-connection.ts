/** SQLite connections of the embedded store: the one that writes, and the ones that only read. */
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import { cachePreparedStatements } from './statement-cache.ts';

/**
 * The write connection, migrated: the writer thread's store (or the whole store, in process).
 * With `checkpointPages` it leaves checkpoints to checkpointer.ts up to that many WAL pages.
 */
export async function openSqliteWriter(file: string, checkpointPages?: number): Promise<KyselyStore> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged webhook survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (checkpointPages !== undefined) sqlite.pragma(`wal_autocheckpoint = ${checkpointPages}`);
  cachePreparedStatements(sqlite);
  // One process owns the file (see app.ts), and in it one connection writes.
  const store = new KyselyStore(kysely(sqlite), { singleWriter: true });
  await store.migrate();
  return store;
}

/**
 * The bot's own connection next to the writer thread. The store only reads on it; a write here
 * (a test setting up a row) waits for the writer's lock like any second connection, and is as
 * durable.
 */
export function openSqliteReader(file: string): Kysely<Database> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cachePreparedStatements(sqlite);
  return kysely(sqlite);
}

function kysely(sqlite: Sqlite.Database): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
