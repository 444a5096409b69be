/**
 * Sinch "secure callbacks" (account feature API_SECURE_CALLBACKS): an RSA signature over
 * `<request line><Date header><raw body>` with no separators, as the official webhook SDKs
 * compute it (messagemedia/enterprise-webhooks-*). Headers: X-MessageMedia-Signature (base64),
 * -Digest-Type (SHA224|SHA256|SHA512, also written SHA-512), -Cipher-Type (RSA), -Key-Id.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { WebhookRequest } from '../types.ts';

export type SignatureCheck = 'valid' | 'invalid' | 'absent';

const DIGESTS: Record<string, string> = { SHA224: 'sha224', SHA256: 'sha256', SHA512: 'sha512' };

/**
 * How far the Date header may be from our clock. Sinch documents no window (NOT FOUND); 15 min
 * tolerates clock drift and their retries while still refusing old replays.
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * Parses comma-separated `keyId=<base64 SPKI>` pairs, or one bare key (base64 SPKI or PEM) that
 * serves any key id.
 */
export function parseSinchPublicKeys(value: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  if (value.includes('BEGIN PUBLIC KEY')) return keys.set('*', createPublicKey(value));
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const hasId = eq > 0 && /^[0-9a-f-]{36}$/i.test(entry.slice(0, eq));
    const id = hasId ? entry.slice(0, eq) : '*';
    keys.set(id, toKey(hasId ? entry.slice(eq + 1) : entry));
  }
  return keys;
}

function toKey(material: string): KeyObject {
  if (material.includes('BEGIN PUBLIC KEY')) return createPublicKey(material);
  // The API returns bare base64 of the DER SubjectPublicKeyInfo.
  return createPublicKey({ key: Buffer.from(material, 'base64'), format: 'der', type: 'spki' });
}

export function checkSinchSignature(
  req: WebhookRequest,
  keys: Map<string, KeyObject>,
  now: number = Date.now(),
): SignatureCheck {
  const signature = req.headers['x-messagemedia-signature'];
  if (!signature) return 'absent';
  const digest =
    DIGESTS[(req.headers['x-messagemedia-digest-type'] ?? 'SHA256').replace(/-/g, '').toUpperCase()];
  const cipher = (req.headers['x-messagemedia-cipher-type'] ?? 'RSA').toUpperCase();
  const key = keys.get(req.headers['x-messagemedia-key-id'] ?? '') ?? keys.get('*');
  const date = req.headers['date'];
  if (!digest || cipher !== 'RSA' || !key || !date) return 'invalid';
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt) || Math.abs(now - sentAt) > MAX_CLOCK_SKEW_MS) return 'invalid';
  const signed = Buffer.concat([Buffer.from(`${req.method} ${req.url} HTTP/1.1${date}`), req.rawBody]);
  try {
    return verify(digest, signed, key, Buffer.from(signature, 'base64')) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
