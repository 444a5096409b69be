/**
 * The PostgreSQL side of the ingest benchmark: a fresh database per run on the server at
 * BENCH_DATABASE_URL (default the local one, trust auth), dropped afterwards unless
 * BENCH_KEEP_DATA=1, and what the bot stored in it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_BENCH_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(
  server = process.env['BENCH_DATABASE_URL'] || DEFAULT_BENCH_SERVER,
): Promise<BenchDatabase> {
  const name = `textbridge_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await query(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => query(server, `drop database if exists ${name} with (force)`),
  };
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

async function query(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
