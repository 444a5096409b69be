/**
 * Sinch's Conversation API behind the Provider interface: RCS, with SMS fallback. The Engage /
 * MessageMedia API (adapters/sinch) has no public RCS send, so RCS goes through this one.
 */
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { readAnswer } from '../answer.ts';
import type { Provider, StatusResult } from '../types.ts';
import { type ConversationClient, callConversation } from './api.ts';
import { bearerSource, SINCH_AUTH_URL } from './auth.ts';
import { RCS_MAX_TEXT, sendConversationMessages } from './send.ts';
import { checkConversationSignature } from './signature.ts';
import { parseConversationWebhook } from './webhook.ts';

export { SINCH_AUTH_URL } from './auth.ts';
export { RCS_MAX_TEXT } from './send.ts';

export type ConversationRegion = 'us' | 'eu' | 'br';

export function conversationBaseUrl(region: ConversationRegion): string {
  return `https://${region}.conversation.api.sinch.com`;
}

export interface SinchConversationOptions {
  projectId: string;
  appId: string;
  keyId: string;
  keySecret: string;
  baseUrl: string;
  authUrl?: string;
  /** HMAC secret of the app's webhook. */
  webhookSecret: string;
  smsSender?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const DEFAULT_TIMEOUT_MS = 15_000;

const storedMessage = z.object({ id: z.string().nullish() }).passthrough();

export function createSinchConversationProvider(options: SinchConversationOptions): Provider {
  for (const key of ['projectId', 'appId', 'keyId', 'keySecret', 'webhookSecret'] as const) {
    if (!options[key]) throw new TypeError(`sinch-conversation needs ${key}`);
  }
  if (!URL.canParse(options.baseUrl)) throw new TypeError(`sinch-conversation baseUrl: ${options.baseUrl}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client: ConversationClient = {
    baseUrl: options.baseUrl,
    projectId: options.projectId,
    appId: options.appId,
    smsSender: options.smsSender,
    timeoutMs,
    dispatcher: options.dispatcher,
    tokens: bearerSource({
      keyId: options.keyId,
      keySecret: options.keySecret,
      authUrl: options.authUrl ?? SINCH_AUTH_URL,
      timeoutMs,
      dispatcher: options.dispatcher,
    }),
  };
  return {
    id: 'sinch-conversation',
    maxBatch: 1,
    // Customers write to the app (its RCS agent), not to a number: the app id names our side.
    defaultSender: options.appId,
    businessId: options.appId,
    defaultChannel: 'rcs',
    send: (requests) => sendConversationMessages(client, requests),
    getStatus: (id) => getStoredMessage(client, id),
    parseWebhook: (request) => parseConversationWebhook(request, { businessId: options.appId }),
    verifyWebhook: (request) => checkConversationSignature(request, options.webhookSecret),
    requiresSignature: true,
    textLimits: {
      rcs: { maxChars: RCS_MAX_TEXT, source: 'RCS takes at most 3,072 characters a message' },
      // [I] The SMS fallback carries the same text; Sinch does not document a lower SMS cap.
      sms: {
        maxChars: RCS_MAX_TEXT,
        source: 'the Conversation API takes at most 3,072 characters a message',
      },
    },
    capabilities: {},
  };
}

/**
 * GET /messages/{id}: the Conversation API keeps messages but no delivery status on them, so a
 * found message reads `unknown` (receipts are what move our cards).
 */
async function getStoredMessage(client: ConversationClient, id: string): Promise<StatusResult> {
  const body = await callConversation(client, 'GET', `/messages/${encodeURIComponent(id)}`);
  const answer = readAnswer(
    storedMessage,
    body,
    { id: 'sinch-conversation', name: 'Sinch Conversation API' },
    'GET /messages/{id}',
  );
  return {
    providerMessageId: answer.id ?? id,
    status: 'unknown',
    vendorStatus: 'known to Sinch; the Conversation API keeps no delivery status',
    raw: body,
  };
}
