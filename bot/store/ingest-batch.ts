/**
 * The rows of concurrent ingest calls as one write of the group commit: calls made while the
 * previous batch is being written join one entry, so a store whose statements cost a round trip
 * each (PostgreSQL) writes them with a few multi-row statements. Each call resolves with its own
 * outcomes once the batch committed, as it would alone.
 *
 * One bad row must not fail its neighbours: when the batch's write fails (nothing of it was
 * committed), each call is written again on its own, through `alone`, and only a call that fails
 * alone too fails.
 */
import type { GroupCommit } from './group-commit.ts';
import type { IngestRow } from './ingest-rows.ts';
import { now, type Trx } from './store-core.ts';
import type { IngestOutcome } from './types.ts';

/** Rows of one batch, at most: a larger burst starts the next one. */
const MAX_ROWS = 1_000;

interface Call {
  rows: IngestRow[];
  resolve: (out: IngestOutcome[]) => void;
  reject: (err: unknown) => void;
}

interface Batch {
  calls: Call[];
  rows: number;
}

export class IngestBatch {
  private open: Batch | undefined;

  constructor(
    private readonly writes: GroupCommit<Trx>,
    /** Writes the rows of a batch, in order, inside the transaction; one outcome per row. */
    private readonly write: (trx: Trx, rows: IngestRow[], at: string) => Promise<IngestOutcome[]>,
    /** Writes one call's rows in a write of their own. */
    private readonly alone: (rows: IngestRow[]) => Promise<IngestOutcome[]>,
  ) {}

  ingest(rows: IngestRow[]): Promise<IngestOutcome[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      let batch = this.open;
      if (!batch || batch.rows + rows.length > MAX_ROWS) batch = this.start();
      batch.calls.push({ rows, resolve, reject });
      batch.rows += rows.length;
    });
  }

  private start(): Batch {
    const batch: Batch = { calls: [], rows: 0 };
    this.open = batch;
    const written = this.writes.run((trx) => {
      // Written now (and again if the group commit retries it): later calls start the next batch.
      if (this.open === batch) this.open = undefined;
      return this.write(
        trx,
        batch.calls.flatMap((c) => c.rows),
        now(),
      );
    });
    written.then(
      (out) => {
        let at = 0;
        for (const call of batch.calls) {
          call.resolve(out.slice(at, at + call.rows.length));
          at += call.rows.length;
        }
      },
      (err: unknown) => {
        const [only] = batch.calls;
        if (batch.calls.length === 1 && only) only.reject(err);
        else for (const call of batch.calls) this.alone(call.rows).then(call.resolve, call.reject);
      },
    );
    return batch;
  }
}
