/**
 * The embedded store: one SQLite file under DATA_DIR, WAL, every commit synced to disk. The one
 * write connection lives in a worker thread (see threaded-store.ts); the bot reads on its own.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { KyselyStore } from './kysely-store.ts';
import { openSqliteReader, openSqliteWriter } from './sqlite-connection.ts';
import { ThreadedStore, WriterClient } from './threaded-store.ts';

export interface SqliteOptions {
  /** Write on this thread instead of a writer thread (tools and tests that want one thread). */
  inProcess?: boolean;
}

export async function openSqliteStore(file: string, options: SqliteOptions = {}): Promise<KyselyStore> {
  mkdirSync(path.dirname(file), { recursive: true });
  if (options.inProcess) return openSqliteWriter(file);
  // The writer creates and migrates the file before anything reads it.
  const writer = await WriterClient.start(file);
  return new ThreadedStore(openSqliteReader(file), writer);
}
