/**
 * A `text` command's pending send, carried in the preview card's token: the card holds the whole
 * request, so nothing is kept on the server between the preview and the click.
 */
import { createHash } from 'node:crypto';
import type { ProviderId } from '../../adapters/types.ts';

export interface TextRequest {
  provider: ProviderId;
  to: string;
  from?: string;
  text: string;
}

export function encodeTextRequest(req: TextRequest): string {
  return Buffer.from(JSON.stringify(req)).toString('base64url');
}

export function decodeTextRequest(token: string): TextRequest | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TextRequest>;
    if (
      typeof value.provider !== 'string' ||
      typeof value.to !== 'string' ||
      typeof value.text !== 'string'
    ) {
      return undefined;
    }
    return value as TextRequest;
  } catch {
    return undefined;
  }
}

/** The dedupe key of one send: the same preview clicked twice sends once. */
export function textRequestKey(token: string): string {
  return `text:${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}
