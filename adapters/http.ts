/**
 * The one HTTP helper every adapter uses: JSON in, JSON (or text) out, a hard timeout, and the
 * provider's answer turned into the typed errors of errors.ts so the worker can decide
 * "retry" or "give up" from the class alone.
 */
import { type Dispatcher, request } from 'undici';
import {
  ProviderAuthError,
  ProviderError,
  ProviderNotFoundError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from './errors.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface JsonRequest {
  /** Provider name, used in error messages and on the typed errors. */
  provider: string;
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** Serialized as JSON when present. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of a JSON body (OAuth token requests). */
  form?: Record<string, string>;
  /** Whole-call budget: connect, headers and body. */
  timeoutMs: number;
  /** For tests and custom pools; undici's global dispatcher otherwise. */
  dispatcher?: Dispatcher;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Record<string, string | undefined>;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: T;
}

/** Sends one request; resolves for 2xx, throws a typed ProviderError for anything else. */
export async function requestJson<T = unknown>(req: JsonRequest): Promise<JsonResponse<T>> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.form !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  else if (req.body !== undefined) headers['content-type'] ??= 'application/json';
  const payload =
    req.form !== undefined
      ? new URLSearchParams(req.form).toString()
      : req.body === undefined
        ? undefined
        : JSON.stringify(req.body);
  let status: number;
  let responseHeaders: Record<string, string | undefined>;
  let body: unknown;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers,
      body: payload,
      signal,
      dispatcher: req.dispatcher,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    status = res.statusCode;
    responseHeaders = flattenHeaders(res.headers);
    body = parseBody(await res.body.text(), responseHeaders['content-type']);
  } catch (err) {
    throw networkError(req, err, signal.aborted);
  }
  if (status >= 200 && status < 300) return { status, headers: responseHeaders, body: body as T };
  throw statusError(req, status, responseHeaders, body);
}

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  // Providers label JSON inconsistently (and some errors come as text/plain), so try JSON first.
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Failures of the network or of the provider's side of the connection: worth a retry. Anything
 * else (an invalid URL or header, a TLS certificate mismatch) is a mistake a retry cannot mend.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Maps a failure before any HTTP status arrived; programming errors are rethrown untouched. */
function networkError(req: JsonRequest, err: unknown, aborted: boolean): unknown {
  const code = errorCode(err);
  const host = hostOf(req.url);
  if (aborted || (code !== undefined && TIMEOUT_CODES.has(code)) || nameOf(err) === 'TimeoutError') {
    return new ProviderUnavailableError(
      `${req.provider} did not answer ${req.method} ${host}: timed out after ${req.timeoutMs} ms`,
      req.provider,
    );
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new ProviderUnavailableError(
      `${req.provider}: could not connect to ${host} (${code})`,
      req.provider,
    );
  }
  return err;
}

function statusError(
  req: JsonRequest,
  status: number,
  headers: Record<string, string | undefined>,
  body: unknown,
): ProviderError {
  const { text, details } = describeBody(body);
  const said = text ? `: ${text}` : '';
  const p = req.provider;
  if (status === 401 || status === 403) {
    return new ProviderAuthError(`${p} refused the credentials (HTTP ${status})${said}`, p, status, body);
  }
  if (status === 400 || status === 422 || status === 409) {
    return new ProviderValidationError(
      `${p} rejected the request (HTTP ${status})${said}`,
      p,
      status,
      details ?? body,
    );
  }
  if (status === 404)
    return new ProviderNotFoundError(`${p} does not know this resource (HTTP 404)${said}`, p, status, body);
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 429)
    return new ProviderRateLimitError(`${p} is rate limiting us (HTTP 429)${said}`, p, retryAfterMs);
  if (status >= 500) {
    return new ProviderUnavailableError(
      `${p} is unavailable (HTTP ${status})${said}`,
      p,
      status,
      retryAfterMs,
    );
  }
  return new ProviderError(`${p} answered HTTP ${status}${said}`, p, status, body);
}

/** The provider's own words: its message plus every detail line, so the agent sees the real cause. */
function describeBody(body: unknown): { text: string; details?: string[] } {
  if (typeof body === 'string') return { text: body.slice(0, 500) };
  if (!body || typeof body !== 'object') return { text: '' };
  // Google-style APIs (the Sinch Conversation API) wrap theirs: {error: {code, message, status}}.
  const inner = (body as Record<string, unknown>)['error'];
  const record = (inner && typeof inner === 'object' ? inner : body) as Record<string, unknown>;
  // `errorMessage` is SmartDialog's (README §3.2), in either casing.
  const message = [
    'message',
    'Message',
    'errorMessage',
    'ErrorMessage',
    'error_description',
    'error',
    'title',
    'detail',
  ]
    .map((key) => record[key])
    .find((value): value is string => typeof value === 'string' && value !== '');
  const details = Array.isArray(record['details']) ? record['details'].map(String) : undefined;
  const parts = [message, details?.join('; ')].filter((part): part is string => !!part);
  return { text: parts.join(': '), ...(details ? { details } : {}) };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorCode(err: unknown): string | undefined {
  // Node wraps happy-eyeballs failures in an AggregateError; undici sometimes nests the cause.
  for (const candidate of [err, causeOf(err), firstOf(err)]) {
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function causeOf(err: unknown): unknown {
  return err instanceof Error ? err.cause : undefined;
}

function firstOf(err: unknown): unknown {
  return err instanceof AggregateError ? err.errors[0] : undefined;
}

function nameOf(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/** The host of a URL for messages ("api.example.com:8443"), or the text itself when it is none. */
export function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}

/** HTTP Basic credentials (RFC 7617). */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A configured base URL (with or without a trailing slash) and an absolute path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
