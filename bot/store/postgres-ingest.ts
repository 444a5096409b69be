/**
 * PostgreSQL's ingest: the rows of every webhook in a group-commit batch written with a handful of
 * multi-row statements (postgres-ingest-queries.ts) instead of several round trips per row. It
 * writes what the row-by-row ingest (ingest-store.ts) writes, with the same outcome per row:
 *
 * - the first row of a dedupe key claims it; a later copy, in this batch or after, is a duplicate;
 * - a customer's rows share one thread, created once (by the first of them, with its channel);
 *   a thread another instance created meanwhile is read back;
 * - a thread answers on the channel of its latest row, and an opt-out opts it out for good;
 * - each thread gets one card job, parked while no channel is linked to its number.
 *
 * Receipts and messages with media keep the row-by-row path, in their place among the rows.
 */
import { timeOrderedId } from './ids.ts';
import { type InboundRow, type IngestRow, NO_MEDIA } from './ingest-rows.ts';
import type { IngestStore } from './ingest-store.ts';
import { changesThread, inboundValues, noRouteReason, postCardJob, threadValues } from './ingest-values.ts';
import { jobValues } from './job-queries.ts';
import {
  claimKeys,
  columns,
  findOrCreateThreads,
  findThreads,
  INBOUND_VALUES,
  insertInbounds,
  insertJobs,
  JOB_VALUES,
  type KeyedThreadRow,
  THREAD_VALUES,
  updateThreads,
} from './postgres-ingest-queries.ts';
import type { StoreCore, Trx } from './store-core.ts';
import type { IngestOutcome } from './types.ts';

const DUPLICATE: IngestOutcome = Object.freeze({ duplicate: true });

const keyOf = (provider: string, business: string, customer: string) =>
  `${provider}\n${business}\n${customer}`;

/** A thread as this batch leaves it. */
interface BatchThread {
  row: KeyedThreadRow;
  /** A row of the batch changed its channel or opted it out: written once at the end. */
  changed: boolean;
}

export class PostgresIngest {
  constructor(
    private readonly core: StoreCore,
    private readonly rowByRow: IngestStore,
  ) {}

  /** Writes `rows` in order inside `trx`; one outcome per row. */
  async write(trx: Trx, rows: readonly IngestRow[], at: string): Promise<IngestOutcome[]> {
    const out: IngestOutcome[] = [];
    let run: InboundRow[] = [];
    for (const row of rows) {
      if (row[0] === 'in' && row[8] === NO_MEDIA) {
        run.push(row);
        continue;
      }
      if (run.length > 0) out.push(...(await this.inbound(trx, run, at)));
      run = [];
      out.push(await this.rowByRow.ingestOne(trx, row, at));
    }
    if (run.length > 0) out.push(...(await this.inbound(trx, run, at)));
    return out;
  }

  /** Inbound rows without media, all at once. */
  private async inbound(trx: Trx, rows: readonly InboundRow[], at: string): Promise<IngestOutcome[]> {
    const claimed = await this.claim(trx, rows, at);
    const fresh = rows.filter((_, i) => claimed[i]);
    if (fresh.length === 0) return rows.map(() => DUPLICATE);
    const threads = await this.threadsOf(trx, fresh, at);

    const messages: Array<ReturnType<typeof inboundValues>> = [];
    for (const row of fresh) {
      const thread = threads.get(keyOf(row[2], row[5], row[4]));
      if (!thread) throw new Error(`no thread for ${row[2]} ${row[5]} ${row[4]}`);
      // A message of a thread that another row of the batch changed sees it changed, as row by row.
      if (changesThread(row, thread.row)) {
        thread.row = { ...thread.row, channel: row[6], opted_out: row[10] === 1 ? 1 : thread.row.opted_out };
        thread.changed = true;
      }
      messages.push(inboundValues(row, timeOrderedId(), thread.row.id, at, NO_MEDIA));
    }
    await this.updateChanged(trx, threads, at);
    await trx.executeQuery(insertInbounds(columns(messages, INBOUND_VALUES), at));
    await this.queueCards(trx, fresh, threads, at);

    let next = 0;
    return rows.map((_, i) =>
      claimed[i] ? { duplicate: false, messageId: messages[next++]?.id as string } : DUPLICATE,
    );
  }

