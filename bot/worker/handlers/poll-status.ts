/**
 * poll-status: for providers whose receipts may be missing or late (Retarus pushes one report per
 * job, and only if the portal is set up), ask for the status until the message is final. Each
 * answer goes through the same ingest as a pushed receipt, so a push and a poll never conflict.
 */
import type { Logger } from 'pino';
import type { Provider, ProviderId } from '../../../adapters/types.ts';
import type { CallLimiter } from '../../budget/rate-limiter.ts';
import { TERMINAL } from '../../store/delivery-state.ts';
import type { Job, Store } from '../../store/types.ts';
import type { JobHandler } from '../runner.ts';

/** Delays between polls: soon at first, then every 15 min, for as long as Retarus retries (48 h). */
export const POLL_DELAYS_MS = [60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000];
const POLL_FOR_MS = 48 * 3_600_000;

export interface PollDeps {
  store: Store;
  providers: Partial<Record<ProviderId, Provider>>;
  limiters: Partial<Record<ProviderId, CallLimiter>>;
  log: Logger;
}

export function pollStatusHandler({ store, providers, limiters, log }: PollDeps): JobHandler {
  return {
    async run(job: Job) {
      const message = await store.getMessage(job.ref);
      if (!message?.providerMessageId || TERMINAL.has(message.status) || message.status === 'read') return;
      const reconcile = providers[message.provider]?.capabilities.reconcile;
      if (!reconcile) return;
      await limiters[message.provider]?.acquire(message.provider);
      const receipts = await reconcile.pollStatus([message.providerMessageId]);
      // Only receipts about this message: a job report may list other recipients too.
      const ours = receipts.filter((r) => !r.correlationId || r.correlationId === message.id);
      if (ours.length > 0) await store.ingest(ours);
      const after = await store.getMessage(message.id);
      const final =
        after && (TERMINAL.has(after.status) || after.status === 'delivered' || after.status === 'read');
      const round = Number(job.payload['round'] ?? 0) + 1;
      const age = Date.now() - Date.parse(message.createdAt);
      if (final) return;
      if (age > POLL_FOR_MS) {
        log.warn(
          { messageId: message.id, status: after?.status },
          'no final status after 48 h; polling stops',
        );
        return;
      }
      const delay = POLL_DELAYS_MS[Math.min(round, POLL_DELAYS_MS.length - 1)] ?? POLL_DELAYS_MS[0];
      await store.enqueue({
        kind: 'poll-status',
        lane: job.lane,
        ref: message.id,
        payload: { round },
        runAfter: Date.now() + (delay ?? 60_000),
      });
    },
  };
}
