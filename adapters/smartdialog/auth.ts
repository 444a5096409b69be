/**
 * Where SmartDialog bearer tokens come from (providers README §3.1): a fixed access token, or the
 * connector's Azure AD B2C OAuth flow driven by a refresh token the operator obtained once.
 * The refresh source caches the access token, renews it shortly before it expires and after a
 * 401, keeps the refresh token B2C rotates in, and lets concurrent callers share one refresh.
 */
import { type Dispatcher, request } from 'undici';
import { z } from 'zod';
import {
  ProviderAuthError,
  ProviderError,
  ProviderRateLimitError,
  ProviderUnavailableError,
} from '../errors.ts';
import { parseRetryAfter } from '../http.ts';

/** The connector's token and refresh URL (smartdialog.apiProperties.json). */
export const SMARTDIALOG_TOKEN_URL =
  'https://arenafi.b2clogin.com/arenafi.onmicrosoft.com/B2C_1A_SmartDialog_Integrations/oauth2/v2.0/token';

const API_SCOPE = 'https://arenafi.onmicrosoft.com/smartdialog-integrations-api/';

/** The connector's scopes (smartdialog.apiProperties.json): offline_access keeps refresh tokens coming. */
export const SMARTDIALOG_SCOPES: readonly string[] = [
  'offline_access',
  ...[
    'Gateway.Send',
    'Customer.Services',
    'User.Customers',
    'TwoWay.Management',
    'WhatsApp',
    'Discussion.Reply',
    'Group.Management',
  ].map((scope) => `${API_SCOPE}${scope}`),
];

export type SmartDialogAuth =
  | { accessToken: string }
  | { clientId: string; clientSecret: string; refreshToken: string; tokenUrl: string; scopes?: string[] };

export interface TokenSource {
  /** The token to send now; refreshed first when it is about to expire. */
  token(): Promise<string>;
  /**
   * After the API refused `rejected` with 401: a token worth one more try, or undefined when
   * there is nothing to renew (a fixed token).
   */
  renew(rejected: string): Promise<string | undefined>;
}

export interface TokenSourceOptions {
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now?: () => number;
}

/** B2C's default access-token lifetime, for an answer without expires_in (RFC 6749 makes it optional). */
const DEFAULT_LIFETIME_S = 3600;
/** Renew this long before expiry, so a token does not run out between our check and the API's. */
const REFRESH_MARGIN_MS = 60_000;

export function createTokenSource(auth: SmartDialogAuth, options: TokenSourceOptions): TokenSource {
  if ('accessToken' in auth) {
    if (!auth.accessToken) throw new TypeError('SmartDialog accessToken is empty');
    return { token: async () => auth.accessToken, renew: async () => undefined };
  }
  for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
    if (!auth[key]) throw new TypeError(`SmartDialog OAuth needs ${key}`);
  }
  if (!URL.canParse(auth.tokenUrl))
    throw new TypeError(`SmartDialog tokenUrl is not a URL: ${auth.tokenUrl}`);
  return refreshingSource(auth, options);
}

type RefreshAuth = Exclude<SmartDialogAuth, { accessToken: string }>;

function refreshingSource(auth: RefreshAuth, options: TokenSourceOptions): TokenSource {
  const now = options.now ?? Date.now;
  let refreshToken = auth.refreshToken;
  let current: { accessToken: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fresh = () => (current && now() < current.renewAt ? current.accessToken : undefined);

  function refresh(): Promise<string> {
    pending ??= requestToken(auth, refreshToken, options)
      .then((answer) => {
        const lifetimeMs = (answer.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
        // A short-lived token is still used for half its life rather than refreshed on every call.
        const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
        current = { accessToken: answer.access_token, renewAt: now() + lifetimeMs - margin };
        // B2C rotates refresh tokens; the newest one outlives the one we started with.
        if (answer.refresh_token) refreshToken = answer.refresh_token;
        return answer.access_token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  return {
    token: async () => fresh() ?? refresh(),
    async renew(rejected) {
      // Someone else already replaced the refused token: use theirs instead of refreshing again.
      const cached = fresh();
      if (cached !== undefined && cached !== rejected) return cached;
      current = undefined;
      return refresh();
    },
  };
}

const tokenAnswer = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().nullish(),
    // Azure AD v1 endpoints send it as a string of digits.
    expires_in: z
      .union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)])
      .nullish()
      .transform((value) => value ?? undefined),
    refresh_token: z.string().min(1).nullish(),
  })
  .passthrough();

type TokenAnswer = z.output<typeof tokenAnswer>;

async function requestToken(auth: RefreshAuth, refreshToken: string, options: TokenSourceOptions) {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: auth.clientId,
    client_secret: auth.clientSecret,
    refresh_token: refreshToken,
    scope: (auth.scopes ?? SMARTDIALOG_SCOPES).join(' '),
  });
  let status: number;
  let text: string;
  let retryAfter: string | undefined;
  try {
    const res = await request(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs),
      dispatcher: options.dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    status = res.statusCode;
    const header = res.headers['retry-after'];
    retryAfter = Array.isArray(header) ? header[0] : header;
    text = await res.body.text();
  } catch (err) {
    throw new ProviderUnavailableError(
      `SmartDialog's token endpoint did not answer: ${(err as Error).message}`,
      'smartdialog',
    );
  }
  const body = parseJson(text);
  if (status === 200) return checkAnswer(body);
  throw tokenError(status, body, retryAfter);
}

function checkAnswer(body: unknown): TokenAnswer {
  const parsed = tokenAnswer.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown shape';
  throw new ProviderError(
    `SmartDialog's token endpoint answered without a usable token (${where})`,
    'smartdialog',
  );
}

/** OAuth errors are {error, error_description} (RFC 6749 §5.2); B2C puts its AADB2C code in the description. */
function tokenError(status: number, body: unknown, retryAfter: string | undefined): ProviderError {
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const words = [record['error'], record['error_description']].filter((w) => typeof w === 'string' && w);
  const said =
    words.length > 0 ? `: ${words.join(': ')}` : typeof body === 'string' ? `: ${body.slice(0, 300)}` : '';
  const where = `SmartDialog's token endpoint answered HTTP ${status}`;
  if (status === 429) {
    return new ProviderRateLimitError(`${where}${said}`, 'smartdialog', parseRetryAfter(retryAfter));
  }
  if (status >= 500) return new ProviderUnavailableError(`${where}${said}`, 'smartdialog', status);
  // invalid_grant (expired or revoked refresh token) and invalid_client need the operator, not a retry.
  if (status >= 400 && status < 500) {
    return new ProviderAuthError(
      `${where}${said}; the refresh token or client secret needs renewing`,
      'smartdialog',
      status,
      body,
    );
  }
  return new ProviderError(`${where}${said}`, 'smartdialog', status, body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
