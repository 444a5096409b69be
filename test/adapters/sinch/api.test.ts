import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderNotSupportedError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../../adapters/errors.ts';
import { createSinchProvider, sinchBaseUrl } from '../../../adapters/sinch/index.ts';
import type { OutboundRequest, Provider } from '../../../adapters/types.ts';
import { type FakeSinch, startFakeSinch } from '../../fakes/sinch.ts';
import { rejection } from '../../helpers/rejection.ts';

const KEY = 'k'.repeat(20);
const SECRET = 's'.repeat(30);
const CALLBACK = 'https://bot.example/webhooks/sinch';

let fake: FakeSinch;
let sinch: Provider;

beforeEach(async () => {
  fake = await startFakeSinch({ apiKey: KEY, apiSecret: SECRET });
  sinch = provider();
});

afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<Parameters<typeof createSinchProvider>[0]> = {}): Provider {
  return createSinchProvider({
    apiKey: KEY,
    apiSecret: SECRET,
    baseUrl: fake.url,
    sourceNumber: '+61491570157',
    callbackUrl: CALLBACK,
    timeoutMs: 2000,
    ...overrides,
  });
}

function outbound(n: number, overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    provider: 'sinch',
    to: `+614915${String(70000 + n).padStart(5, '0')}`,
    text: `Hello number ${n}`,
    channel: 'sms',
    correlationId: `msg-${n}`,
    idempotencyKey: `idem-${n}`,
    ...overrides,
  };
}

describe('sinchBaseUrl', () => {
  it('knows the three hosts', () => {
    expect(sinchBaseUrl('messagemedia')).toBe('https://api.messagemedia.com');
    expect(sinchBaseUrl('eu')).toBe('https://eu.app.api.sinch.com');
    expect(sinchBaseUrl('au')).toBe('https://au.app.api.sinch.com');
  });
});

describe('send', () => {
  it('sends one message in the documented shape with Basic auth', async () => {
    const [result] = await sinch.send([outbound(1)]);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/v1/messages' });
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`);
    expect(req!.body).toEqual({
      messages: [
        {
          content: 'Hello number 1',
          destination_number: '+61491570001',
          source_number: '+61491570157',
          delivery_report: true,
          callback_url: CALLBACK,
          format: 'SMS',
          metadata: { tb_message_id: 'msg-1' },
        },
      ],
    });
    expect(result).toEqual({
      correlationId: 'msg-1',
      providerMessageId: fake.sent[0]!.message_id,
      status: 'queued',
      vendorStatus: 'queued',
    });
    expect(result!.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('splits 150 messages into calls of 100 and 50 and keeps request order', async () => {
    const requests = Array.from({ length: 150 }, (_, i) => outbound(i));
    const results = await sinch.send(requests);
    const sizes = fake.requests.map((req) => (req.body as { messages: unknown[] }).messages.length);
    expect(sizes).toEqual([100, 50]);
    expect(results.map((r) => r.correlationId)).toEqual(requests.map((r) => r.correlationId));
    expect(results.map((r) => r.providerMessageId)).toEqual(fake.sent.map((m) => m.message_id));
    expect(fake.sent.map((m) => m.metadata?.['tb_message_id'])).toEqual(requests.map((r) => r.correlationId));
    expect(fake.sent.map((m) => m.destination_number)).toEqual(requests.map((r) => r.to));
  });

  it('sends MMS with its media, and an alpha sender with its type', async () => {
    const media = ['https://cdn.example/a.png'];
    await sinch.send([outbound(1, { channel: 'mms', media, from: 'ACME' })]);
    expect(fake.sent[0]).toMatchObject({
      format: 'MMS',
      media,
      source_number: 'ACME',
      source_number_type: 'ALPHANUMERIC',
    });
  });

  it('leaves out source_number and callback_url when none is configured', async () => {
    await provider({ sourceNumber: undefined, callbackUrl: undefined }).send([outbound(1)]);
    expect(fake.sent[0]).not.toHaveProperty('source_number');
    expect(fake.sent[0]).not.toHaveProperty('callback_url');
  });

  it('refuses channels Sinch cannot send, before any call', async () => {
    const err = await rejection(sinch.send([outbound(1, { channel: 'rcs' })]));
    expect(err).toBeInstanceOf(ProviderNotSupportedError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('maps wrong credentials to ProviderAuthError', async () => {
    const err = await rejection(provider({ apiSecret: 'wrong' }).send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ status: 401, provider: 'sinch' });
    expect(err.message).toContain('Invalid authentication credentials');
  });

  it('maps 400 to ProviderValidationError carrying message and details', async () => {
    const details = ['/messages/0/destination_number: International address contains invalid characters.'];
    fake.failNext(1, 400, { message: 'Request failed to parse correctly.', details });
    const err = await rejection(sinch.send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err).toMatchObject({ status: 400, details });
    expect(err.message).toBe(
      `sinch rejected the request (HTTP 400): Request failed to parse correctly.: ${details[0]}`,
    );
  });

  it('gets the fake’s own 400 for a destination longer than 15 characters', async () => {
    const err = await rejection(sinch.send([outbound(1, { to: '+12345678901234567' })]));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect((err as ProviderValidationError).details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/messages\/0\/destination_number: /)]),
    );
    expect(fake.sent).toHaveLength(0);
  });

  it('maps 422 and 409 to ProviderValidationError', async () => {
    fake.failNext(1, 422, { message: 'TLS 1.3 required for +65' });
    expect(await rejection(sinch.send([outbound(1)]))).toBeInstanceOf(ProviderValidationError);
    fake.failNext(1, 409, { message: 'A webhook with the given url and method already exists.' });
    expect(await rejection(sinch.send([outbound(1)]))).toBeInstanceOf(ProviderValidationError);
  });

  it('maps an unknown message id to ProviderNotFoundError', async () => {
    const err = await rejection(sinch.getStatus('389dc1a8-62a4-4110-ba61-af94806c006f'));
    expect(err).toBeInstanceOf(ProviderNotFoundError);
    expect(err.message).toContain('Resource not found.');
  });

  it('maps 429 with Retry-After seconds to ProviderRateLimitError', async () => {
    fake.failNext(1, 429, { message: 'Too many requests' }, { 'retry-after': '2' });
    const err = await rejection(sinch.send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderRateLimitError);
    expect(err).toMatchObject({ retryAfterMs: 2000, retryable: true, status: 429 });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    fake.failNext(1, 429, undefined, { 'retry-after': at });
    const err = (await rejection(sinch.send([outbound(1)]))) as ProviderRateLimitError;
    expect(err.retryAfterMs).toBeGreaterThan(25_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('maps 503 to ProviderUnavailableError with its Retry-After', async () => {
    fake.failNext(1, 503, { message: 'Service Unavailable' }, { 'retry-after': '7' });
    const err = await rejection(sinch.getStatus('any'));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ status: 503, retryAfterMs: 7000, retryable: true });
  });

  it('maps a request that never gets an answer to a timeout', async () => {
    fake.hangNext(1);
    const err = await rejection(provider({ timeoutMs: 150 }).send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toMatch(/timed out after 150 ms/);
  });

  it('maps a refused connection to ProviderUnavailableError naming the host', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((done) => closed.close(() => done()));
    const err = await rejection(provider({ baseUrl: `http://127.0.0.1:${port}` }).getStatus('x'));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toMatch(new RegExp(`could not connect to 127\\.0\\.0\\.1:${port}`));
  });
});

