/**
 * A fresh, uniquely named PostgreSQL database for one test file, dropped afterwards; the PostgreSQL
 * cases are skipped when the run found no server (test/postgres-setup.ts).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The server's URL, or '' when the PostgreSQL cases are skipped in this run. */
export const postgresServer: string = inject('postgresUrl');

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(server = postgresServer): Promise<TestDatabase> {
  const name = `textbridge_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // Connections still open (a test that failed half-way) must not keep it alive.
    drop: () => admin(server, `drop database if exists ${name} with (force)`),
  };
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
