/**
 * The Conversation API's webhook signature (sinch-conversation.md §4): Base64(HMAC-SHA256(secret,
 * rawBody + "." + nonce + "." + timestamp)), in x-sinch-webhook-signature with the nonce and the
 * Unix-seconds timestamp in their own headers. The SDKs neither compare in constant time nor
 * check the timestamp; we do both, so a captured callback cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../types.ts';

export type SignatureCheck = 'valid' | 'invalid' | 'absent';

/** Callbacks older (or further in the future) than this are refused. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

export function signConversationBody(secret: string, body: string, nonce: string, timestamp: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${body}.${nonce}.${timestamp}`, 'utf8')
    .digest('base64');
}

export function checkConversationSignature(
  req: WebhookRequest,
  secret: string,
  now: number = Date.now(),
): SignatureCheck {
  const signature = req.headers['x-sinch-webhook-signature'];
  if (!signature) return 'absent';
  const nonce = req.headers['x-sinch-webhook-signature-nonce'];
  const timestamp = req.headers['x-sinch-webhook-signature-timestamp'];
  const algorithm = req.headers['x-sinch-webhook-signature-algorithm'];
  if (!nonce || !timestamp || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  // The only algorithm Sinch documents; an absent header is read as it (the Node SDK ignores it).
  if (algorithm !== undefined && algorithm.toLowerCase() !== 'hmacsha256') return 'invalid';
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) return 'invalid';
  const expected = Buffer.from(signConversationBody(secret, req.rawBody.toString('utf8'), nonce, timestamp));
  const given = Buffer.from(signature);
  // Same length first (timingSafeEqual throws otherwise); the length of a Base64 HMAC is public.
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}
