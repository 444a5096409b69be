/**
 * The one way adapters/smartdialog calls the connector API (`/api-integrations/v1`, providers
 * README §3.2): bearer token, one renewal and retry after a 401, and SmartDialog's
 * `{errorMessage}` put into the typed error so the agent reads the provider's own words.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { readAnswer } from '../answer.ts';
import { ProviderAuthError } from '../errors.ts';
import { type HttpMethod, type JsonResponse, joinUrl, requestJson } from '../http.ts';
import type { TokenSource } from './auth.ts';
import { lowerKeys } from './wire.ts';

export interface SmartDialogClient {
  /** e.g. https://api.arena.fi/api-integrations/v1, without a trailing slash. */
  baseUrl: string;
  tokens: TokenSource;
  /** The customer (a GUID) every call acts for. */
  customerId: string;
  /** The one-way service, with replies allowed, that sends. */
  serviceId: string;
  /** The service WhatsApp messages go through (WhatsApp threads, templates). */
  whatsappServiceId: string;
  sender?: string;
  groupServiceId?: string;
  /** Our GET webhook URL including its secret; tb_message_id is appended per message. */
  dlrUrl?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

export interface SmartDialogCall {
  method: HttpMethod;
  /** Path below the base URL; segments already encoded (see segment()). */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Sends one call; a 401 renews the token and tries once more, a second 401 is a ProviderAuthError. */
export async function callSmartDialog(
  client: SmartDialogClient,
  call: SmartDialogCall,
): Promise<JsonResponse> {
  const token = await client.tokens.token();
  try {
    return await send(client, call, token);
  } catch (err) {
    if (!(err instanceof ProviderAuthError && err.status === 401)) throw err;
    const renewed = await client.tokens.renew(token);
    if (renewed === undefined) throw err;
    return await send(client, call, renewed);
  }
}

function send(client: SmartDialogClient, call: SmartDialogCall, token: string): Promise<JsonResponse> {
  return requestJson({
    provider: 'smartdialog',
    method: call.method,
    url: joinUrl(client.baseUrl, call.path),
    headers: { ...call.headers, authorization: `Bearer ${token}` },
    body: call.body,
    timeoutMs: client.timeoutMs,
    dispatcher: client.dispatcher,
  });
}

/** A path segment; ids are opaque strings (README §3.5) and phone numbers carry a '+'. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/** Reads an answer with case-insensitive keys (see wire.ts); `schema` is written in lower case. */
export function parseAnswer<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
  operation: string,
): z.output<T> {
  return readAnswer(schema, lowerKeys(body), { id: 'smartdialog', name: 'SmartDialog' }, operation);
}

/** SmartDialog's error text: `errorMessage` on the messaging gateway (README §3.2), any casing. */
export function errorMessageOf(body: unknown): string | undefined {
  const record = lowerKeys(body);
  if (!record || typeof record !== 'object') return undefined;
  const message = (record as Record<string, unknown>)['errormessage'];
  return typeof message === 'string' && message !== '' ? message : undefined;
}
