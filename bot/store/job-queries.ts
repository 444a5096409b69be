/** The job queue's statements. Claim and finish run for every job, so they are compiled once. */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { StopCause } from '../crash-record.ts';
import type { StoreDialect } from './dialect.ts';
import { Precompiled } from './precompiled.ts';
import type { Database, JobsTable } from './schema.ts';
import type { JobKind, JobState, NewJob } from './types.ts';

type Db = Kysely<Database> | Transaction<Database>;

const MAX_ATTEMPTS: Record<NewJob['kind'], number> = {
  'post-card': 10,
  send: 8,
  'update-card': 8,
  'apply-receipt': 6,
  'poll-status': 5,
};

export type JobQueries = ReturnType<typeof jobQueries>;

/**
 * How long a card update waits for more news of its message: the receipts of one message that
 * come within it (sent, delivered, read arrive within a second or two) become one update.
 */
export const STATUS_DEBOUNCE_MS = 1_500;

/**
 * A card update of a thread. Its lane is the thread's status lane, not its card lane: a debounced
 * update waiting must not hold up the thread's new messages (jobs of one lane run in order).
 */
export function updateCardJob(threadId: string, messageId: string, debounce = false): NewJob {
  return {
    kind: 'update-card',
    lane: `status:${threadId}`,
    ref: messageId,
    ...(debounce ? { runAfter: Date.now() + STATUS_DEBOUNCE_MS } : {}),
  };
}

export function jobQueries(db: Kysely<Database>, dialect: Pick<StoreDialect, 'skipLocked'>) {
  return {
    insert: new Precompiled<
      'kind' | 'lane' | 'ref' | 'payload' | 'state' | 'maxAttempts' | 'runAfter' | 'lastError' | 'at',
      unknown
    >((p) =>
      db
        .insertInto('jobs')
        .values({
          kind: p.kind,
          lane: p.lane,
          ref: p.ref,
          payload: p.payload,
          state: p.state,
          attempts: 0,
          max_attempts: p.maxAttempts,
          run_after: p.runAfter,
          lease_owner: null,
          lease_until: null,
          last_error: p.lastError,
          created_at: p.at,
          updated_at: p.at,
        })
        // An identical waiting job already covers it (see the jobs_waiting_once index).
        .onConflict((oc) => oc.doNothing()),
    ),

    /**
     * Leases up to `limit` due jobs in one statement: one per lane, and strictly in order: nothing
     * runs while an older job of its lane is running or still pending (e.g. waiting out a backoff).
     * Only a lane's oldest waiting job is ever a candidate, so two instances that claim at once can
     * at most both want that one job, and SKIP LOCKED gives it to one of them.
     */
    claim: claimOf(db, dialect),

    finish: new Precompiled<'id' | 'state' | 'error' | 'at', unknown>((p) =>
      db
        .updateTable('jobs')
        .set({ state: p.state, lease_owner: null, lease_until: null, last_error: p.error, updated_at: p.at })
        .where('id', '=', p.id),
    ),
  };
}

/** The values of `insert` for a new job. */
export function jobValues(
  job: NewJob,
  at: string,
  state: JobState = 'pending',
  lastError: string | null = null,
) {
  return {
    kind: job.kind,
    lane: job.lane,
    ref: job.ref,
    payload: job.payload ? JSON.stringify(job.payload) : '{}',
    state,
    maxAttempts: job.maxAttempts ?? MAX_ATTEMPTS[job.kind],
    runAfter: job.runAfter ?? Date.now(),
    lastError,
    at,
  };
}

type ClaimQuery = Precompiled<'owner' | 'until' | 'now' | 'at' | 'limit', Selectable<JobsTable>>;

/**
 * The claim of up to `limit` due jobs, of the given kinds only when `kinds` names some (the
 * worker's pools: Teams jobs waiting for the budget must not hold up provider sends). One compiled
 * query per set of kinds, the kinds as literals.
 */
