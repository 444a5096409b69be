/**
 * Group commit: writes that arrive while a batch is being written wait for the next batch, and
 * each batch is written in one transaction. Under load this turns N fsyncs into one without
 * acknowledging anything before it is durable. Webhook ingest, job claims and job outcomes all
 * share it, so a busy worker does not add a commit of its own per job.
 *
 * A store whose commit does not itself wait for the disk (SQLite's WAL, see wal-sync.ts) passes
 * `durable`: a batch's writes resolve once it resolved, and the next batch is written meanwhile.
 */
export type Work<Tx, T> = (tx: Tx) => Promise<T>;

interface Entry<Tx> {
  work: Work<Tx, unknown>;
  resolve: (out: unknown) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /** Called once a batch is durable, e.g. to wake the worker for the jobs it enqueued. */
  afterCommit?: () => void;
  /** Resolves once everything committed before the call is on disk (default: at once). */
  durable?: () => Promise<void>;
}

export class GroupCommit<Tx> {
  private pending: Array<Entry<Tx>> = [];
  private flushing = false;
  private readonly maxBatch: number;
  private readonly afterCommit: () => void;
  private readonly durable: (() => Promise<void>) | undefined;

  constructor(
    /** Runs `work` in one transaction and commits it. */
    private readonly transact: <T>(work: Work<Tx, T>) => Promise<T>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512;
    this.afterCommit = options.afterCommit ?? (() => {});
    this.durable = options.durable;
  }

  run<T>(work: Work<Tx, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (out: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests parsed in this turn of the event loop join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const settled: Array<{ entry: Entry<Tx>; ok: boolean; value: unknown }> = [];
      try {
        const out = await this.transact(async (tx) => {
          const results: unknown[] = [];
          for (const entry of batch) results.push(await entry.work(tx));
          return results;
        });
        for (const [i, entry] of batch.entries()) settled.push({ entry, ok: true, value: out[i] });
      } catch (err) {
        // One bad write must not fail its neighbours: write each one alone.
        if (batch.length === 1 && batch[0]) settled.push({ entry: batch[0], ok: false, value: err });
        else {
          for (const entry of batch) {
            await this.transact(entry.work).then(
              (value) => settled.push({ entry, ok: true, value }),
              (value: unknown) => settled.push({ entry, ok: false, value }),
            );
          }
        }
      }
      this.settle(settled);
    }
    this.flushing = false;
  }

  /** Answers a committed batch once it is durable; the next batch does not wait for that. */
  private settle(settled: Array<{ entry: Entry<Tx>; ok: boolean; value: unknown }>): void {
    const answer = () => {
      for (const s of settled) (s.ok ? s.entry.resolve : s.entry.reject)(s.value);
      this.afterCommit();
    };
    if (!this.durable) {
      answer();
      return;
    }
    this.durable().then(answer, (err: unknown) => {
      // Not known to be on disk: nothing of the batch is acknowledged (webhooks answer 503 and
      // their senders retry; the dedupe keys make the retries harmless).
      for (const s of settled) s.entry.reject(s.ok ? err : s.value);
    });
  }
}
