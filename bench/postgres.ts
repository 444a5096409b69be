/**
 * The PostgreSQL side of the ingest benchmark: a fresh database per run on the server at
 * BENCH_DATABASE_URL (default the local one, trust auth), dropped afterwards unless
 * BENCH_KEEP_DATA=1, and what the bot stored in it.
 */
import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '../test/helpers/scratch-database.ts';

export const DEFAULT_BENCH_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export function createBenchDatabase(
  server = process.env['BENCH_DATABASE_URL'] || DEFAULT_BENCH_SERVER,
): Promise<ScratchDatabase> {
  return createScratchDatabase(server, 'textbridge_bench');
}

export interface StoredRows {
  events: number;
  messages: number;
  jobs: number;
  threads: number;
  jobsByState: Record<string, number>;
  /** pg_database_size: tables, indexes and their free space. */
  bytes: number;
}

export async function countStoredRows(url: string): Promise<StoredRows> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const count = async (table: string) =>
      Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
    const byState = await client.query<{ state: string; n: string }>(
      'select state, count(*) as n from jobs group by state',
    );
    const size = await client.query<{ bytes: string }>(
      'select pg_database_size(current_database()) as bytes',
    );
    return {
      events: await count('events'),
      messages: await count('messages'),
      jobs: await count('jobs'),
      threads: await count('threads'),
      jobsByState: Object.fromEntries(byState.rows.map((r) => [r.state, Number(r.n)])),
      bytes: Number(size.rows[0]?.bytes ?? 0),
    };
  } finally {
    await client.end();
  }
}
