/**
 * The embedded store: KyselyStore on one SQLite connection, with inbound webhook rows written by
 * the prepared statements of sqlite-ingest.ts (the hot path) instead of through Kysely. Receipts
 * and every other write take KyselyStore's dialect-neutral path. Commits do not wait for the disk;
 * their writes resolve once the WAL is synced (wal-sync.ts). The WAL is checkpointed as it grows
 * and truncated once idle (checkpointer.ts).
 */
import type Sqlite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { IdleCheckpoint } from './checkpointer.ts';
import { SQLITE } from './dialect.ts';
import { type IngestRow, NO_MEDIA } from './ingest-rows.ts';
import { KyselyStore, now } from './kysely-store.ts';
import type { Database } from './schema.ts';
import { SqliteIngest } from './sqlite-ingest.ts';
import type { IngestOutcome } from './types.ts';
import type { WalSync } from './wal-sync.ts';

export class SqliteStore extends KyselyStore {
  /** Prepared on first use: the tables exist once the migrations ran. */
  private fast: SqliteIngest | undefined;

  constructor(
    db: Kysely<Database>,
    private readonly sqlite: Sqlite.Database,
    private readonly wal: WalSync,
    private readonly idle: IdleCheckpoint,
  ) {
    // One process owns the file (see app.ts), and in it this one connection writes. Writes
    // resolve once the WAL holding them is synced (wal-sync.ts).
    super(db, SQLITE, {
      durable: () => {
        idle.wrote();
        return wal.flushed();
      },
    });
  }

  override async ingestRows(rows: IngestRow[]): Promise<IngestOutcome[]> {
    if (rows.length === 0) return [];
    this.fast ??= new SqliteIngest(this.sqlite, this.core.ingestQ, this.core.jobsQ);
    const fast = this.fast;
    return this.core.writes.run(async (trx) => {
      const at = now();
      const routes = await this.core.routes.load(trx);
      const out: IngestOutcome[] = [];
      for (const row of rows) {
        // Receipts, and messages with media (rows beside them), take the dialect-neutral path.
        if (row[0] !== 'in' || row[8] !== NO_MEDIA) {
          out.push(await this.ingester.ingestOne(trx, row, at));
          continue;
        }
        // Synchronous, on the connection the transaction holds.
        const written = fast.inbound(row, at, routes);
        if (written.queued) this.core.queued();
        out.push(written.outcome);
      }
      return out;
    });
  }

  override async close(): Promise<void> {
    this.idle.stop();
    await super.close();
    this.wal.close();
  }
}
