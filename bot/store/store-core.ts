/**
 * What every part of the store shares: the connection, the group commit every write goes through,
 * the compiled hot-path statements, the route set, the change feed, and the wake-up of the worker
 * after a commit that queued runnable work.
 */
import type { Kysely, Transaction } from 'kysely';
import { type ChangeFeed, LocalChangeFeed } from './change-feed.ts';
import type { StoreDialect } from './dialect.ts';
import { GroupCommit } from './group-commit.ts';
import { type IngestQueries, ingestQueries } from './ingest-queries.ts';
import { type JobQueries, jobQueries } from './job-queries.ts';
import { RouteSet } from './route-set.ts';
import type { Database } from './schema.ts';

export type Trx = Transaction<Database>;
export type Db = Kysely<Database> | Trx;

export const now = () => new Date().toISOString();

export interface StoreCoreOptions {
  /**
   * For a connection whose commit does not wait for the disk itself: resolves once everything
   * committed before the call is on disk. Writes resolve only then (group-commit.ts).
   */
  durable?: () => Promise<void>;
  /**
   * Runs once at the end of every write transaction, inside it: a shared database tells the other
   * instances what the transaction did (postgres.ts: NOTIFY, delivered at commit).
   */
  beforeCommit?: (trx: Trx, what: { queued: boolean }) => Promise<void>;
}

export class StoreCore {
  readonly writes: GroupCommit<Trx>;
  readonly routes: RouteSet;
  readonly ingestQ: IngestQueries;
  readonly jobsQ: JobQueries;
  /** Raised after every commit (the Inbox's live updates read what changed). */
  readonly localChanges = new LocalChangeFeed();
  /** What the Inbox listens to: this process's commits, and on a shared database everybody's. */
  changes: ChangeFeed = this.localChanges;
  /** Set by a write that queued runnable work; the worker is woken once its batch committed. */
  private wakeWorker = false;
  private onEnqueue: () => void = () => {};
  /** One write transaction outside the group commit (it tells the other instances too). */
  readonly transaction: <T>(work: (trx: Trx) => Promise<T>, queued?: boolean) => Promise<T>;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: StoreDialect,
    options: StoreCoreOptions = {},
  ) {
    this.routes = new RouteSet(dialect.singleWriter);
    this.ingestQ = ingestQueries(db);
    this.jobsQ = jobQueries(db, dialect);
    const beforeCommit = options.beforeCommit;
    this.transaction = <T>(work: (trx: Trx) => Promise<T>, queued = false) =>
      db.transaction().execute(async (trx) => {
        const out = await work(trx);
        if (beforeCommit) await beforeCommit(trx, { queued: queued || this.wakeWorker });
        return out;
      });
    // Concurrent webhook requests, job claims and job outcomes share one transaction (one fsync).
    this.writes = new GroupCommit<Trx>((work) => this.transaction(work), {
      durable: options.durable,
      afterCommit: () => {
        this.localChanges.notify();
        if (!this.wakeWorker) return;
        this.wakeWorker = false;
        this.onEnqueue();
      },
    });
  }

  /** The write being run queued a job that can run now: wake the worker after the commit. */
  queued(): void {
    this.wakeWorker = true;
  }

  /** Wakes the worker now (after a commit outside the group commit). */
  wake(): void {
    this.onEnqueue();
  }

  setOnEnqueue(fn: () => void): void {
    this.onEnqueue = fn;
  }
}
