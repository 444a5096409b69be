/** Prometheus metrics of the process, served on GET /metrics. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  webhooks: Counter<'provider' | 'status'>;
  webhookSeconds: Histogram<'provider'>;
  jobs: Counter<'kind' | 'outcome'>;
}

/** What /metrics reads of the job queue (of the whole database, when several instances share it). */
export interface QueueStats {
  /** Jobs waiting to run (pending). */
  depth(): Promise<number>;
  /** How long the oldest job that is due has waited for a worker, in ms (0 when none waits). */
  oldestWaitMs(): Promise<number>;
  /** Jobs this instance took over from leases that ran out (their owner died), since it started. */
  takeovers(): number;
}

export interface InstanceIdentity {
  id: string;
  store: 'sqlite' | 'postgres';
}

export function createMetrics(queue: QueueStats, instance: InstanceIdentity): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'textbridge_jobs_pending',
    help: 'Jobs waiting in the durable queue',
    registers: [registry],
    async collect() {
      this.set(await queue.depth());
    },
  });
  new Gauge({
    name: 'textbridge_jobs_oldest_wait_seconds',
    help: 'How long the oldest due job has waited for a worker',
    registers: [registry],
    async collect() {
      this.set((await queue.oldestWaitMs()) / 1000);
    },
  });
  let counted = 0;
  new Counter({
    name: 'textbridge_job_lease_takeovers_total',
    help: 'Jobs this instance took back from leases that ran out (an instance died)',
    registers: [registry],
    collect() {
      const now = queue.takeovers();
      if (now > counted) this.inc(now - counted);
      counted = now;
    },
  });
  // Which instance answers (INSTANCE_ID, as in its log lines): a scrape of several instances
  // behind one address can be told apart by it.
  new Gauge({
    name: 'textbridge_instance_info',
    help: 'This instance: its id (INSTANCE_ID) and the store it uses',
    labelNames: ['instance_id', 'store'],
    registers: [registry],
  }).set({ instance_id: instance.id, store: instance.store }, 1);
  return {
    registry,
    webhooks: new Counter({
      name: 'textbridge_webhook_requests_total',
      help: 'Provider webhook requests by answer status',
      labelNames: ['provider', 'status'],
      registers: [registry],
    }),
    webhookSeconds: new Histogram({
      name: 'textbridge_webhook_duration_seconds',
      help: 'Time to verify, parse and durably store a provider webhook',
      labelNames: ['provider'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'textbridge_jobs_total',
      help: 'Jobs run, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
  };
}
