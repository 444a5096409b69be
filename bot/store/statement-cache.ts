/**
 * Kysely's SQLite driver prepares every query again; preparing costs more than running most of
 * ours. This keeps the most recently used statements per SQL text, on the one connection.
 */
import type Sqlite from 'better-sqlite3';

type Statement = ReturnType<Sqlite.Database['prepare']>;

export function cachePreparedStatements(db: Sqlite.Database, max = 200): void {
  const prepare = db.prepare.bind(db) as (source: string) => Statement;
  const cache = new Map<string, Statement>();
  const cached = (source: string): Statement => {
    const hit = cache.get(source);
    // A statement still being iterated (streamQuery) cannot run twice at once: give a fresh one.
    if (hit && !hit.busy) {
      // Map order is insertion order: moving the hit to the end keeps the eviction order LRU.
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = prepare(source);
    if (hit) return statement;
    cache.set(source, statement);
    if (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return statement;
  };
  db.prepare = cached as Sqlite.Database['prepare'];
}
