import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderUnavailableError,
} from '../../../adapters/errors.ts';
import {
  createTokenSource,
  SMARTDIALOG_SCOPES,
  type TokenSource,
} from '../../../adapters/smartdialog/auth.ts';
import { createSmartDialogProvider, SMARTDIALOG_TOKEN_URL } from '../../../adapters/smartdialog/index.ts';
import type { OutboundRequest, Provider } from '../../../adapters/types.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../../fakes/smartdialog.ts';
import { rejection } from '../../helpers/rejection.ts';

let fake: FakeSmartDialog;
let clock: number;

beforeEach(async () => {
  clock = Date.parse('2025-03-14T12:00:00Z');
  fake = await startFakeSmartDialog({ tokens: ['static-token'], expiresIn: 3600 });
});

afterEach(async () => {
  await fake.close();
});

function oauth(overrides: { refreshToken?: string; clientSecret?: string; scopes?: string[] } = {}) {
  return {
    clientId: 'fake-client',
    clientSecret: overrides.clientSecret ?? 'fake-secret',
    refreshToken: overrides.refreshToken ?? 'fake-refresh-token-0',
    tokenUrl: fake.tokenUrl,
    ...(overrides.scopes ? { scopes: overrides.scopes } : {}),
  };
}

function source(overrides: Parameters<typeof oauth>[0] = {}): TokenSource {
  return createTokenSource(oauth(overrides), { timeoutMs: 2000, now: () => clock });
}

describe('constants from the connector (apiProperties.json)', () => {
  it('names the B2C token URL and the eight scopes', () => {
    expect(SMARTDIALOG_TOKEN_URL).toBe(
      'https://arenafi.b2clogin.com/arenafi.onmicrosoft.com/B2C_1A_SmartDialog_Integrations/oauth2/v2.0/token',
    );
    expect(SMARTDIALOG_SCOPES).toHaveLength(8);
    expect(SMARTDIALOG_SCOPES[0]).toBe('offline_access');
    expect(SMARTDIALOG_SCOPES).toContain(
      'https://arenafi.onmicrosoft.com/smartdialog-integrations-api/Discussion.Reply',
    );
  });
});

describe('static token', () => {
  it('always gives the configured token and has nothing to renew', async () => {
    const tokens = createTokenSource({ accessToken: 'abc' }, { timeoutMs: 1000 });
    expect(await tokens.token()).toBe('abc');
    expect(await tokens.renew('abc')).toBeUndefined();
  });

  it('refuses incomplete settings', () => {
    expect(() => createTokenSource({ accessToken: '' }, { timeoutMs: 1 })).toThrow('accessToken is empty');
    expect(() => createTokenSource({ ...oauth(), clientSecret: '' }, { timeoutMs: 1 })).toThrow(
      'clientSecret',
    );
    expect(() => createTokenSource({ ...oauth(), tokenUrl: 'nope' }, { timeoutMs: 1 })).toThrow('not a URL');
  });
});

