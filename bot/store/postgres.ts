/**
 * Opens the shared store: PostgreSQL through Kysely's dialect on a `pg` pool. Several bot
 * instances use one database; each commit is durable when it returns (PostgreSQL's own WAL), so
 * nothing waits for a sync of ours. Every write transaction ends with a NOTIFY (delivered at
 * commit), and each instance LISTENs: its worker wakes for jobs another instance queued, and its
 * Inbox hears the changes another instance made (notify-listener.ts).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { POSTGRES } from './dialect.ts';
import { IngestBatch } from './ingest-batch.ts';
import type { IngestRow } from './ingest-rows.ts';
import { KyselyStore } from './kysely-store.ts';
import { NOTIFY_CHANNEL, type Notice, NotifyListener } from './notify-listener.ts';
import { PostgresIngest } from './postgres-ingest.ts';
import type { Database } from './schema.ts';
import type { Trx } from './store-core.ts';
import type { IngestOutcome } from './types.ts';

export interface PostgresOptions {
  /** Connections in the pool (DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** Names this instance in its notices, so it does not answer its own. */
  instanceId?: string;
  /** Told when the listening connection fails (it reconnects by itself). */
  onListenError?: (err: Error) => void;
}

const INT8 = 20;

/**
 * 64-bit integers (bigserial ids, epoch milliseconds, counts) as JavaScript numbers: every value
 * the store keeps there is far below 2^53. pg returns them as strings by default.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export class PostgresStore extends KyselyStore {
  /** Webhook rows of concurrent calls, written together with multi-row statements. */
  private readonly batch: IngestBatch;

  constructor(
    db: Kysely<Database>,
    private readonly listener: NotifyListener,
    readonly instanceId: string,
  ) {
    super(db, POSTGRES, {
      beforeCommit: (trx, what) => notify(trx, { from: instanceId, jobs: what.queued }),
    });
    // The Inbox hears this instance's commits and every other instance's.
    const local = this.core.localChanges;
    this.core.changes = {
      subscribe: (fn) => {
        const offLocal = local.subscribe(fn);
        const offRemote = listener.subscribe((n) => n.from !== instanceId && fn());
        return () => {
          offLocal();
          offRemote();
        };
      },
    };
    listener.subscribe((n) => {
      if (n.jobs && n.from !== instanceId) this.core.wake();
    });
    const batched = new PostgresIngest(this.core, this.ingester);
    this.batch = new IngestBatch(
      this.core.writes,
      (trx, rows, at) => batched.write(trx, rows, at),
      (rows) => this.ingester.ingestRows(rows),
    );
  }

  /** One round trip per statement: the rows of concurrent webhooks share each statement. */
  override ingestRows(rows: IngestRow[]): Promise<IngestOutcome[]> {
    return this.batch.ingest(rows);
  }

  override async close(): Promise<void> {
    await this.listener.close();
    await super.close();
  }
}

async function notify(trx: Trx, notice: Notice): Promise<void> {
  await sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(notice)})`.execute(trx);
}

/** `connectTimeoutMs`: how long a connection attempt may take (the commands give up; 0: no limit). */
export function createPostgresKysely(url: string, poolSize = 10, connectTimeoutMs = 0): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    connectionTimeoutMillis: connectTimeoutMs,
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
  const db = createPostgresKysely(url, options.poolSize);
  const listener = new NotifyListener(url, options.onListenError);
  const instanceId = options.instanceId ?? `pid-${process.pid}`;
  try {
    await listener.start();
    const store = new PostgresStore(db, listener, instanceId);
    // Several instances starting together: Kysely's migrator holds a PostgreSQL advisory lock
    // while it migrates, so one of them applies the migrations and the others find them applied.
    await store.migrate();
    return store;
  } catch (err) {
    await listener.close();
    await db.destroy();
    throw err;
  }
}
