/**
 * Bad input on the webhook route: each is refused with a precise status and message, stores
 * nothing, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postWebhook, startSinchHarness, WEBHOOK_SECRET } from '../helpers/sinch-app.ts';

describe('POST /webhooks/sinch refuses bad input', () => {
  let h: Harness;
  let valid: Record<string, unknown>;
  beforeAll(async () => {
    h = await startSinchHarness({ WEBHOOK_BODY_LIMIT: '4096' });
    valid = h.sinch.inboundBody({ from: '+61491570156', to: '+61491570000', text: 'hello' });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function nothingStored() {
    expect(await h.app.store.countJobs()).toBe(0);
    const rows = await h.app.store.db.selectFrom('events').select('key').execute();
    expect(rows).toHaveLength(0);
  }

  it.each([
    ['no secret', { secret: '' }],
    ['a wrong secret', { secret: 'not-the-secret-at-all' }],
    ['a secret that is a prefix of the right one', { secret: WEBHOOK_SECRET.slice(0, -1) }],
  ])('answers 401 to %s', async (_name, opts) => {
    const res = await postWebhook(h.url, valid, opts);
    expect(res).toEqual({ status: 401, body: { error: 'missing or wrong webhook secret' } });
    await nothingStored();
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await postWebhook(h.url, '{"reply_id": ');
    expect(res.status).toBe(400);
    expect(String(res.body['error'])).toMatch(/JSON/i);
    await nothingStored();
  });

  it('answers 415 to a wrong content type', async () => {
    const res = await postWebhook(h.url, 'reply_id=1', { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body['error']).toContain('application/json');
    await nothingStored();
  });

  it('answers 413 to an oversized body', async () => {
    const res = await postWebhook(h.url, { ...valid, content: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body['error']).toContain('4096');
    await nothingStored();
  });

  it('answers 400 naming the field to valid JSON of the wrong shape', async () => {
    const { source_number: _dropped, ...withoutSender } = valid;
    const res = await postWebhook(h.url, withoutSender);
    expect(res.status).toBe(400);
    expect(res.body['error']).toContain('source_number');
    const odd = await postWebhook(h.url, { hello: 'world' });
    expect(odd.status).toBe(400);
    await nothingStored();
  });

  it('answers 404 for a provider that is not enabled, saying why', async () => {
    const res = await postWebhook(h.url, valid, { path: '/webhooks/retarus' });
    expect(res.status).toBe(404);
    expect(res.body['error']).toContain('retarus is not enabled');
    await nothingStored();
  });

  it('answers 404 to an unknown provider, object members included, and labels its metric "unknown"', async () => {
    for (const name of ['twilio', 'constructor', '__proto__', 'toString']) {
      const res = await postWebhook(h.url, valid, { path: `/webhooks/${name}` });
      expect(res).toEqual({ status: 404, body: { error: `unknown provider "${name}"` } });
    }
    await nothingStored();
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('textbridge_webhook_requests_total{provider="unknown",status="404"} 4');
    expect(metrics).not.toContain('provider="twilio"');
  });

  // The report's hostile requests: limits come before any parsing, numbers are numbers.
  it.each([
    [
      'one field nested 600 deep (as the request that crash-looped the bot)',
      `{"reply_id":"r1","source_number":"+61411111111","content":"x","x":${'{"a":'.repeat(600)}1${'}'.repeat(600)}}`,
      'the body is nested deeper than 32 levels',
    ],
    [
      'a duplicate key',
      '{"reply_id":"r1","source_number":"+61411111111","content":"x","content":"y"}',
      'appears twice',
    ],
    [
      'a prototype key',
      '{"reply_id":"r1","source_number":"+61411111111","content":"x","__proto__":{"a":1}}',
      '"__proto__"',
    ],
    ['NUL as the customer number', '{"reply_id":"r1","source_number":"\\u0000","content":"x"}', 'NUL'],
    [
      'words as the customer number',
      '{"reply_id":"r1","source_number":"call me maybe","content":"x"}',
      'is not an international phone number',
    ],
    [
      'a number too short for its country',
      '{"reply_id":"r1","source_number":"+6141","content":"x"}',
      'is not an international phone number',
    ],
    [
      'a sentence as the business number',
      '{"reply_id":"r1","source_number":"+61411111111","destination_number":"our number, roughly","content":"x"}',
      'is neither a phone number',
    ],
  ])('answers 400 to %s and stores nothing', async (_name, body, why) => {
    const res = await postWebhook(h.url, body);
    expect(res.status).toBe(400);
    expect(String(res.body['error'])).toContain(why);
    await nothingStored();
  });

  it('accepts the secret as a query parameter or as the Basic auth password', async () => {
    const viaQuery = await fetch(`${h.url}/webhooks/sinch?secret=${encodeURIComponent(WEBHOOK_SECRET)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(h.sinch.inboundBody({ from: '+61491570156', to: '+61491570000', text: 'q' })),
    });
    expect(viaQuery.status).toBe(200);
    const viaBasic = await fetch(`${h.url}/webhooks/sinch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`sinch:${WEBHOOK_SECRET}`).toString('base64')}`,
      },
      body: JSON.stringify(h.sinch.inboundBody({ from: '+61491570156', to: '+61491570000', text: 'b' })),
    });
    expect(viaBasic.status).toBe(200);
  });

  it('keeps serving after all of that', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('textbridge_webhook_requests_total{provider="sinch",status="401"} 3');
    // The queue and the instance, as several instances report them.
    expect(metrics).toMatch(/^textbridge_jobs_pending \d+$/m);
    expect(metrics).toMatch(/^textbridge_jobs_oldest_wait_seconds [\d.]+$/m);
    expect(metrics).toMatch(/^textbridge_job_lease_takeovers_total 0$/m);
    expect(metrics).toMatch(/^textbridge_instance_info\{instance_id="[^"]+",store="sqlite"\} 1$/m);
  });
});
