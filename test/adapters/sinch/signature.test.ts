import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSinchSignature, parseSinchPublicKeys } from '../../../adapters/sinch/signature.ts';
import type { WebhookRequest } from '../../../adapters/types.ts';

const KEY_ID = '7a2f3c1e-0b4d-4e5f-8a9b-1c2d3e4f5a6b';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const spkiBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

function signed(
  opts: { digest?: string; body?: string; date?: Date; key?: KeyObject; url?: string } = {},
): WebhookRequest {
  const body = Buffer.from(opts.body ?? '{"reply_id":"a175e797-2b54-468b-9850-41a3eab32f74"}');
  const date = (opts.date ?? new Date()).toUTCString();
  const digest = opts.digest ?? 'SHA-256';
  const url = opts.url ?? '/webhooks/sinch';
  // The documented signing input: request line, Date header, raw body, with no separators.
  const input = Buffer.concat([Buffer.from(`POST ${url} HTTP/1.1${date}`), body]);
  const signature = sign(digest.replace('-', '').toLowerCase(), input, opts.key ?? privateKey).toString(
    'base64',
  );
  return {
    method: 'POST',
    url,
    query: {},
    contentType: 'application/json',
    rawBody: body,
    headers: {
      date,
      'x-messagemedia-signature': signature,
      'x-messagemedia-digest-type': digest,
      'x-messagemedia-cipher-type': 'RSA',
      'x-messagemedia-key-id': KEY_ID,
    },
  };
}

describe('Sinch callback signatures', () => {
  const keys = parseSinchPublicKeys(`${KEY_ID}=${spkiBase64}`);

  it.each(['SHA-224', 'SHA256', 'SHA-512'])('accepts a valid %s signature', (digest) => {
    expect(checkSinchSignature(signed({ digest }), keys)).toBe('valid');
  });

  it('accepts a key given as PEM, and a bare key for any key id', () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(checkSinchSignature(signed(), parseSinchPublicKeys(pem))).toBe('valid');
  });

  it('says absent when the request carries no signature', () => {
    const req = signed();
    delete req.headers['x-messagemedia-signature'];
    expect(checkSinchSignature(req, keys)).toBe('absent');
  });

  it('refuses a changed body, another path, an unknown key, another signer and an old Date', () => {
    const tampered = { ...signed(), rawBody: Buffer.from('{"reply_id":"evil"}') };
    expect(checkSinchSignature(tampered, keys)).toBe('invalid');
    expect(checkSinchSignature({ ...signed(), url: '/webhooks/sinch?x=1' }, keys)).toBe('invalid');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(checkSinchSignature(signed({ key: other }), keys)).toBe('invalid');
    const unknownKey = signed();
    unknownKey.headers['x-messagemedia-key-id'] = '00000000-0000-0000-0000-000000000000';
    expect(checkSinchSignature(unknownKey, keys)).toBe('invalid');
    expect(checkSinchSignature(signed({ date: new Date(Date.now() - 20 * 60_000) }), keys)).toBe('invalid');
  });
});
