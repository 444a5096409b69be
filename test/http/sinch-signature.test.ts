/**
 * Sinch signed callbacks through the real route: a correctly signed request is accepted without
 * the shared secret, a wrongly signed one is refused even with it. And a customer's STOP keyword
 * marks the number, whichever provider carried it.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSinchHarness, WEBHOOK_SECRET } from '../helpers/sinch-app.ts';
import { eventually } from '../helpers/wait.ts';

const KEY_ID = '7a2f3c1e-0b4d-4e5f-8a9b-1c2d3e4f5a6b';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function signedPost(url: string, body: string, opts: { secret?: boolean; tamper?: boolean } = {}) {
  const date = new Date().toUTCString();
  const input = Buffer.concat([Buffer.from(`POST /webhooks/sinch HTTP/1.1${date}`), Buffer.from(body)]);
  const signature = sign('sha256', input, privateKey).toString('base64');
  return fetch(`${url}/webhooks/sinch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      date,
      'x-messagemedia-signature': signature,
      'x-messagemedia-digest-type': 'SHA-256',
      'x-messagemedia-cipher-type': 'RSA',
      'x-messagemedia-key-id': KEY_ID,
      ...(opts.secret ? { 'x-webhook-secret': WEBHOOK_SECRET } : {}),
    },
    body: opts.tamper ? body.replace('Hello', 'Hallo') : body,
  });
}

describe('Sinch signed callbacks', () => {
  let h: Harness;
  beforeAll(async () => {
    const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    h = await startSinchHarness({ SINCH_SIGNATURE_KEYS: `${KEY_ID}=${spki}` });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('accepts a correctly signed callback without the secret', async () => {
    const body = JSON.stringify(
      h.sinch.inboundBody({ from: '+61491570156', to: '+61491570000', text: 'Hello signed' }),
    );
    expect((await signedPost(h.url, body)).status).toBe(200);
  });

  it('refuses a callback whose body changed after signing, even with the secret', async () => {
    const body = JSON.stringify(
      h.sinch.inboundBody({ from: '+61491570156', to: '+61491570000', text: 'Hello again' }),
    );
    const res = await signedPost(h.url, body, { secret: true, tamper: true });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toContain('signature does not match');
  });

  it('marks a customer who texts STOP as opted out', async () => {
    const body = JSON.stringify(
      h.sinch.inboundBody({ from: '+61491570111', to: '+61491570000', text: 'Stop' }),
    );
    expect((await signedPost(h.url, body)).status).toBe(200);
    await eventually('the opt-out', () => h.app.store.isOptedOut('+61491570111'));
    expect(await h.app.store.isOptedOut('+61491570156')).toBe(false);
  });
});