describe('getStatus', () => {
  it('reads the status of a sent message', async () => {
    const [sent] = await sinch.send([outbound(1)]);
    expect(await sinch.getStatus(sent!.providerMessageId)).toMatchObject({
      providerMessageId: sent!.providerMessageId,
      status: 'queued',
      vendorStatus: 'queued',
    });
    fake.sent[0]!.status = 'rejected';
    expect(await sinch.getStatus(sent!.providerMessageId)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/rejected/),
    });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v1/messages/${sent!.providerMessageId}`,
    });
  });
});

describe('findSent', () => {
  it('finds a message sent under our correlation id', async () => {
    const since = new Date();
    await sinch.send([outbound(1), outbound(2), outbound(3)]);
    const found = await sinch.findSent!(outbound(2), since);
    expect(found).toEqual({
      correlationId: 'msg-2',
      providerMessageId: fake.sent[1]!.message_id,
      status: 'queued',
      vendorStatus: 'queued',
    });
    const query = fake.requests.at(-1)!;
    expect(query).toMatchObject({ method: 'POST', path: '/v2-preview/reporting/messages/detail' });
    expect(query.body).toMatchObject({
      direction: 'outbound',
      metadata_key: 'tb_message_id',
      metadata_value: 'msg-2',
    });
  });

  it('returns undefined when no message carries the correlation id', async () => {
    await sinch.send([outbound(1)]);
    expect(await sinch.findSent!(outbound(9), new Date())).toBeUndefined();
  });
});

describe('Sinch sender ids', () => {
  it('lists approved sender addresses and dedicated numbers, marking the configured default', async () => {
    const fake = await startFakeSinch({ apiKey: 'k'.repeat(20), apiSecret: 's'.repeat(30) });
    try {
      const provider = createSinchProvider({
        apiKey: 'k'.repeat(20),
        apiSecret: 's'.repeat(30),
        baseUrl: fake.url,
        sourceNumber: '+61491570000',
      });
      const senders = await provider.capabilities.senders?.listSenders();
      expect(senders).toEqual([
        { id: 'Contoso', label: 'Brand name', kind: 'alphanumeric' },
        {
          id: '+61491570000',
          kind: 'number',
          label: 'Support line',
          capabilities: ['SMS', 'MMS'],
          isDefault: true,
        },
      ]);
      expect(fake.requests.map((r) => r.path)).toEqual([
        '/v1/messaging/numbers/sender_address/addresses',
        '/v1/messaging/numbers/dedicated/assignments',
      ]);
    } finally {
      await fake.close();
    }
  });
});
