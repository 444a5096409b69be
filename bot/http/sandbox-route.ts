/**
 * POST /sandbox/inbound: injects a pretend customer message. Exists only in sandbox mode and
 * only answers callers on this machine (`npm run simulate`, `npm run demo`).
 */
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import { WebhookParseError } from '../../adapters/errors.ts';
import type { Provider } from '../../adapters/types.ts';
import { markOptOuts } from '../opt-out.ts';
import type { Store } from '../store/types.ts';
import { BodyTooLargeError, readRawBody } from './raw-body.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function sandboxInboundHandler(provider: Provider, store: Store, bodyLimit: number) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      req.resume();
      res.send(403, { error: 'the sandbox accepts injected messages from this machine only' });
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      res.send(415, { error: `unsupported content type "${type || 'none'}"; expected application/json` });
      return;
    }
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(req as unknown as IncomingMessage, bodyLimit);
    } catch (err) {
      res.send(err instanceof BodyTooLargeError ? 413 : 400, { error: (err as Error).message });
      return;
    }
    try {
      const events = markOptOuts(
        provider.parseWebhook({
          method: 'POST',
          url: req.url ?? '',
          headers: {},
          query: {},
          contentType: type,
          rawBody,
        }),
      );
      const [outcome] = await store.ingest(events);
      res.send(200, { stored: outcome?.duplicate ? 0 : 1, messageId: outcome?.messageId });
    } catch (err) {
      if (err instanceof WebhookParseError) res.send(400, { error: err.message });
      else throw err;
    }
  };
}
