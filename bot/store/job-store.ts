/**
 * Jobs and leases: the durable queue the worker runs. A claim leases due jobs (one per lane, in
 * order); a lease that ran out belongs to a process that died, and its job goes back to the queue.
 */
import { sql, type UpdateObject } from 'kysely';
import type { StopCause } from '../crash-record.ts';
import { insertJob, releaseRunning, WAITING } from './job-queries.ts';
import { toJob } from './rows.ts';
import type { Database } from './schema.ts';
import { type Db, now, type StoreCore } from './store-core.ts';
import type { Job, JobKind, JobState, NewJob } from './types.ts';

/**
 * How often a claim also takes back the jobs of workers whose lease ran out (a dead process of a
 * shared store); leases this process handed out are checked when they end.
 */
const LEASE_CHECK_MS = 5_000;

export class JobStore {
  private leaseCheckAt = 0;
  /** Jobs taken back from a lease that ran out (its owner died or lost the database). */
  takeovers = 0;

  constructor(private readonly core: StoreCore) {}

  async enqueue(job: NewJob): Promise<void> {
    await this.core.writes.run(async (trx) => {
      await insertJob(trx, this.core.jobsQ, job, now());
      this.core.queued();
    });
  }

  async claimJobs(owner: string, limit: number, leaseMs: number, kinds?: readonly JobKind[]): Promise<Job[]> {
    if (limit <= 0) return [];
    return this.core.writes.run(async (trx) => {
      const at = Date.now();
      if (at >= this.leaseCheckAt) {
        // Leases of a process that died come back to the queue; the claimer's own never do.
        this.leaseCheckAt = at + LEASE_CHECK_MS;
        this.takeovers += await releaseRunning(trx, at, undefined, undefined, owner);
      }
      const { rows } = await trx.executeQuery(
        this.core.jobsQ.claim(kinds).bind({
          owner,
          until: at + leaseMs,
          now: at,
          at: new Date(at).toISOString(),
          limit,
        }),
      );
      if (rows.length === 0) return [];
      this.leaseCheckAt = Math.min(this.leaseCheckAt, at + leaseMs + 1);
      return rows.map(toJob).sort((a, b) => a.id - b.id);
    });
  }

  async completeJob(id: number): Promise<void> {
    await this.finishJob(id, 'done', null);
  }

  async failJob(id: number, error: string): Promise<void> {
    await this.finishJob(id, 'failed', error);
  }

  async parkJob(id: number, reason: string): Promise<void> {
    await this.letGo(id, 'parked', reason, {
      // Waiting for a route is not a failed attempt: the claim that found no route gives its
      // attempt back, or every unrelated `link` (which releases parked jobs) would use one up.
      attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end`,
    });
  }

  private async finishJob(id: number, state: JobState, error: string | null): Promise<void> {
    await this.core.writes.run((trx) =>
      trx.executeQuery(this.core.jobsQ.finish.bind({ id, state, error, at: now() })),
    );
  }

  async retryJob(id: number, runAfter: number, error: string): Promise<void> {
    await this.letGo(id, 'pending', error, { run_after: runAfter });
  }

  /**
   * A running job gives up its lease and waits (`state`), or is done when a newer waiting job for
   * the same thing covers it (coalesced card updates; a job queued while this one ran).
   */
  private async letGo(
    id: number,
    state: 'parked' | 'pending',
    reason: string,
    more: UpdateObject<Database, 'jobs'>,
  ): Promise<void> {
    await this.core.writes.run(async (trx) => {
      const covered = await waitingCopy(trx, id);
      await trx
        .updateTable('jobs')
        .set({
          ...more,
          state: covered ? 'done' : state,
          lease_owner: null,
          lease_until: null,
          last_error: reason,
          updated_at: now(),
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async renewLeases(owner: string, until: number): Promise<number> {
    const result = await this.core.writes.run((trx) =>
      trx
        .updateTable('jobs')
        .set({ lease_until: until })
        .where('state', '=', 'running')
        .where('lease_owner', '=', owner)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async releaseLeases(cause?: StopCause, owner?: string): Promise<number> {
    return this.core.writes.run((trx) => releaseRunning(trx, undefined, cause, owner));
  }

  async nextDueAt(kinds?: readonly JobKind[]): Promise<number | undefined> {
    const row = await this.core.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('run_after').as('due'))
      .where('state', '=', 'pending')
      .$if((kinds?.length ?? 0) > 0, (q) => q.where('kind', 'in', kinds ?? []))
      .executeTakeFirst();
    return row?.due == null ? undefined : Number(row.due);
  }

  /** How long the oldest due pending job has waited past its run_after, in ms (0 when none). */
  async oldestDueWaitMs(): Promise<number> {
    const at = Date.now();
    const row = await this.core.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('run_after').as('due'))
      .where('state', '=', 'pending')
      .where('run_after', '<=', at)
      .executeTakeFirst();
    return row?.due == null ? 0 : Math.max(0, at - Number(row.due));
  }

  async countJobs(state?: JobState): Promise<number> {
    let q = this.core.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n'));
    if (state) q = q.where('state', '=', state);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** Whether another job of the same kind and ref waits (pending or parked) besides job `id`. */
async function waitingCopy(trx: Db, id: number): Promise<boolean> {
  const copy = await trx
    .selectFrom('jobs as j')
    .innerJoin('jobs as w', (join) => join.onRef('w.kind', '=', 'j.kind').onRef('w.ref', '=', 'j.ref'))
    .select('w.id')
    .where('j.id', '=', id)
    .where('w.id', '!=', id)
    .where('w.state', 'in', WAITING)
    .executeTakeFirst();
  return copy !== undefined;
}
