/**
 * The SQLite writer's hot path: inbound webhook rows written with the ingest statements prepared
 * once on better-sqlite3 and run synchronously, inside the group commit's transaction. The
 * statements are the dialect-neutral ones of ingest-queries.ts (compiled by Kysely once), so this
 * writes exactly what KyselyStore's own ingest writes, without a query builder, a driver or a
 * promise per statement.
 */
import type Sqlite from 'better-sqlite3';
import { timeOrderedId } from './ids.ts';
import type { IngestQueries, ThreadOfRow } from './ingest-queries.ts';
import { type InboundRow, NO_MEDIA } from './ingest-rows.ts';
import {
  changesThread,
  inboundValues,
  noRouteReason,
  postCardJob,
  threadKey,
  threadUpdate,
  threadValues,
} from './ingest-values.ts';
import { type JobQueries, jobValues } from './job-queries.ts';
import type { RouteMatcher } from './route-set.ts';
import type { IngestOutcome } from './types.ts';

type Statement = ReturnType<Sqlite.Database['prepare']>;

const DUPLICATE: IngestOutcome = Object.freeze({ duplicate: true });

export interface InboundWritten {
  outcome: IngestOutcome;
  /** A job that can run now was queued: the worker is woken after the commit. */
  queued: boolean;
}

export class SqliteIngest {
  private readonly claimKey: Statement;
  private readonly findThread: Statement;
  private readonly insertThread: Statement;
  private readonly updateThread: Statement;
  private readonly insertInbound: Statement;
  private readonly insertJob: Statement;

  constructor(
    sqlite: Sqlite.Database,
    private readonly q: IngestQueries,
    private readonly jobsQ: JobQueries,
  ) {
    this.claimKey = sqlite.prepare(q.claimKey.sql);
    this.findThread = sqlite.prepare(q.findThread.sql);
    this.insertThread = sqlite.prepare(q.insertThread.sql);
    this.updateThread = sqlite.prepare(q.updateThread.sql);
    this.insertInbound = sqlite.prepare(q.insertInbound.sql);
    this.insertJob = sqlite.prepare(jobsQ.insert.sql);
  }

  /** Writes one inbound row without media; the caller holds the transaction. */
  inbound(row: InboundRow, at: string, routes: RouteMatcher): InboundWritten {
    if (this.claimKey.run(this.q.claimKey.values({ key: row[1], at })).changes === 0) {
      return { outcome: DUPLICATE, queued: false };
    }
    const thread = this.threadOf(row, at);
    const id = timeOrderedId();
    this.insertInbound.run(this.q.insertInbound.values(inboundValues(row, id, thread.id, at, NO_MEDIA)));
    const job = postCardJob(thread.id);
    // A new thread's card needs a linked channel; without one it waits (parked) for `link`.
    if (thread.conversation_id === null && !routes.has(row[2], row[5])) {
      this.insertJob.run(this.jobsQ.insert.values(jobValues(job, at, 'parked', noRouteReason(row))));
      return { outcome: { duplicate: false, messageId: id }, queued: false };
    }
    // Nothing new when a waiting job of the thread posts this message too.
    const queued = this.insertJob.run(this.jobsQ.insert.values(jobValues(job, at))).changes > 0;
    return { outcome: { duplicate: false, messageId: id }, queued };
  }

  private threadOf(row: InboundRow, at: string): ThreadOfRow {
    const key = threadKey(row);
    const thread = (this.findThread.get(this.q.findThread.values(key)) ??
      this.insertThread.get(this.q.insertThread.values(threadValues(row, at)))) as ThreadOfRow | undefined;
    if (!thread) throw new Error(`no thread for ${row[2]} ${row[5]} ${row[4]}`);
    if (changesThread(row, thread))
      this.updateThread.run(this.q.updateThread.values(threadUpdate(row, thread.id, at)));
    return thread;
  }
}
