/**
 * What differs between the two databases the store runs on, in one place. Every query is written
 * once with Kysely; the few spots where SQLite and PostgreSQL need different SQL or a different
 * guarantee ask this object.
 */
import { type Kysely, PostgresAdapter } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';
export type CaseInsensitiveLike = 'like' | 'ilike';

export interface StoreDialect {
  name: DialectName;
  /**
   * This process is the database's only writer (SQLite, one process per file): what the store
   * read can be kept in memory (routes) and every lease in the table is its own. A database that
   * several bot instances share leaves this off.
   */
  singleWriter: boolean;
  /**
   * Row locks for claims: PostgreSQL claims with FOR UPDATE SKIP LOCKED, so two instances never
   * take the same job and neither waits for the other. SQLite has one writer at a time anyway.
   */
  skipLocked: boolean;
  /** The operator of a case-insensitive pattern match (SQLite's LIKE already ignores case). */
  caseInsensitiveLike: CaseInsensitiveLike;
}

export const SQLITE: StoreDialect = {
  name: 'sqlite',
  singleWriter: true,
  skipLocked: false,
  caseInsensitiveLike: 'like',
};

export const POSTGRES: StoreDialect = {
  name: 'postgres',
  singleWriter: false,
  skipLocked: true,
  caseInsensitiveLike: 'ilike',
};

/** Which database a Kysely instance (a migration's, say) talks to. */
export function dialectOf(db: Kysely<unknown>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
