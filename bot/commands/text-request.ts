/**
 * A `text` command's pending send, carried in the preview card's token: the card holds the whole
 * request, so nothing is kept on the server between the preview and the click.
 */
import { createHash } from 'node:crypto';
import type { ProviderId } from '../../adapters/types.ts';
import { PROVIDER_IDS } from './provider-arg.ts';

export interface TextRequest {
  provider: ProviderId;
  to: string;
  from?: string;
  text: string;
  /** The command's activity id: the same words sent by two commands are two messages. */
  nonce?: string;
}

/** A bound on what a token may carry; each provider's own limit is checked before sending. */
export const MAX_TEXT_LENGTH = 5000;

export function encodeTextRequest(req: TextRequest): string {
  return Buffer.from(JSON.stringify(req)).toString('base64url');
}

/**
 * The request a token carries, checked as the command checked it: a token comes back from a
 * card, so it is input like any other. Undefined when it is damaged or not one of ours.
 */
export function decodeTextRequest(token: string): TextRequest | undefined {
  let value: Partial<Record<keyof TextRequest, unknown>>;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { provider, to, from, text, nonce } = value;
  if (typeof provider !== 'string' || !(PROVIDER_IDS as readonly string[]).includes(provider))
    return undefined;
  if (typeof to !== 'string' || !E164.test(to)) return undefined;
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT_LENGTH) return undefined;
  if (from !== undefined && (typeof from !== 'string' || from === '')) return undefined;
  if (nonce !== undefined && typeof nonce !== 'string') return undefined;
  return {
    provider: provider as ProviderId,
    to,
    text,
    ...(from !== undefined ? { from } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The dedupe key of one send: the same preview clicked twice sends once. */
export function textRequestKey(token: string): string {
  return `text:${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}
