/** The HTTP surface: Bot Framework endpoint, provider webhooks, health and metrics. */
import type { ConfigurationBotFrameworkAuthentication, TeamsActivityHandler } from 'botbuilder';
import type { Logger } from 'pino';
import restify from 'restify';
import type { Provider } from '../../adapters/types.ts';
import type { BotAuthConfig } from '../config/bot-auth.ts';
import type { Inbox } from '../inbox/index.ts';
import type { Store } from '../store/types.ts';
import type { TextbridgeAdapter } from '../teams/adapter.ts';
import type { MediaLinks } from './media-links.ts';
import { mediaHandler } from './media-route.ts';
import { messagesHandler } from './messages-route.ts';
import type { InstanceIdentity, Metrics } from './metrics.ts';
import { guarded, loggableUrl } from './route-guard.ts';
import { sandboxInboundHandler } from './sandbox-route.ts';
import { type WebhookDeps, webhookHandler } from './webhook-route.ts';

export interface ServerDeps extends WebhookDeps {
  adapter: TextbridgeAdapter;
  auth: ConfigurationBotFrameworkAuthentication;
  botAuth: BotAuthConfig;
  bot: TeamsActivityHandler;
  store: Store;
  /** Which instance this is and which store it uses, for /readyz. */
  instance: InstanceIdentity;
  log: Logger;
  metrics: Metrics;
  /** Signs and checks the links of GET /media/<id>. */
  mediaLinks?: MediaLinks;
  /** The sandbox provider, when SANDBOX=1: its /sandbox/inbound route exists only then. */
  sandbox?: Provider;
  /** The Inbox tab's API (/api/inbox/…). */
  inbox?: Inbox;
}

export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'textbridge', handleUncaughtExceptions: false });
  server.pre(restify.plugins.pre.dedupeSlashes());

  const { log } = deps;
  server.post('/api/messages', guarded('/api/messages', log, messagesHandler(deps)));

  const webhooks = guarded('/webhooks/:provider', log, webhookHandler(deps));
  if (deps.mediaLinks)
    server.get('/media/:id', guarded('/media/:id', log, mediaHandler(deps.store, deps.mediaLinks)));
  server.post('/webhooks/:provider', webhooks);
  server.get('/webhooks/:provider', webhooks);

  const sandbox = deps.sandbox;
  if (sandbox) {
    const inbound = sandboxInboundHandler(sandbox, deps.store, deps.bodyLimit, log);
    server.post('/sandbox/inbound', guarded('/sandbox/inbound', log, inbound));
  }

  deps.inbox?.mount(server);

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  const storeName = deps.instance.store === 'postgres' ? 'PostgreSQL' : 'SQLite';
  server.get('/readyz', async (_req, res) => {
    try {
      await deps.store.ready();
      res.send(200, { status: 'ready', store: storeName, instance: deps.instance.id });
    } catch (err) {
      log.warn({ err }, `not ready: the ${storeName} store does not answer`);
      res.send(503, {
        status: 'not ready',
        store: storeName,
        instance: deps.instance.id,
        error: `the ${storeName} store does not answer`,
      });
    }
  });
  server.get('/metrics', async (_req, res) => {
    const body = await deps.metrics.registry.metrics();
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.sendRaw(200, body);
  });

  // The router's own refusals (404, 405, a malformed URL): routine, and each one would otherwise
  // be a warning with a stack. The query is left out: it can carry a webhook secret.
  server.on('restifyError', (req, _res, err, cb) => {
    log.debug({ status: err.statusCode, url: loggableUrl(req.url), error: err.message }, 'request refused');
    cb();
  });
  return server;
}
