/**
 * Runs RETENTION_DAYS once a day (and shortly after start): erases what messages said once they
 * are older than that (store/retention.ts). Each instance of a shared store runs it; erasing is
 * idempotent, so two runs at once only find less to do.
 */
import type { Logger } from 'pino';
import type { Erased } from './store/retention.ts';

const DAY_MS = 24 * 3600_000;
/** After start: late enough not to compete with a restart's backlog. */
const FIRST_RUN_MS = 60_000;

export interface RetentionSchedule {
  stop(): Promise<void>;
}

export function scheduleRetention(
  days: number | undefined,
  erase: (cutoff: Date) => Promise<Erased>,
  log: Logger,
  firstRunMs = FIRST_RUN_MS,
): RetentionSchedule {
  if (days === undefined) return { stop: async () => {} };
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    const cutoff = new Date(Date.now() - days * DAY_MS);
    running = erase(cutoff)
      .then(
        (erased) =>
          log.info(
            { retentionDays: days, cutoff: cutoff.toISOString(), erased },
            'retention: erased old message contents',
          ),
        (err: unknown) =>
          log.error({ err }, 'retention: could not erase old message contents; trying again tomorrow'),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, firstRunMs);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(daily);
      await running;
    },
  };
}
