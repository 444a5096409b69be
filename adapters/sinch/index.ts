/**
 * Sinch (MessageMedia / Sinch Engage) behind the Provider interface.
 */
import type { Dispatcher } from 'undici';
import type { Provider, WebhookRequest } from '../types.ts';
import {
  findSinchSentMessage,
  getSinchMessageStatus,
  SINCH_MAX_BATCH,
  type SinchClientConfig,
  sendSinchMessages,
} from './api.ts';
import { listSinchSenders } from './senders.ts';
import { checkSinchSignature, parseSinchPublicKeys } from './signature.ts';
import { parseSinchWebhook } from './webhook.ts';

export interface SinchProviderOptions {
  apiKey: string;
  apiSecret: string;
  /** See sinchBaseUrl(). */
  baseUrl: string;
  sourceNumber?: string;
  /** Public URL of our Sinch webhook route; set on every message so reports come back to us. */
  callbackUrl?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Public keys of Sinch secure callbacks, by key id (see signature.ts); enables verifyWebhook. */
  signatureKeys?: string;
}

/** Long enough for a 100-message batch, short enough not to hold a worker for long. */
const DEFAULT_TIMEOUT_MS = 15_000;

export type SinchRegion = 'messagemedia' | 'eu' | 'au';

const BASE_URLS: Record<SinchRegion, string> = {
  // MessageMedia (APAC) and the two Sinch Engage instances expose the same /v1 API (README §1.1).
  messagemedia: 'https://api.messagemedia.com',
  eu: 'https://eu.app.api.sinch.com',
  au: 'https://au.app.api.sinch.com',
};

export function sinchBaseUrl(region: SinchRegion): string {
  return BASE_URLS[region];
}

export function createSinchProvider(options: SinchProviderOptions): Provider {
  if (!options.apiKey || !options.apiSecret) throw new TypeError('Sinch needs both apiKey and apiSecret');
  if (!URL.canParse(options.baseUrl)) throw new TypeError(`Sinch baseUrl is not a URL: ${options.baseUrl}`);
  const config: SinchClientConfig = {
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    baseUrl: options.baseUrl,
    sourceNumber: options.sourceNumber,
    callbackUrl: options.callbackUrl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    dispatcher: options.dispatcher,
  };
  const keys = options.signatureKeys ? parseSinchPublicKeys(options.signatureKeys) : undefined;
  return {
    id: 'sinch',
    maxBatch: SINCH_MAX_BATCH,
    ...(options.sourceNumber ? { defaultSender: options.sourceNumber } : {}),
    sendOptions: ['metadata'],
    send: (requests) => sendSinchMessages(config, requests),
    getStatus: (providerMessageId) => getSinchMessageStatus(config, providerMessageId),
    findSent: (request, since) => findSinchSentMessage(config, request, since),
    parseWebhook: (request) => parseSinchWebhook(request),
    ...(keys ? { verifyWebhook: (request: WebhookRequest) => checkSinchSignature(request, keys) } : {}),
    textLimits: {
      // "content: 1–5000 characters" (POST /v1/messages); MMS carries the same field.
      sms: { maxChars: 5000, source: 'Sinch takes at most 5,000 characters a message' },
      mms: { maxChars: 5000, source: 'Sinch takes at most 5,000 characters a message' },
    },
    capabilities: { senders: { listSenders: () => listSinchSenders(config) } },
  };
}
