/**
 * POST (and for SmartDialog receipts GET) /webhooks/:provider. Verify, read, parse, store once,
 * answer; never call anyone.
 * 401 bad secret, 415 wrong type, 413 too large, 400 unparseable (saying what), 200 stored.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import type { Provider, ProviderId, WebhookRequest } from '../../adapters/types.ts';
import type { IngestRow } from '../store/ingest-rows.ts';
import type { Store } from '../store/types.ts';
import { mediaTypeOf, parseRows, storeRows } from './ingest.ts';
import type { Metrics } from './metrics.ts';
import { BodyTooLargeError, readRawBody } from './raw-body.ts';
import { type SecretCarrier, secretChecker } from './secret.ts';

export interface WebhookTarget {
  provider: Provider;
  secret: string;
  /** Media types the provider posts (without parameters). */
  contentTypes: readonly string[];
  /** Whether the provider also calls us with GET (SmartDialog's DlrUrl callback). */
  acceptsGet?: boolean;
}

export interface WebhookDeps {
  targets: Partial<Record<ProviderId, WebhookTarget>>;
  disabledReasons: Partial<Record<string, string>>;
  store: Store;
  bodyLimit: number;
  /** MEDIA_MAX_BYTES: inline media larger than this is described, not kept. */
  mediaMaxBytes?: number;
  log: Logger;
  metrics: Metrics;
}

export function webhookHandler(deps: WebhookDeps) {
  const checkers = new Map<WebhookTarget, (req: SecretCarrier) => boolean>();
  const checkerFor = (target: WebhookTarget) => {
    let check = checkers.get(target);
    if (!check) {
      check = secretChecker(target.secret);
      checkers.set(target, check);
    }
    return check;
  };
  const metrics = providerMetrics(deps.metrics);
  /**
   * Everything before the store: a refusal to answer, or the rows to store. Its own async
   * function, so the request's body and parsed JSON are not kept alive while the rows wait for
   * the disk.
   */
  const admit = async (req: Request, name: string, target: WebhookTarget | undefined): Promise<Admitted> => {
    if (!target) {
      const disabled = Object.hasOwn(deps.disabledReasons, name) ? deps.disabledReasons[name] : undefined;
      return refuse(
        404,
        disabled ? `${name} is not enabled on this bot: ${disabled}` : `unknown provider "${name}"`,
      );
    }
    const isGet = req.method === 'GET';
    if (isGet && !target.acceptsGet) return refuse(405, `${name} webhooks are POST requests`);
    const query = flatQuery(req);
    const secretOk = checkerFor(target)({ headers: req.headers, query });
    // A provider with its own signature (Sinch) may authenticate by it instead, checked on the body.
    if (!secretOk && !target.provider.verifyWebhook) {
      req.resume();
      return refuse(401, 'missing or wrong webhook secret');
    }
    const contentType = mediaTypeOf(req.headers);
    if (!isGet && !target.contentTypes.includes(contentType)) {
      req.resume();
      return refuse(
        415,
        `unsupported content type "${contentType || 'none'}"; expected ${target.contentTypes.join(' or ')}`,
      );
    }
    let rawBody: Buffer = EMPTY;
    try {
      if (!isGet) rawBody = await readRawBody(req as unknown as IncomingMessage, deps.bodyLimit);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return refuse(413, err.message);
      return refuse(400, `could not read the body: ${(err as Error).message}`);
    }
    const request: WebhookRequest = {
      method: req.method ?? 'POST',
      url: req.url ?? '',
      headers: req.headers as Record<string, string | undefined>,
      query,
      contentType,
      rawBody,
    };
    const signature = target.provider.verifyWebhook?.(request) ?? 'absent';
    // A provider that signs every call (the Conversation API) is not authenticated by a secret alone.
    const mustSign = target.provider.requiresSignature === true;
    if (signature === 'invalid' || (signature === 'absent' && (mustSign || !secretOk))) {
      return refuse(
        401,
        signature === 'invalid'
          ? `the ${name} signature does not match the request, or its timestamp is too old`
          : mustSign
            ? `${name} callbacks must carry their signature headers`
            : 'missing or wrong webhook secret',
      );
    }
    const parsed = parseRows(target.provider, request, deps.mediaMaxBytes);
    return parsed.ok ? parsed : refuse(parsed.status, parsed.error);
  };

  return async (req: Request, res: Response): Promise<void> => {
    const name = String(req.params?.['provider'] ?? '');
    const started = performance.now();
    // Own keys only: a path such as /webhooks/constructor must not find Object's members.
    const target = Object.hasOwn(deps.targets, name) ? deps.targets[name as ProviderId] : undefined;
    // Metrics label only the providers the bot knows: a path must not add a time series per name.
    const label = target || Object.hasOwn(deps.disabledReasons, name) ? name : 'unknown';
    const answer = (status: number, body: Record<string, unknown>) => {
      res.send(status, body);
      metrics.observe(label, status, (performance.now() - started) / 1000);
    };
    const admitted = await admit(req, name, target);
    if (!admitted.ok) return answer(admitted.status, { error: admitted.error });
    const stored = await storeRows(deps.store, admitted.rows, deps.log, name);
    if (!stored.ok) return answer(stored.status, { error: stored.error });
    let duplicates = 0;
    for (const o of stored.outcomes) if (o.duplicate) duplicates++;
    answer(200, { stored: stored.outcomes.length - duplicates, duplicates });
  };
}

type Admitted = { ok: true; rows: IngestRow[] } | { ok: false; status: number; error: string };

const EMPTY = Buffer.alloc(0);

const refuse = (status: number, error: string): Admitted => ({ ok: false, status, error });

function flatQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const at = req.url?.indexOf('?') ?? -1;
  if (at < 0) return out;
  for (const [k, v] of new URLSearchParams(req.url?.slice(at + 1))) out[k] = v;
  return out;
}

/**
 * The webhook counters and timings, with each label set's child looked up once: prom-client
 * hashes the labels on every call otherwise, and the route runs thousands of times a second.
 * Only a few label sets exist per provider (one per answer status); past that (names of
 * providers that do not exist) children are not kept.
 */
function providerMetrics(m: Metrics, keep = 64) {
  const counters = new Map<string, ReturnType<Metrics['webhooks']['labels']>>();
  const timers = new Map<string, ReturnType<Metrics['webhookSeconds']['labels']>>();
  return {
    observe(provider: string, status: number, seconds: number): void {
      const key = `${provider}\n${status}`;
      let counter = counters.get(key);
      if (!counter) {
        counter = m.webhooks.labels({ provider, status: String(status) });
        if (counters.size < keep) counters.set(key, counter);
      }
      counter.inc();
      let timer = timers.get(provider);
      if (!timer) {
        timer = m.webhookSeconds.labels({ provider });
        if (timers.size < keep) timers.set(provider, timer);
      }
      timer.observe(seconds);
    },
  };
}
