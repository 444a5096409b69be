/**
 * Wires the service together: store, providers, Teams, worker, HTTP. main.ts runs it; tests
 * start it in-process on port 0.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from 'pino';
import { setCardClock } from '../cards/time.ts';
import type { TeamsBudget } from './budget/teams-budget.ts';
import { createBudgets } from './budgets.ts';
import type { Config } from './config.ts';
import { recordStop } from './crash-record.ts';
import { mediaLinks, setMediaLinks } from './http/media-links.ts';
import { createMetrics } from './http/metrics.ts';
import { createHttpServer } from './http/server.ts';
import { createInbox, type InboxDeps } from './inbox/index.ts';
import { buildProviders } from './providers.ts';
import { scheduleRetention } from './retention-schedule.ts';
import type { KyselyStore } from './store/kysely-store.ts';
import {
  handOverLeases,
  mediaSigningKey,
  openStore,
  takeBackLeases,
  workerDefaults,
} from './store/open-store.ts';
import { TeamsAccess } from './teams/access.ts';
import { createBotFramework } from './teams/adapter.ts';
import { TextbridgeBot } from './teams/bot.ts';
import { BudgetNotice } from './teams/budget-notice.ts';
import { TeamsOutbound } from './teams/outbound.ts';
import { createTenantPolicy, type TenantPolicy } from './tenant-policy.ts';
import { applyReceiptHandler } from './worker/handlers/apply-receipt.ts';
import { pollStatusHandler } from './worker/handlers/poll-status.ts';
import { postCardHandler } from './worker/handlers/post-card.ts';
import { sendHandler } from './worker/handlers/send.ts';
import { updateCardHandler } from './worker/handlers/update-card.ts';
import { WorkerPools } from './worker/pools.ts';
import type { WorkerOptions } from './worker/runner.ts';

export interface AppOptions {
  log: Logger;
  /** Outbound Bot Framework credentials (tests use a fake signer instead of Entra). */
  credentials?: ServiceClientCredentialsFactory;
  worker?: WorkerOptions;
  /** The bot's tenant rules, as the Inbox asks them. */
  tenantAllowed?: (tenantId: string) => Promise<boolean>;
  /** Tests: the Inbox's member lookup and SSO signing keys. */
  inbox?: Pick<InboxDeps, 'memberLookup' | 'ssoKeys'>;
}

export interface App {
  store: KyselyStore;
  /** The Teams budget every call to Teams spends. */
  budget: TeamsBudget;
  /** The tenants served, for the Inbox and the start-up log. */
  tenants: TenantPolicy;
  worker: WorkerPools;
  url(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const { log } = options;
  setCardClock({ now: () => Date.now(), timeZone: config.timeZone });
  const store = await openStore(config, log);
  await takeBackLeases(store, config, log);

  const { providers, webhooks, ratePerMinute } = buildProviders(config, (events) => store.ingest(events));
  // One budget for every call to Teams (teams.md §2): the worker's posts and updates, the replies
  // of a turn, member lookups, and every retry of each; one limiter per provider connection. On a
  // shared database all instances spend the same ones.
  const { teams: budget, limiters } = createBudgets(store, config, ratePerMinute, log);
  const { adapter, auth } = createBotFramework(config, log, budget, options.credentials);
  const teams = new TeamsOutbound(adapter, config.bot.appId, budget);
  const worker = new WorkerPools(
    store,
    {
      'post-card': postCardHandler(store, teams, log),
      'update-card': updateCardHandler(store, teams),
      send: sendHandler({ store, providers, limiters, log }),
      'apply-receipt': applyReceiptHandler(store, log),
      'poll-status': pollStatusHandler({ store, providers, limiters, log }),
    },
    log,
    { ...workerDefaults(store, config), ...options.worker },
  );
  store.setOnEnqueue(() => worker.wake());

  const instance = { id: config.instanceId, store: store.dialect.name };
  const metrics = createMetrics(
    {
      depth: () => store.countJobs('pending'),
      oldestWaitMs: () => store.oldestDueWaitMs(),
      takeovers: () => store.leaseTakeovers,
    },
    instance,
    budget,
  );
  const notice = new BudgetNotice(budget, store, teams, log);
  const tenants = createTenantPolicy(config.tenants, store, log);
  const access = new TeamsAccess(tenants, log);
  const bot = new TextbridgeBot({ store, config, providers, access, budget, log });
  const inbox = createInbox({
    store,
    config,
    adapter,
    providers,
    log,
    tenantAllowed: options.tenantAllowed ?? (async (tenantId) => (await tenants.check(tenantId)).allowed),
    ...(options.inbox ?? {}),
  });
  // Signed links to inbound media for the cards; the key survives restarts (DATA_DIR, or the
  // database that several instances share, so a link works whichever instance serves it).
  const links = mediaLinks(config.publicUrl, await mediaSigningKey(store, config));
  setMediaLinks(links);
  const server = createHttpServer({
    adapter,
    auth,
    botAuth: config.bot,
    bot,
    store,
    instance,
    log,
    metrics,
    targets: webhooks,
    sandbox: providers.sandbox,
    disabledReasons: Object.fromEntries(config.disabled.map((d) => [d.provider, d.reason])),
    bodyLimit: config.webhookBodyLimitBytes,
    mediaMaxBytes: config.mediaMaxBytes,
    mediaLinks: links,
    inbox,
  });

  const retention = scheduleRetention(config.retentionDays, (cutoff) => store.eraseOlderThan(cutoff), log);

  return {
    store,
    budget,
    tenants,
    worker,
    url() {
      const address = server.address() as AddressInfo;
      return `http://127.0.0.1:${address.port}`;
    },
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      worker.start();
      notice.start();
    },
    /**
     * Stops accepting, lets requests in flight finish (2 s at most), gives running jobs 6 s,
     * closes the store: within the 10 s that process managers wait after SIGTERM.
     */
    async stop() {
      // Open event streams would hold the server's close until their clients leave.
      inbox.close();
      await closeServer(server.server, 2_000);
      const unfinished = await worker.stop(6_000);
      await retention.stop();
      // The jobs still running are taken back at the next start, without costing them an attempt;
      // on a shared store the other instances take them over at once. A job still running here
      // (one waiting for its Teams budget, mostly) has moments left: the store closes next.
      recordStop(config.dataDir, { kind: 'not-a-job' });
      await handOverLeases(store, config, { kind: 'not-a-job' });
      if (unfinished > 0)
        log.warn({ unfinished }, 'stopping with jobs in flight; they run again at the next start');
      await store.close();
    },
  };
}

/** Stops accepting connections; requests still running after `graceMs` are cut off. */
async function closeServer(server: HttpServer, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
