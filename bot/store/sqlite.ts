/**
 * Opens the embedded store: one SQLite file under DATA_DIR, WAL, every commit on disk before
 * anything it holds is acknowledged. Commits are grouped (group-commit.ts), the WAL is synced off
 * the event loop (wal-sync.ts), kept small and truncated when idle (checkpointer.ts).
 *
 * The statements run on the bot's own thread: better-sqlite3 is synchronous and a group commit
 * without its sync takes a fraction of a millisecond, while a separate writer thread cost two
 * hand-overs between threads per request and a V8 heap of its own. With the load generator, the
 * HTTP thread and a writer thread on two cores, the hand-overs waited for the CPU, and a worker
 * thread costs about 18 MB of memory on Node 24 (docs/performance.md has the figures).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { IdleCheckpoint, WAL_AUTOCHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from './checkpointer.ts';
import { SQLITE } from './dialect.ts';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import { SqliteStore } from './sqlite-store.ts';
import { cachePreparedStatements } from './statement-cache.ts';
import { WalSync } from './wal-sync.ts';

export interface SqliteOptions {
  /**
   * The dialect-neutral store alone, without the SQLite hot path: the queries as PostgreSQL runs
   * them (the store tests run both), each commit synced inside SQLite (synchronous = FULL).
   */
  neutral?: boolean;
}

export async function openSqliteStore(file: string, options: SqliteOptions = {}): Promise<KyselyStore> {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL: a commit does not wait for the disk; WalSync syncs the WAL before any write of the
  // commit resolves, so an acknowledged webhook survives power loss, not only a process crash.
  sqlite.pragma(options.neutral ? 'synchronous = FULL' : 'synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoints past this many WAL pages; the WAL file is cut back to the limit when it starts over.
  sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  cachePreparedStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (options.neutral) {
    const store = new KyselyStore(db, SQLITE);
    await store.migrate();
    return store;
  }
  const wal = new WalSync(`${file}-wal`);
  const idle = new IdleCheckpoint(sqlite, {
    onError: (err) => process.emitWarning(`could not truncate the SQLite WAL: ${(err as Error).message}`),
  });
  const store = new SqliteStore(db, sqlite, wal, idle);
  // The migrations (or the check that none is due) write the WAL file that the sync holds open.
  await store.migrate();
  await wal.open();
  return store;
}