describe('refresh-token flow', () => {
  it('posts the form B2C expects, with the connector scopes', async () => {
    const token = await source().token();
    expect(token).toMatch(/^fake-access-1-/);
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.tokenRequests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(fake.tokenRequests[0]!.body).toEqual({
      grant_type: 'refresh_token',
      client_id: 'fake-client',
      client_secret: 'fake-secret',
      refresh_token: 'fake-refresh-token-0',
      scope: SMARTDIALOG_SCOPES.join(' '),
    });
  });

  it('sends other scopes when told', async () => {
    await source({ scopes: ['offline_access'] }).token();
    expect(fake.tokenRequests[0]!.body).toMatchObject({ scope: 'offline_access' });
  });

  it('caches the token until a minute before expiry, then refreshes with the rotated refresh token', async () => {
    const tokens = source();
    const first = await tokens.token();
    clock += 3600_000 - 60_001;
    expect(await tokens.token()).toBe(first);
    expect(fake.refreshCount).toBe(1);
    clock += 2;
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(fake.refreshCount).toBe(2);
    expect(fake.tokenRequests[1]!.body).toMatchObject({ refresh_token: 'fake-refresh-token-1' });
  });

  it('uses a short-lived token for half its life', async () => {
    await fake.close();
    fake = await startFakeSmartDialog({ expiresIn: 60 });
    const tokens = source();
    const first = await tokens.token();
    clock += 29_000;
    expect(await tokens.token()).toBe(first);
    clock += 2000;
    expect(await tokens.token()).not.toBe(first);
  });

  it('keeps the refresh token when the answer has none, and reads expires_in given as text', async () => {
    fake.failNextToken(1, 200, { access_token: 'plain', expires_in: '120' });
    const tokens = source();
    expect(await tokens.token()).toBe('plain');
    clock += 61_000;
    await tokens.token();
    expect(fake.tokenRequests[1]!.body).toMatchObject({ refresh_token: 'fake-refresh-token-0' });
  });

  it('assumes B2C’s hour when expires_in is missing', async () => {
    fake.failNextToken(1, 200, { access_token: 'no-expiry' });
    const tokens = source();
    await tokens.token();
    clock += 3500_000;
    expect(await tokens.token()).toBe('no-expiry');
    clock += 60_000;
    expect(await tokens.token()).not.toBe('no-expiry');
  });

  it('lets concurrent callers share one refresh', async () => {
    const tokens = source();
    const all = await Promise.all(Array.from({ length: 5 }, () => tokens.token()));
    expect(new Set(all).size).toBe(1);
    expect(fake.refreshCount).toBe(1);
  });

  it('renews a refused token once for all callers, and not at all when it was already replaced', async () => {
    const tokens = source();
    const refused = await tokens.token();
    const renewed = await Promise.all([tokens.renew(refused), tokens.renew(refused), tokens.renew(refused)]);
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(refused);
    expect(fake.refreshCount).toBe(2);
    expect(await tokens.renew(refused)).toBe(renewed[0]);
    expect(fake.refreshCount).toBe(2);
  });

  it('says the refresh token needs renewing when B2C refuses it', async () => {
    const err = await rejection(source({ refreshToken: 'revoked' }).token());
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ status: 400, provider: 'smartdialog' });
    expect(err.message).toContain('invalid_grant: AADB2C90080');
    expect(err.message).toContain('refresh token or client secret needs renewing');
  });

  it('maps a wrong client secret to ProviderAuthError', async () => {
    const err = await rejection(source({ clientSecret: 'wrong' }).token());
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err.message).toContain('invalid_client');
  });

  it('maps 429 and 5xx of the token endpoint to retryable errors, and tries again on the next call', async () => {
    fake.failNextToken(1, 429, { error: 'throttled' });
    fake.failNextToken(1, 503);
    const tokens = source();
    const limited = await rejection(tokens.token());
    expect(limited).toBeInstanceOf(ProviderRateLimitError);
    const down = await rejection(tokens.token());
    expect(down).toBeInstanceOf(ProviderUnavailableError);
    expect(down).toMatchObject({ status: 503, retryable: true });
    expect(await tokens.token()).toMatch(/^fake-access-/);
  });

  it('maps an unreachable token endpoint to ProviderUnavailableError', async () => {
    const tokens = createTokenSource(
      { ...oauth(), tokenUrl: 'http://127.0.0.1:1/token' },
      { timeoutMs: 1000 },
    );
    const err = await rejection(tokens.token());
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toContain('token endpoint did not answer');
  });

  it('refuses a 200 without an access token', async () => {
    fake.failNextToken(1, 200, { token_type: 'Bearer' });
    const err = await rejection(source().token());
    expect(err.message).toContain('without a usable token (access_token: Required)');
  });
});

describe('401 from the API', () => {
  const request: OutboundRequest = {
    provider: 'smartdialog',
    to: '+358401234501',
    text: 'Hello',
    channel: 'sms',
    correlationId: 'msg-1',
    idempotencyKey: 'idem-1',
  };

  function provider(auth: Parameters<typeof createSmartDialogProvider>[0]['auth']): Provider {
    return createSmartDialogProvider({
      baseUrl: fake.baseUrl,
      auth,
      customerId: FAKE_SMARTDIALOG.customerId,
      serviceId: FAKE_SMARTDIALOG.serviceId,
      sender: 'Textbridge',
      timeoutMs: 2000,
    });
  }

  const sends = () => fake.requests.filter((r) => r.path === '/messages');

  it('refreshes once and retries the call once', async () => {
    const smartdialog = provider(oauth());
    await smartdialog.send([request]);
    fake.expireTokens();
    const [result] = await smartdialog.send([{ ...request, idempotencyKey: 'idem-2' }]);
    expect(result!.providerMessageId).toBe(fake.sent[1]!.messageId);
    expect(fake.refreshCount).toBe(2);
    expect(sends()).toHaveLength(3);
    expect(sends()[1]!.headers.authorization).not.toBe(sends()[2]!.headers.authorization);
  });

  it('gives up with ProviderAuthError after a second 401', async () => {
    const smartdialog = provider(oauth());
    fake.failNext(2, 401, { errorMessage: 'Token scope lacks Gateway.Send' });
    const err = await rejection(smartdialog.send([request]));
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ status: 401 });
    expect(err.message).toContain('Token scope lacks Gateway.Send');
    expect(sends()).toHaveLength(2);
    expect(fake.refreshCount).toBe(2);
  });

  it('does not retry with a static token', async () => {
    const err = await rejection(provider({ accessToken: 'expired' }).send([request]));
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(sends()).toHaveLength(1);
    expect(fake.refreshCount).toBe(0);
  });

  it('does not renew on 403', async () => {
    fake.failNext(1, 403, { errorMessage: 'No access to customer' });
    const err = await rejection(provider(oauth()).send([request]));
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ status: 403 });
    expect(fake.refreshCount).toBe(1);
  });

  it('shares one renewal among concurrent calls refused together', async () => {
    const smartdialog = provider(oauth());
    await smartdialog.send([request]);
    fake.expireTokens();
    const results = await Promise.all(
      [2, 3, 4].map((n) => smartdialog.send([{ ...request, idempotencyKey: `idem-${n}` }])),
    );
    expect(results.flat()).toHaveLength(3);
    expect(fake.refreshCount).toBe(2);
  });
});
