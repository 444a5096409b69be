/**
 * A fresh, uniquely named PostgreSQL database on `server`, and how to drop it. Free of vitest, so
 * the benchmarks use it too (bench/postgres.ts).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(server: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      admin(server, async (client) => {
        await closedConnections(client, name);
        // Connections still open (a run that failed half-way) must not keep it alive.
        await client.query(`drop database if exists ${name} with (force)`);
      }),
  };
}

/** How long a closed pool's connections may take to be gone on the server. */
const CLOSING_MS = 2_000;

/**
 * Waits until no connection to `name` is left, for a while. A pg pool's end() resolves as soon as it
 * has asked its idle connections to end, not when they have (pg-pool's _pulseQueue); a forced drop
 * in between ends them from the server's side, and pg reports that FATAL to a client nobody listens
 * to any more: an unhandled error in the test run.
 */
async function closedConnections(client: pg.Client, name: string): Promise<void> {
  const until = Date.now() + CLOSING_MS;
  for (;;) {
    const { rows } = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    if (Number(rows[0]?.n) === 0 || Date.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function admin(server: string, work: string | ((client: pg.Client) => Promise<void>)): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    if (typeof work === 'string') await client.query(work);
    else await work(client);
  } finally {
    await client.end();
  }
}
