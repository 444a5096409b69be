/**
 * Whether the PostgreSQL cases can run: a server at TEST_DATABASE_URL (default the local one,
 * trust auth) that lets us create databases. Without one they are skipped and the run says so in
 * one line; with TEXTBRIDGE_REQUIRE_POSTGRES=1 (CI) a missing server fails the run instead.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the PostgreSQL cases create their databases on; '' when there is none. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const problem = await reach(url);
  if (problem === undefined) {
    project.provide('postgresUrl', url);
    return;
  }
  const where = new URL(url).host;
  if (process.env.TEXTBRIDGE_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `PostgreSQL is required (TEXTBRIDGE_REQUIRE_POSTGRES=1) but ${where} answers: ${problem}`,
    );
  }
  console.warn(`PostgreSQL not reachable at ${where} (${problem}): the PostgreSQL store cases are skipped`);
  project.provide('postgresUrl', '');
}

async function reach(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}
