/**
 * The durable job runner. Jobs are rows; the runner leases due ones, runs their handler, and
 * completes, retries (exponential backoff with jitter, Retry-After honoured), parks, or fails
 * them. A handler's `giveUp` runs after the last attempt so the failure becomes visible.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Job, JobKind, Store } from '../store/types.ts';
import { backoffMs } from './backoff.ts';
import { classify } from './classify.ts';
import { runAsJob } from './job-context.ts';

export interface JobHandler {
  run(job: Job): Promise<void>;
  /** Called once when the job will not be tried again, with the reason in plain words. */
  giveUp?(job: Job, reason: string): Promise<void>;
}

export interface WorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  idlePollMs?: number;
  /**
   * The name its leases carry. On a shared store it is the instance id, so a restarted instance
   * takes its own jobs back at once (app.ts); the default is unique to the process.
   */
  owner?: string;
  /** The kinds of jobs this worker claims (all when absent). */
  kinds?: readonly JobKind[];
}

export class Worker {
  readonly owner: string;
  private running = false;
  private readonly inflight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  /** Set by wake() while the loop is busy, so a wake-up between claim and sleep is not lost. */
  private woken = false;
  private loopDone: Promise<void> | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly kinds: readonly JobKind[] | undefined;

  constructor(
    private readonly store: Store,
    private readonly handlers: Record<JobKind, JobHandler>,
    private readonly log: Logger,
    options: WorkerOptions = {},
  ) {
    this.owner = options.owner ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.concurrency = options.concurrency ?? 16;
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.idlePollMs = options.idlePollMs ?? 1_000;
    this.kinds = options.kinds;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    // A job may run longer than its lease (a Teams thread at its hourly limit waits): while this
    // process lives its leases keep moving, so no claim takes a running job and runs it twice.
    this.renewal = setInterval(() => this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewal.unref();
  }

  private renewLeases(): void {
    if (this.inflight.size === 0) return;
    this.store.renewLeases(this.owner, Date.now() + this.leaseMs).catch((err: unknown) => {
      this.log.warn({ err }, 'could not renew job leases; the next renewal tries again');
    });
  }

  /** New work was committed: look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming; waits for running jobs up to `timeoutMs` and returns how many are still
   * running (they are taken back at the next start, with their attempt given back).
   */
  async stop(timeoutMs = 6_000): Promise<number> {
    this.running = false;
    this.wake();
    await this.loopDone;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inflight]),
      new Promise((r) => {
        timer = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(this.renewal);
    return this.inflight.size;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      const free = this.concurrency - this.inflight.size;
      if (free > 0) {
        try {
          // Claims share the store's group commit with ingest and job outcomes, so one claim
          // for every free slot costs no commit of its own.
          const jobs = await this.store.claimJobs(this.owner, free, this.leaseMs, this.kinds);
          claimed = jobs.length;
          for (const job of jobs) this.track(this.execute(job));
        } catch (err) {
          this.log.error({ err }, 'could not claim jobs; retrying');
        }
      }
      // Fewer than asked for: nothing else is due now. New work and finished jobs wake us.
      if (claimed < free || free <= 0) await this.sleep();
    }
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.wake();
    });
  }

  private async sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    let ms = this.idlePollMs;
    if (this.inflight.size < this.concurrency) {
      const due = await this.store.nextDueAt(this.kinds).catch(() => undefined);
      if (due !== undefined) ms = Math.max(0, Math.min(ms, due - Date.now()));
    }
    if (ms === 0 && this.inflight.size < this.concurrency) {
      // A due job exists but its lane is busy; the finishing job wakes us.
      ms = this.idlePollMs;
    }
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
    this.wakeUp = undefined;
    this.woken = false;
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers[job.kind];
    if (job.attempts > job.maxAttempts) {
      // Every attempt was used and it is claimed again: its runs were cut off by the process
      // stopping, each time by this job itself or by something nobody could name (crash-record.ts).
      // Running it once more may stop the process again.
      const reason = `interrupted ${job.maxAttempts} times by a stop of the bot; not tried again`;
      this.log.error({ jobId: job.id, kind: job.kind, ref: job.ref, attempt: job.attempts }, reason);
      await this.settled(this.store.failJob(job.id, reason));
      await handler.giveUp?.(job, reason);
      return;
    }
    try {
      await runAsJob(job.id, () => handler.run(job));
      await this.settled(this.store.completeJob(job.id));
    } catch (err) {
      await this.settleFailure(job, handler, err).catch((e: unknown) =>
        this.log.error(
          { err: e, jobId: job.id },
          'could not record job failure; the lease will expire and retry',
        ),
      );
    }
  }

  /**
   * Waits for a job's outcome to be written. The loop is woken at once, so its next claim joins
   * the same group commit as the outcome and the job's lane moves on without a commit of its own.
   */
  private async settled(outcome: Promise<void>): Promise<void> {
    this.wake();
    await outcome;
  }

  private async settleFailure(job: Job, handler: JobHandler, err: unknown): Promise<void> {
    const verdict = classify(err);
    const ctx = {
      jobId: job.id,
      kind: job.kind,
      ref: job.ref,
      attempt: job.attempts,
      reason: verdict.reason,
    };
    if (verdict.action === 'park') {
      this.log.info(ctx, 'job parked');
      await this.settled(this.store.parkJob(job.id, verdict.reason));
      return;
    }
    if (verdict.action === 'retry' && job.attempts < job.maxAttempts) {
      const delay = backoffMs(job.attempts, verdict.retryAfterMs);
      this.log.warn({ ...ctx, retryInMs: delay }, 'job failed; will retry');
      await this.settled(this.store.retryJob(job.id, Date.now() + delay, verdict.reason));
      return;
    }
    this.log.error({ ...ctx, err }, 'job failed for good');
    await this.settled(this.store.failJob(job.id, verdict.reason));
    await handler.giveUp?.(job, verdict.reason);
  }
}
