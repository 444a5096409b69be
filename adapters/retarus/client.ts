/**
 * How adapters/retarus reaches the REST API (providers README §2.1–2.3): Basic auth, sends to the
 * send URL, and lookups asked of every data centre in turn, because a job is known only to the
 * data centre that accepted it and the other one answers 404.
 */
import type { Dispatcher } from 'undici';
import {
  ProviderAuthError,
  ProviderError,
  ProviderNotFoundError,
  ProviderValidationError,
} from '../errors.ts';
import { basicAuth, type HttpMethod, hostOf, joinUrl, requestJson } from '../http.ts';

export interface RetarusConnection {
  username: string;
  password: string;
  /** Base URL for POST /jobs, e.g. https://sms4a.eu.retarus.com/rest/v1 (the send-only HA host). */
  sendUrl: string;
  /** Base URLs of the data centres, asked in this order for every lookup. */
  statusUrls: readonly string[];
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/** Long enough for a 3,000-recipient job, short enough not to hold a worker for long. */
export const RETARUS_DEFAULT_TIMEOUT_MS = 15_000;

export async function callRetarus(
  connection: RetarusConnection,
  baseUrl: string,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<unknown> {
  try {
    const res = await requestJson({
      provider: 'retarus',
      method,
      url: joinUrl(baseUrl, path),
      headers: { authorization: basicAuth(connection.username, connection.password) },
      body,
      timeoutMs: connection.timeoutMs ?? RETARUS_DEFAULT_TIMEOUT_MS,
      dispatcher: connection.dispatcher,
    });
    return res.body;
  } catch (err) {
    throw withRetarusCode(err);
  }
}

/**
 * GETs `path` from each data centre in order and returns the first answer. A 404 means "ask the
 * next one"; so does an unavailable data centre, since the job may live on the other. Auth and
 * validation errors would repeat everywhere, so they end the search at once.
 */
export async function lookupRetarus(
  connection: RetarusConnection,
  path: string,
  what: string,
  bases: readonly string[] = connection.statusUrls,
): Promise<{ body: unknown; baseUrl: string }> {
  let failure: unknown;
  for (const baseUrl of bases) {
    try {
      return { body: await callRetarus(connection, baseUrl, 'GET', path), baseUrl };
    } catch (err) {
      if (err instanceof ProviderAuthError || err instanceof ProviderValidationError) throw err;
      if (!(err instanceof ProviderError)) throw err;
      if (!(err instanceof ProviderNotFoundError)) failure ??= err;
    }
  }
  // A data centre that did not answer may be the one that knows: that is not "not found".
  if (failure) throw failure;
  const hosts = bases.map(hostOf).join(', ');
  throw new ProviderNotFoundError(
    `Retarus does not know ${what}: asked ${bases.length} data centre${bases.length === 1 ? '' : 's'} (${hosts})`,
    'retarus',
    404,
  );
}

/**
 * The official Go SDK reads error bodies as `{message, code}` and falls back to the raw text.
 * http.ts already quotes `message` or the text; this adds Retarus's `code` when there is one.
 */
function withRetarusCode(err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  const details = err.details as { code?: unknown } | undefined;
  const code = details && typeof details === 'object' ? details.code : undefined;
  if (typeof code !== 'number' && typeof code !== 'string') return err;
  const message = `${err.message} (Retarus code ${code})`;
  const { provider, status } = err;
  if (err instanceof ProviderAuthError) return new ProviderAuthError(message, provider, status, details);
  if (err instanceof ProviderValidationError)
    return new ProviderValidationError(message, provider, status, details);
  if (err instanceof ProviderNotFoundError)
    return new ProviderNotFoundError(message, provider, status, details);
  // Rate-limit and unavailable errors carry no body, so they never reach this point.
  return err.constructor === ProviderError ? new ProviderError(message, provider, status, details) : err;
}
