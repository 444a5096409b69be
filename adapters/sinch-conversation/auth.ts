/**
 * OAuth2 client credentials for the Conversation API (sinch-conversation.md §1): POST the token
 * endpoint with Basic keyId:keySecret and `grant_type=client_credentials`; the bearer token lives
 * an hour and is cached until a minute before it runs out, as the official SDK does. Concurrent
 * callers share one request; a 401 from the API drops the cached token once.
 */
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { readAnswer } from '../answer.ts';
import { basicAuth, requestJson } from '../http.ts';

export const SINCH_AUTH_URL = 'https://auth.sinch.com/oauth2/token';

export interface ConversationCredentials {
  keyId: string;
  keySecret: string;
  /** SINCH_AUTH_URL unless a proxy or a test says otherwise. */
  authUrl: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

export interface BearerSource {
  token(): Promise<string>;
  /** The API refused `rejected`: a new token, unless someone already replaced it. */
  renew(rejected: string): Promise<string>;
}

/** Documented lifetime when the answer has no expires_in. */
const DEFAULT_LIFETIME_S = 3600;
/** The SDK refreshes 60 s early, so a token never runs out between our check and Sinch's. */
const REFRESH_MARGIN_MS = 60_000;

const tokenAnswer = z
  .object({
    access_token: z.string().min(1),
    expires_in: z.union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
    token_type: z.string().nullish(),
  })
  .passthrough();

export function bearerSource(creds: ConversationCredentials): BearerSource {
  const now = creds.now ?? Date.now;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const fresh = () => (current && now() < current.renewAt ? current.token : undefined);
  const fetchToken = (): Promise<string> => {
    pending ??= requestToken(creds)
      .then(({ token, lifetimeMs }) => {
        const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
        current = { token, renewAt: now() + lifetimeMs - margin };
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return {
    token: async () => fresh() ?? fetchToken(),
    async renew(rejected) {
      const cached = fresh();
      if (cached !== undefined && cached !== rejected) return cached;
      current = undefined;
      return fetchToken();
    },
  };
}

async function requestToken(creds: ConversationCredentials): Promise<{ token: string; lifetimeMs: number }> {
  const res = await requestJson({
    provider: 'sinch-conversation',
    method: 'POST',
    url: creds.authUrl,
    headers: { authorization: basicAuth(creds.keyId, creds.keySecret) },
    form: { grant_type: 'client_credentials' },
    timeoutMs: creds.timeoutMs,
    dispatcher: creds.dispatcher,
  });
  const answer = readAnswer(
    tokenAnswer,
    res.body,
    { id: 'sinch-conversation', name: 'Sinch (OAuth)' },
    'POST /oauth2/token',
  );
  return { token: answer.access_token, lifetimeMs: (answer.expires_in ?? DEFAULT_LIFETIME_S) * 1000 };
}
