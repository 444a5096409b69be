/**
 * A fresh, uniquely named PostgreSQL database for one test file, dropped afterwards; the PostgreSQL
 * cases are skipped when the run found no server (test/postgres-setup.ts).
 */
import { inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

/** The server's URL, or '' when the PostgreSQL cases are skipped in this run. */
export const postgresServer: string = inject('postgresUrl');

export type TestDatabase = ScratchDatabase;

export function createTestDatabase(server = postgresServer): Promise<TestDatabase> {
  return createScratchDatabase(server, 'textbridge_test');
}
