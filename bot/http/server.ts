/** The HTTP surface: Bot Framework endpoint, provider webhooks, health and metrics. */
import type { CloudAdapter, TeamsActivityHandler } from 'botbuilder';
import type { Logger } from 'pino';
import restify from 'restify';
import type { Provider } from '../../adapters/types.ts';
import type { Inbox } from '../inbox/index.ts';
import type { Store } from '../store/types.ts';
import { mediaTypeOf } from './ingest.ts';
import type { Metrics } from './metrics.ts';
import { sandboxInboundHandler } from './sandbox-route.ts';
import { type WebhookDeps, webhookHandler } from './webhook-route.ts';

export interface ServerDeps extends WebhookDeps {
  adapter: CloudAdapter;
  bot: TeamsActivityHandler;
  store: Store;
  log: Logger;
  metrics: Metrics;
  /** The sandbox provider, when SANDBOX=1: its /sandbox/inbound route exists only then. */
  sandbox?: Provider;
  /** The Inbox tab's API (/api/inbox/…). */
  inbox?: Inbox;
}

/** Bot Framework activities are small (Teams caps them near 100 KB); 512 KB leaves room. */
const ACTIVITY_LIMIT_BYTES = 512 * 1024;

/** Activities are JSON; anything else is refused before it is read. */
function requireJson(req: restify.Request, res: restify.Response, next: restify.Next): void {
  const type = mediaTypeOf(req.headers);
  if (type !== 'application/json') {
    res.send(415, { error: `unsupported content type "${type || 'none'}"; expected application/json` });
    next(false);
    return;
  }
  next();
}

export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'textbridge', handleUncaughtExceptions: false });
  server.pre(restify.plugins.pre.dedupeSlashes());

  server.post(
    '/api/messages',
    requireJson,
    restify.plugins.bodyParser({ maxBodySize: ACTIVITY_LIMIT_BYTES, mapParams: false }),
    async (req, res) => {
      const body = req.body as { type?: unknown } | undefined;
      if (!body || typeof body !== 'object' || typeof body.type !== 'string') {
        res.send(400, { error: 'the body is not a Bot Framework activity: "type" is missing' });
        return;
      }
      await deps.adapter.process(req, res, (turn) => deps.bot.run(turn));
    },
  );

  const webhooks = webhookHandler(deps);
  server.post('/webhooks/:provider', webhooks);
  server.get('/webhooks/:provider', webhooks);

  const sandbox = deps.sandbox;
  if (sandbox)
    server.post('/sandbox/inbound', sandboxInboundHandler(sandbox, deps.store, deps.bodyLimit, deps.log));

  deps.inbox?.mount(server);

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    try {
      await deps.store.ready();
      res.send(200, { status: 'ready' });
    } catch (err) {
      res.send(503, { status: 'not ready', error: (err as Error).message });
    }
  });
  server.get('/metrics', async (_req, res) => {
    const body = await deps.metrics.registry.metrics();
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.sendRaw(200, body);
  });

  server.on('restifyError', (req, _res, err, cb) => {
    deps.log.warn({ err, url: req.url }, 'request failed');
    cb();
  });
  return server;
}
