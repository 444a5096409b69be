/**
 * Calls to the Conversation API (sinch-conversation.md §2): bearer token from auth.ts, one
 * renewal and retry after a 401, and the project's path prefix.
 */
import type { Dispatcher } from 'undici';
import { ProviderAuthError } from '../errors.ts';
import { type HttpMethod, joinUrl, requestJson } from '../http.ts';
import type { BearerSource } from './auth.ts';

export interface ConversationClient {
  /** https://{us|eu|br}.conversation.api.sinch.com, or an override. */
  baseUrl: string;
  projectId: string;
  appId: string;
  tokens: BearerSource;
  /** Number or alphanumeric id for SMS fallback; without it messages go out as RCS only. */
  smsSender?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

export async function callConversation(
  client: ConversationClient,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = joinUrl(client.baseUrl, `/v1/projects/${encodeURIComponent(client.projectId)}${path}`);
  const send = async (token: string) =>
    (
      await requestJson({
        provider: 'sinch-conversation',
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        body,
        timeoutMs: client.timeoutMs,
        dispatcher: client.dispatcher,
      })
    ).body;
  const token = await client.tokens.token();
  try {
    return await send(token);
  } catch (err) {
    // An expired or revoked token: one fresh token, one more try.
    if (!(err instanceof ProviderAuthError && err.status === 401)) throw err;
    return await send(await client.tokens.renew(token));
  }
}
