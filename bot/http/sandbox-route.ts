/**
 * POST /sandbox/inbound: injects a pretend customer message. Exists only in sandbox mode and
 * only answers callers on this machine (`npm run simulate`, `npm run demo`).
 */
import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import type { Provider } from '../../adapters/types.ts';
import type { Store } from '../store/types.ts';
import { parseAndStore } from './ingest.ts';
import { readJsonRequest } from './json-request.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function sandboxInboundHandler(provider: Provider, store: Store, bodyLimit: number, log: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      req.resume();
      res.send(403, { error: 'the sandbox accepts injected messages from this machine only' });
      return;
    }
    const rawBody = await readJsonRequest(req, res, bodyLimit);
    if (!rawBody) return;
    const request = {
      method: 'POST',
      url: req.url ?? '',
      headers: {},
      query: {},
      contentType: 'application/json',
      rawBody,
    };
    const stored = await parseAndStore(provider, request, store, log);
    if (!stored.ok) {
      res.send(stored.status, { error: stored.error });
      return;
    }
    const [outcome] = stored.outcomes;
    res.send(200, { stored: outcome && !outcome.duplicate ? 1 : 0, messageId: outcome?.messageId });
  };
}
