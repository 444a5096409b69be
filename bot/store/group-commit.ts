/**
 * Group commit: writes that arrive while a batch is being written wait for the next batch, and
 * each batch is written in one transaction. Under load this turns N fsyncs into one without
 * acknowledging anything before it is durable. Webhook ingest, job claims and job outcomes all
 * share it, so a busy worker does not add a commit of its own per job.
 */
export type Work<Tx, T> = (tx: Tx) => Promise<T>;

interface Entry<Tx> {
  work: Work<Tx, unknown>;
  resolve: (out: unknown) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<Tx> {
  private pending: Array<Entry<Tx>> = [];
  private flushing = false;

  constructor(
    /** Runs `work` in one transaction and commits it. */
    private readonly transact: <T>(work: Work<Tx, T>) => Promise<T>,
    private readonly maxBatch = 512,
    /** Called after each commit, e.g. to wake the worker for the jobs it enqueued. */
    private readonly afterCommit: () => void = () => {},
  ) {}

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
      try {
        const out = await this.transact(async (tx) => {
          const results: unknown[] = [];
          for (const entry of batch) results.push(await entry.work(tx));
          return results;
        });
        for (const [i, entry] of batch.entries()) entry.resolve(out[i]);
      } catch (err) {
        // One bad write must not fail its neighbours: write each one alone.
        if (batch.length === 1) batch[0]?.reject(err);
        else for (const entry of batch) await this.transact(entry.work).then(entry.resolve, entry.reject);
      }
      this.afterCommit();
    }
    this.flushing = false;
  }
}