  /** Whether each row claimed its dedupe key: the first row of a key does, when nobody did before. */
  private async claim(trx: Trx, rows: readonly InboundRow[], at: string): Promise<boolean[]> {
    const result = await trx.executeQuery(
      claimKeys(
        rows.map((r) => r[1]),
        at,
      ),
    );
    const open = new Set(result.rows.map((r) => r.key));
    return rows.map((r) => open.delete(r[1]));
  }

  /** The thread of every customer of `rows`, created by the customer's first row when it has none. */
  private async threadsOf(
    trx: Trx,
    rows: readonly InboundRow[],
    at: string,
  ): Promise<Map<string, BatchThread>> {
    const byKey = new Map<string, ReturnType<typeof threadValues>>();
    for (const row of rows) {
      const key = keyOf(row[2], row[5], row[4]);
      if (!byKey.has(key)) byKey.set(key, threadValues(row, at));
    }
    const wanted = [...byKey.values()];
    const threads = new Map<string, BatchThread>();
    const add = (found: readonly KeyedThreadRow[]) => {
      for (const t of found) {
        const key = keyOf(t.provider, t.business_number, t.customer_number);
        // The row of a thread just created holds the values of its first message.
        if (!threads.has(key)) threads.set(key, { row: t, changed: false });
      }
    };
    add((await trx.executeQuery(findOrCreateThreads(columns(wanted, THREAD_VALUES), at))).rows);
    if (threads.size < wanted.length) {
      // Another instance of the bot created some of them a moment ago (a store that several share).
      const missing = wanted.filter(
        (t) => !threads.has(keyOf(t.provider, t.businessNumber, t.customerNumber)),
      );
      add((await trx.executeQuery(findThreads(columns(missing, THREAD_VALUES)))).rows);
    }
    return threads;
  }

  private async updateChanged(trx: Trx, threads: Map<string, BatchThread>, at: string): Promise<void> {
    const changed = [...threads.values()].filter((t) => t.changed).map((t) => t.row);
    if (changed.length === 0) return;
    await trx.executeQuery(
      updateThreads(
        {
          id: changed.map((t) => t.id),
          channel: changed.map((t) => t.channel),
          optedOut: changed.map((t) => t.opted_out),
        },
        at,
      ),
    );
  }

  /** One card job per thread of the batch; a new thread's is parked while no channel is linked. */
  private async queueCards(
    trx: Trx,
    rows: readonly InboundRow[],
    threads: Map<string, BatchThread>,
    at: string,
  ): Promise<void> {
    const unposted = [...threads.values()].some((t) => t.row.conversation_id === null);
    const routes = unposted ? await this.core.routes.load(trx) : undefined;
    const jobs: Array<ReturnType<typeof jobValues>> = [];
    const queued = new Set<string>();
    for (const row of rows) {
      const thread = threads.get(keyOf(row[2], row[5], row[4]))?.row;
      if (!thread || queued.has(thread.id)) continue;
      queued.add(thread.id);
      const parked = thread.conversation_id === null && !routes?.has(row[2], row[5]);
      jobs.push(
        parked
          ? jobValues(postCardJob(thread.id), at, 'parked', noRouteReason(row))
          : jobValues(postCardJob(thread.id), at),
      );
    }
    const written = await trx.executeQuery(insertJobs(columns(jobs, JOB_VALUES), at));
    // Woken only for a new job: a waiting one of the thread posts these messages too.
    if (written.rows.some((r) => r.state === 'pending')) this.core.queued();
  }
}
