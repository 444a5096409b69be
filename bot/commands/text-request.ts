/**
 * A `text` command's pending send, carried in the preview card's token: the card holds the whole
 * request, so nothing is kept on the server between the preview and the click.
 */
import { createHash } from 'node:crypto';
import type { ProviderId, SendOptions } from '../../adapters/types.ts';
import { MAX_AGENT_TEXT } from '../../cards/limits.ts';
import { PROVIDER_IDS } from './provider-arg.ts';
import { MAX_RECIPIENTS } from './text-args.ts';

export interface TextRequest {
  provider: ProviderId;
  to: string;
  from?: string;
  text: string;
  /** The command's activity id: the same words sent by two commands are two messages. */
  nonce?: string;
  /** Per-send options (Sinch metadata, Retarus job options). */
  options?: SendOptions;
}

/** A `text` to one or more numbers: each number gets its own thread and message. */
export type TextBatch = Omit<TextRequest, 'to'> & { to: string[] };

export function encodeTextRequest(req: TextBatch): string {
  return Buffer.from(JSON.stringify(req)).toString('base64url');
}

/**
 * The request a token carries, checked as the command checked it: a token comes back from a
 * card, so it is input like any other. Undefined when it is damaged or not one of ours.
 */
export function decodeTextRequest(token: string): TextBatch | undefined {
  let value: Partial<Record<keyof TextRequest, unknown>>;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof value;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { provider, from, text, nonce, options } = value;
  // Tokens made before several numbers were allowed carry one number as a string.
  const to = typeof value.to === 'string' ? [value.to] : value.to;
  if (typeof provider !== 'string' || !(PROVIDER_IDS as readonly string[]).includes(provider))
    return undefined;
  if (!Array.isArray(to) || to.length === 0 || to.length > MAX_RECIPIENTS) return undefined;
  if (!to.every((n): n is string => typeof n === 'string' && E164.test(n))) return undefined;
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_AGENT_TEXT) return undefined;
  if (from !== undefined && (typeof from !== 'string' || from === '')) return undefined;
  if (nonce !== undefined && typeof nonce !== 'string') return undefined;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options)))
    return undefined;
  return {
    provider: provider as ProviderId,
    to,
    text,
    ...(from !== undefined ? { from } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
    ...(options !== undefined ? { options: options as SendOptions } : {}),
  };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The dedupe key of one send: the same preview clicked twice sends once. */
export function textRequestKey(token: string): string {
  return `text:${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}
