/**
 * The worker as two pools over one queue: Teams jobs (card posts and updates), which may wait
 * long for the Teams budget, and the rest (provider sends, receipts, polls). A job waiting for a
 * token holds its pool's slot; with one pool, a burst of card jobs would hold up the sends.
 */
import type { Logger } from 'pino';
import type { JobKind, Store } from '../store/types.ts';
import { type JobHandler, Worker, type WorkerOptions } from './runner.ts';

export const TEAMS_KINDS: readonly JobKind[] = ['post-card', 'update-card'];
export const PROVIDER_KINDS: readonly JobKind[] = ['send', 'apply-receipt', 'poll-status'];

export class WorkerPools {
  private readonly pools: Worker[];

  constructor(store: Store, handlers: Record<JobKind, JobHandler>, log: Logger, options: WorkerOptions = {}) {
    this.pools = [
      // Every waiting thread waits in the budget's queue, where the most important goes first.
      new Worker(store, handlers, log, { concurrency: 128, ...options, kinds: TEAMS_KINDS }),
      // A call to a provider carries up to 100 sends (Sinch): that many can wait for it together.
      new Worker(store, handlers, log, { concurrency: 128, ...options, kinds: PROVIDER_KINDS }),
    ];
  }

  start(): void {
    for (const pool of this.pools) pool.start();
  }

  /** New work was committed: every pool looks now. */
  wake(): void {
    for (const pool of this.pools) pool.wake();
  }

  /** Stops both; resolves with how many jobs are still running. */
  async stop(timeoutMs: number): Promise<number> {
    const left = await Promise.all(this.pools.map((pool) => pool.stop(timeoutMs)));
    return left.reduce((a, b) => a + b, 0);
  }
}
