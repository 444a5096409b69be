/**
 * How every Inbox API route answers: the caller is authenticated first, then each failure gets
 * its status (401 bad or missing token, 404 not visible, 400 bad input, 409 refused, 503 when
 * the identity provider or the store cannot answer), with a JSON `{ error }`. Never 500.
 */
import type { Logger } from 'pino';
import type restify from 'restify';
import { ActionRefused } from '../teams/actions/types.ts';
import type { Authenticate, Caller } from './auth/caller.ts';
import { SsoRejected, SsoUnavailable } from './auth/sso-token.ts';
import { BadCursorError } from './cursor.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type InboxRoute = (req: restify.Request, res: restify.Response, caller: Caller) => Promise<void>;

export function inboxRoute(
  authenticate: Authenticate,
  log: Logger,
  route: InboxRoute,
): restify.RequestHandler {
  return async (req, res) => {
    // The API's answers are the caller's own data: never kept by a shared cache.
    res.setHeader('cache-control', 'no-store');
    try {
      await route(req, res, await authenticate(req));
    } catch (err) {
      answerError(res, err, log, req.url);
    }
  };
}

export function answerError(res: restify.Response, err: unknown, log: Logger, url?: string): void {
  if (res.headersSent) {
    log.warn({ err, url }, 'inbox request failed after its answer started');
    res.end();
    return;
  }
  if (err instanceof SsoRejected) {
    res.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${err.reason}"`);
    res.send(401, { error: err.message });
  } else if (err instanceof SsoUnavailable) {
    log.warn({ err }, 'Teams SSO keys unavailable');
    res.send(503, { error: `${err.message}; try again shortly` });
  } else if (err instanceof HttpError) {
    res.send(err.status, { error: err.message });
  } else if (err instanceof ActionRefused) {
    res.send(409, { error: `Not done: ${err.message}.` });
  } else if (err instanceof BadCursorError) {
    res.send(400, { error: err.message });
  } else {
    log.error({ err, url }, 'inbox request failed');
    res.send(503, { error: 'the Inbox cannot answer right now (the error was logged); try again shortly' });
  }
}

/** The query string's parameters; one that appears twice is taken as absent (never guessed). */
export function queryOf(req: { url?: string }): Record<string, string | undefined> {
  const params = new URL(req.url ?? '/', 'http://inbox').searchParams;
  const out: Record<string, string | undefined> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : undefined;
  }
  return out;
}
