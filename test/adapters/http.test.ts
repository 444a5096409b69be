/** The shared HTTP helper: which failures are worth a retry, and what the provider said. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProviderError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../adapters/errors.ts';
import { requestJson } from '../../adapters/http.ts';
import { freePort } from '../helpers/ports.ts';
import { rejection } from '../helpers/rejection.ts';

let server: Server;
let url: string;
/** The next answer: status, body. */
let next: [number, unknown] = [200, {}];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const [status, body] = next;
    res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '7' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const call = (over: Partial<Parameters<typeof requestJson>[0]> = {}) =>
  requestJson({ provider: 'acme', method: 'POST', url: `${url}/send`, body: {}, timeoutMs: 2_000, ...over });

describe('requestJson', () => {
  it('takes a refused connection for an outage, worth a retry', async () => {
    const port = await freePort();
    const err = await rejection(call({ url: `http://127.0.0.1:${port}/send` }));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect((err as Error).message).toBe(`acme: could not connect to 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('rethrows a mistake of ours as it is, not as an outage to retry', async () => {
    const badHeader = await rejection(call({ headers: { 'x-note': 'two\nlines' } }));
    expect(badHeader).not.toBeInstanceOf(ProviderError);
    const badUrl = await rejection(call({ url: 'not a url' }));
    expect(badUrl).not.toBeInstanceOf(ProviderError);
  });

  it("keeps SmartDialog's errorMessage in any casing, for 4xx and 429 alike", async () => {
    next = [422, { ErrorMessage: 'Content contains invalid characters' }];
    const invalid = await rejection(call());
    expect(invalid).toBeInstanceOf(ProviderValidationError);
    expect((invalid as Error).message).toBe(
      'acme rejected the request (HTTP 422): Content contains invalid characters',
    );
    next = [429, { errorMessage: 'Too many requests for this service' }];
    const limited = await rejection(call());
    expect(limited).toBeInstanceOf(ProviderRateLimitError);
    expect((limited as ProviderRateLimitError).retryAfterMs).toBe(7_000);
    expect((limited as Error).message).toBe(
      'acme is rate limiting us (HTTP 429): Too many requests for this service',
    );
  });
});
