/**
 * Brings a database to the latest schema (migrations.ts), and says where it stands. The bot runs
 * it at every start; `npm run migrate` runs it alone; db:copy runs it on the target and checks the
 * source with `pendingMigrations`. On PostgreSQL, Kysely's migrator holds an advisory lock while it
 * migrates, so instances that start together apply each migration once.
 */
import { type Kysely, Migrator } from 'kysely';
import { migrations } from './migrations.ts';

export interface MigrationReport {
  /** Migrations this run applied, in order (none when the schema was up to date). */
  applied: string[];
  /** The latest migration there is. */
  latest: string;
}

/** A migration failed: which one, and what the database said. The run stopped at it. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: migrations });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const which = failed ? `migration ${failed.migrationName}` : 'migrating';
    const why = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Database ${which} failed: ${why}`, { cause: error });
  }
  const all = await migrator.getMigrations();
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    latest: all.at(-1)?.name ?? '',
  };
}

/** The migrations a database has not had yet (all of them for an empty one); it is not changed. */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const all = await new Migrator({ db, provider: migrations }).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
