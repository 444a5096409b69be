/** Prometheus metrics of the process, served on GET /metrics. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  webhooks: Counter<'provider' | 'status'>;
  webhookSeconds: Histogram<'provider'>;
  jobs: Counter<'kind' | 'outcome'>;
}

export function createMetrics(queueDepth: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'textbridge_jobs_pending',
    help: 'Jobs waiting in the durable queue',
    registers: [registry],
    async collect() {
      this.set(await queueDepth());
    },
  });
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
