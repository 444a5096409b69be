/**
 * Which provider/number pairs have a route, for deciding at ingest whether a new thread's card
 * can go anywhere yet. A message that cannot is stored with its card job already parked, so the
 * worker does not claim, look up and park it again one by one.
 *
 * Kept in memory when this process is the only writer (SQLite): addRoute and removeRoutes drop it
 * inside their own transaction, and ingest reloads it inside its transaction, so an ingest never
 * sees a link older than the last committed one. Stores shared by several processes (PostgreSQL)
 * must read it in every ingest transaction instead (`shared: false`): another process's link may
 * have released the parked jobs just before.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

const key = (provider: string, number: string) => `${provider}\n${number}`;

export class RouteSet {
  private keys: Set<string> | undefined;

  constructor(private readonly cache: boolean) {}

  invalidate(): void {
    this.keys = undefined;
  }

  /** The routes as the transaction `db` sees them (from memory when they are cached). */
  async load(db: Db): Promise<RouteMatcher> {
    let keys = this.keys;
    if (!keys) {
      const rows = await db.selectFrom('routes').select(['provider', 'business_number']).execute();
      keys = new Set(rows.map((r) => key(r.provider, r.business_number)));
      if (this.cache) this.keys = keys;
    }
    return new RouteMatcher(keys);
  }
}

export class RouteMatcher {
  constructor(private readonly keys: ReadonlySet<string>) {}

  /** Whether any route (exact, any number of the provider, any provider, or everything) matches. */
  has(provider: string, number: string): boolean {
    const k = this.keys;
    if (k.size === 0) return false;
    return (
      k.has(key(provider, number)) ||
      k.has(key(provider, '*')) ||
      k.has(key('*', number)) ||
      k.has(key('*', '*'))
    );
  }
}
