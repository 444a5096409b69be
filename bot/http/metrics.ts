/** Prometheus metrics of the process, served on GET /metrics. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { TeamsBudget } from '../budget/teams-budget.ts';

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

export function createMetrics(queue: QueueStats, instance: InstanceIdentity, budget?: TeamsBudget): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (budget) budgetGauges(registry, budget);
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

/**
 * The Teams budget of every thread with calls in the last hour or waiting (a channel is one
 * thread): operations of the hour and their limit, by kind, and the calls waiting for a token.
 */
function budgetGauges(registry: Registry, budget: TeamsBudget): void {
  const share = new Gauge({
    name: 'textbridge_teams_budget_hour_share',
    help: "Share of the hour's Teams budget used, by thread and kind (0 to 1)",
    labelNames: ['thread', 'kind'],
    registers: [],
  });
  const waiting = new Gauge({
    name: 'textbridge_teams_waiting',
    help: 'Calls to Teams waiting for a token of the budget, by thread',
    labelNames: ['thread'],
    registers: [],
  });
  // Registered first, it reads the budget once per scrape for all three.
  new Gauge({
    name: 'textbridge_teams_budget_used',
    help: 'Teams operations of the last hour, by thread and kind (send: posts and updates; create: new threads)',
    labelNames: ['thread', 'kind'],
    registers: [registry],
    async collect() {
      this.reset();
      share.reset();
      waiting.reset();
      for (const u of await budget.usageAll()) {
        waiting.set({ thread: u.thread }, u.waiting);
        for (const kind of ['send', 'create'] as const) {
          this.set({ thread: u.thread, kind }, u[kind].hour);
          share.set({ thread: u.thread, kind }, u[kind].hourLimit > 0 ? u[kind].hour / u[kind].hourLimit : 0);
        }
      }
    },
  });
  registry.registerMetric(share);
  registry.registerMetric(waiting);
}
