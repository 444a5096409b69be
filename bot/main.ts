/**
 * Process entry: read .env and the environment, open the store, start HTTP and the worker, stop
 * gracefully on SIGTERM/SIGINT (work in flight is retried after the next start).
 */
import { existsSync } from 'node:fs';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { exitOnUncaught } from './crash-record.ts';
import { createLogger } from './logger.ts';
import { StoreOpenError } from './store/open-store.ts';
import { redactedUrl } from './store/redacted-url.ts';
import { currentJobId } from './worker/job-context.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(
      `textbridge cannot start.\n${err.message}\nFix the variables above (environment or .env) and start again.`,
    );
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.logLevel, undefined, config.instanceId);
exitOnUncaught(config.dataDir, log, currentJobId);
let app: Awaited<ReturnType<typeof createApp>>;
try {
  app = await createApp(config, { log });
} catch (err) {
  if (!(err instanceof StoreOpenError)) throw err;
  console.error(`textbridge cannot start.\n${err.message}`);
  process.exit(1);
}
await app.start();

const enabled = (['sinch', 'retarus', 'smartdialog', 'sandbox'] as const).filter(
  (p) => config[p] !== undefined,
);
log.info(
  {
    url: app.url(),
    pid: process.pid,
    store: config.store.kind === 'sqlite' ? config.store.path : `PostgreSQL ${redactedUrl(config.store.url)}`,
    teamsAuth: config.bot.appId ? `app ${config.bot.appId}` : 'off (local mode: Agents Playground, tests)',
    enabled,
  },
  `textbridge listening on port ${new URL(app.url()).port}`,
);
for (const d of config.disabled) log.info({ provider: d.provider }, `${d.provider} disabled: ${d.reason}`);
if (config.sandbox) {
  log.warn(
    'SANDBOX mode: no real messages are sent or received. Inject customer messages with `npm run simulate -- --from <number> "Hi"` (the fictional +1 555 numbers work, such as +1 555 123 4567)',
  );
}
if (enabled.length === 0) {
  log.warn(
    'no provider is configured: the bot runs, but no customer can text it yet. Set one up (docs/providers.md), or try everything without an account with `npm run demo`',
  );
}
for (const w of config.warnings) log.warn(w);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Process managers kill after 10 s; a stop that hangs ends a little before that.
    setTimeout(() => {
      log.error(
        { signal },
        'stopping took too long; exiting now (jobs in flight run again at the next start)',
      );
      process.exit(1);
    }, 9_500).unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
