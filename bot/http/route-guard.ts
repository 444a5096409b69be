/**
 * The last line of a route: an exception nobody foresaw is logged once, as one JSON line, and
 * answered 400 without internals (the request could not be processed, and sending it again would
 * not change that). Never 500: store failures are answered 503 where they happen (ingest.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Request, Response } from 'restify';

export function guarded(
  route: string,
  log: Logger,
  handler: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      const incident = randomUUID().slice(0, 8);
      log.error({ err, route, method: req.method, incident }, 'request failed unexpectedly');
      if (res.headersSent) {
        res.end();
        return;
      }
      req.resume();
      res.send(400, { error: `the request could not be processed (incident ${incident})` });
    }
  };
}

/** A URL as it may be logged: without its query, which can carry a webhook secret. */
export function loggableUrl(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}
