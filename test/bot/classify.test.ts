import { describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderNotFoundError,
  ProviderNotSupportedError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../adapters/errors.ts';
import { classify } from '../../bot/worker/classify.ts';
import { ParkJob, PermanentJobError } from '../../bot/worker/job-errors.ts';

/** The shape of botbuilder's RestError as the Bot Connector client throws it. */
function restError(statusCode: number, headers: Record<string, string> = {}, code?: string) {
  return Object.assign(new Error(`Operation returned ${statusCode}`), {
    name: 'RestError',
    statusCode,
    code,
    response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });
}

describe('classify: Teams (RestError)', () => {
  it.each([
    [429, 'retry'],
    [412, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [500, 'retry'],
    [408, 'retry'],
    [403, 'fail'],
    [404, 'fail'],
    [400, 'fail'],
    [401, 'fail'],
  ] as const)('%i → %s', (status, action) => {
    const verdict = classify(restError(status));
    expect(verdict.action).toBe(action);
    expect(verdict.reason).toContain(`Teams answered ${status}`);
    expect(verdict.reason).toContain(`Operation returned ${status}`);
  });

  it('honours a Retry-After in seconds', () => {
    expect(classify(restError(429, { 'retry-after': '7' })).retryAfterMs).toBe(7_000);
  });

  it('ignores a Retry-After it cannot read as seconds', () => {
    const verdict = classify(restError(429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }));
    expect(verdict.action).toBe('retry');
    expect(verdict.retryAfterMs).toBeUndefined();
  });

  it('names the error code when there is one', () => {
    expect(classify(restError(403, {}, 'BotNotInConversationRoster')).reason).toContain(
      '403 BotNotInConversationRoster',
    );
  });
});

describe('classify: network errors', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'REQUEST_SEND_ERROR',
  ])('%s is retried', (code) => {
    const verdict = classify(Object.assign(new Error('socket hang up'), { code }));
    expect(verdict.action).toBe('retry');
    expect(verdict.reason).toBe(`network error (${code}): socket hang up`);
  });

  it('finds the code on the cause (fetch)', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
    });
    expect(classify(err)).toEqual({ action: 'retry', reason: 'network error (ECONNRESET): fetch failed' });
  });
});

describe('classify: typed errors', () => {
  it('fails on errors retrying cannot fix', () => {
    for (const err of [
      new ProviderAuthError('bad key', 'sinch', 401),
      new ProviderValidationError('bad number', 'sinch', 400),
      new ProviderNotFoundError('no such message', 'sinch', 404),
      new ProviderNotSupportedError('no templates', 'sinch'),
      new PermanentJobError('message gone'),
    ]) {
      const verdict = classify(err);
      expect(verdict.action).toBe('fail');
      expect(verdict.reason).toBe(err.message);
      expect(verdict.retryAfterMs).toBeUndefined();
    }
  });

  it("retries a rate limit after the provider's delay", () => {
    expect(classify(new ProviderRateLimitError('slow down', 'sinch', 5_000))).toEqual({
      action: 'retry',
      retryAfterMs: 5_000,
      reason: 'slow down',
    });
    expect(classify(new ProviderRateLimitError('slow down', 'sinch')).retryAfterMs).toBeUndefined();
  });

  it('retries an unavailable provider, with its delay when given', () => {
    expect(classify(new ProviderUnavailableError('503', 'sinch', 503, 2_000))).toEqual({
      action: 'retry',
      retryAfterMs: 2_000,
      reason: '503',
    });
    expect(classify(new ProviderUnavailableError('timeout', 'sinch')).action).toBe('retry');
  });

  it('parks on ParkJob', () => {
    expect(classify(new ParkJob('no route yet'))).toEqual({ action: 'park', reason: 'no route yet' });
  });

  it('retries anything else, with its message', () => {
    expect(classify(new Error('something odd'))).toEqual({ action: 'retry', reason: 'something odd' });
    expect(classify('a string')).toEqual({ action: 'retry', reason: 'a string' });
  });
});