function claimOf(
  db: Kysely<Database>,
  dialect: Pick<StoreDialect, 'skipLocked'>,
): (kinds?: readonly JobKind[]) => ClaimQuery {
  const compiled = new Map<string, ClaimQuery>();
  return (kinds = []) => {
    const key = [...kinds].sort().join(',');
    let query = compiled.get(key);
    if (!query) {
      query = new Precompiled((p) => {
        const due = db
          .selectFrom('jobs as j')
          .select('j.id')
          .where('j.state', '=', 'pending')
          .where('j.run_after', '<=', p.now)
          .$if(kinds.length > 0, (q) =>
            q.where(
              'j.kind',
              'in',
              kinds.map((k) => sql.lit(k)),
            ),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('jobs as k')
                  .select('k.id')
                  .whereRef('k.lane', '=', 'j.lane')
                  .where((k) =>
                    k.or([
                      k('k.state', '=', 'running'),
                      k.and([k('k.state', '=', 'pending'), k('k.id', '<', k.ref('j.id'))]),
                    ]),
                  ),
              ),
            ),
          )
          .orderBy('j.id')
          .limit(p.limit);
        const lease = {
          state: 'running',
          lease_owner: p.owner,
          lease_until: p.until,
          attempts: sql<number>`attempts + 1`,
          updated_at: p.at,
        };
        if (!dialect.skipLocked) {
          return db.updateTable('jobs').set(lease).where('id', 'in', due).returningAll();
        }
        // Several instances claim at once: each takes rows nobody else holds, without waiting. The
        // rows are picked once in a CTE (PostgreSQL may run an IN subquery again per row, and its
        // LIMIT would then not hold), and checked again on the row itself after the lock.
        return db
          .with('picked', () => due.forUpdate().skipLocked())
          .updateTable('jobs')
          .set(lease)
          .from('picked')
          .whereRef('jobs.id', '=', 'picked.id')
          .where('jobs.state', '=', 'pending')
          .returningAll('jobs');
      });
      compiled.set(key, query);
    }
    return query;
  };
}

export function insertJob(
  db: Db,
  q: JobQueries,
  job: NewJob,
  at: string,
  state: JobState = 'pending',
  lastError: string | null = null,
) {
  return db.executeQuery(q.insert.bind(jobValues(job, at, state, lastError)));
}

/** Jobs of this kind and ref that wait (pending or parked): at most one (jobs_waiting_once). */
export const WAITING = ['pending', 'parked'] as const;

/**
 * Puts leased jobs (all, those whose lease ended before `expiredBefore`, or those of `owner`) back in the queue and
 * returns how many were interrupted. Their claim counted an attempt; `cause` says whether that
 * stands: it does for the job that stopped the process and when nobody knows what did (see
 * crash-record.ts), and is given back to jobs that were only in flight. A job whose work a newer
 * waiting job of the same kind and ref already covers (a card update queued while it ran) is done
 * instead: a second waiting copy would break jobs_waiting_once, and with it every claim and the
 * next start.
 */
export async function releaseRunning(
  db: Db,
  expiredBefore?: number,
  cause: StopCause = { kind: 'unknown' },
  owner?: string,
  /**
   * A claiming worker's own leases stay: it is alive and still running those jobs. Its renewal
   * may come late when the machine is busy, and taking them back would run them a second time.
   */
  liveOwner?: string,
): Promise<number> {
  const at = new Date().toISOString();
  let superseded = db
    .updateTable('jobs')
    .set({ state: 'done', lease_owner: null, lease_until: null, updated_at: at })
    .where('state', '=', 'running')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('jobs as p')
          .select('p.id')
          .whereRef('p.kind', '=', 'jobs.kind')
          .whereRef('p.ref', '=', 'jobs.ref')
          .where('p.state', 'in', WAITING),
      ),
    );
  let requeued = db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'pending',
      lease_owner: null,
      lease_until: null,
      attempts:
        cause.kind === 'unknown'
          ? eb.ref('attempts')
          : eb
              .case()
              .when('id', '=', cause.kind === 'job' ? cause.jobId : -1)
              .then(eb.ref('attempts'))
              .when('attempts', '>', 0)
              .then(eb('attempts', '-', 1))
              .else(0)
              .end(),
    }))
    .where('state', '=', 'running');
  if (expiredBefore !== undefined) {
    superseded = superseded.where('lease_until', '<', expiredBefore);
    requeued = requeued.where('lease_until', '<', expiredBefore);
  }
  if (owner !== undefined) {
    // One instance of several: only its own leases (the others' jobs are running).
    superseded = superseded.where('lease_owner', '=', owner);
    requeued = requeued.where('lease_owner', '=', owner);
  }
  if (liveOwner !== undefined) {
    superseded = superseded.where('lease_owner', '!=', liveOwner);
    requeued = requeued.where('lease_owner', '!=', liveOwner);
  }
  const done = await superseded.executeTakeFirst();
  const pending = await requeued.executeTakeFirst();
  return Number(done.numUpdatedRows) + Number(pending.numUpdatedRows);
}
