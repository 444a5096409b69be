/**
 * POST /api/messages: Bot Framework tokens are checked for real against a local OpenID provider
 * (BOT_OPENID_METADATA_URL), forged and stale ones are refused without contacting anyone, keys
 * that cannot be fetched answer 503, and malformed or wrongly typed activities are refused before
 * the bot sees them.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cardText } from '../helpers/cards.ts';
import { type CapturedLog, captureLog } from '../helpers/log-capture.ts';
import { b64, type OpenIdServer, startOpenIdServer } from '../helpers/openid-server.ts';
import { fakeOutboundCredentials } from '../helpers/outbound-credentials.ts';
import { freePort } from '../helpers/ports.ts';
import { type Harness, startSinchHarness } from '../helpers/sinch-app.ts';
import { channelMessage } from '../helpers/teams-activity.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const ISSUER = 'https://api.botframework.com';

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

/** Outbound calls carry a fixed token instead of one from Entra. */
const outbound = fakeOutboundCredentials(APP_ID);

function authEnv(metadataUrl: string): Record<string, string> {
  return {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-used-the-signer-is-fake',
    MicrosoftAppType: 'MultiTenant',
    BOT_OPENID_METADATA_URL: metadataUrl,
  };
}

/** An unsigned token (alg none), as a forger writes one. */
function unsigned(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

/** An HS256 token keyed with a secret the forger guessed (here: the app password). */
function hs256(claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'local-key-1' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', 'not-used-the-signer-is-fake').update(input).digest('base64url')}`;
}

/** The answer must say what was wrong in our words: no stack, no URL, no library message. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\n\s+at |ENOTFOUND|ECONNREFUSED|127\.0\.0\.1|fetch failed|JOSE|jsonwebtoken/i);
}

describe('/api/messages with authentication on', () => {
  let issuer: OpenIdServer;
  let h: Harness;
  let captured: CapturedLog;
  beforeAll(async () => {
    issuer = await startOpenIdServer({ issuer: ISSUER, endorsements: ['msteams'] });
    captured = captureLog();
    h = await startSinchHarness(authEnv(issuer.metadataUrl), { credentials: outbound, log: captured.log });
  });
  afterAll(async () => {
    await h?.close();
    await issuer?.close();
  });

  const activity = (over: Record<string, unknown> = {}) => ({
    ...channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' }),
    ...over,
  });
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (a: Record<string, unknown>) => ({ aud: APP_ID, serviceurl: a['serviceUrl'] });

  it('runs a turn for a valid token and answers with the app’s credentials', async () => {
    const a = activity();
    const res = await post(h.url, JSON.stringify(a), { authorization: `Bearer ${issuer.sign(claims(a))}` });
    expect(res.status).toBe(200);
    const reply = await eventually('the help card', () => h.connector.posts[0]);
    expect(cardText(reply.activity)).toContain(
      'link ‹sinch|sinch-conversation|retarus|smartdialog|sandbox|all›',
    );
    const call = h.connector.requests.find((r) => r.method === 'POST');
    expect(call?.headers['authorization']).toBe('Bearer outbound-test-token');
  });

  // Each of these is refused from the token alone: the keys are not even fetched.
  const structural: Array<[string, (a: Record<string, unknown>) => string | undefined]> = [
    ['no token', () => undefined],
    ['a token that is not a JWT', () => 'not.a-jwt'],
    ['an unsigned token (alg none)', (a) => unsigned({ ...claims(a), iss: ISSUER, exp: now() + 600 })],
    ['an HS256 token', (a) => hs256({ ...claims(a), iss: ISSUER, exp: now() + 600 })],
    ['a token for another bot', (a) => issuer.sign({ ...claims(a), aud: 'someone-else' })],
    ['a token from another issuer', (a) => issuer.sign({ ...claims(a), iss: 'https://evil.example' })],
    [
      'a token for another service URL',
      (a) => issuer.sign({ ...claims(a), serviceurl: 'https://evil.example/' }),
    ],
    ['an expired token', (a) => issuer.sign({ ...claims(a), exp: now() - 600 })],
    ['a token without a kid', (a) => issuer.sign(claims(a), { kid: '' })],
  ];
  it.each(structural)(
    'answers 401 to %s without contacting anyone, and runs nothing',
    async (_name, token) => {
      const before = {
        posts: h.connector.posts.length,
        hits: { ...issuer.hits },
        lines: captured.lines.length,
      };
      const a = activity();
      const t = token(a);
      const res = await post(
        h.url,
        JSON.stringify(a),
        t === undefined ? {} : { authorization: `Bearer ${t}` },
      );
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ error: expect.stringMatching(/^unauthorized: /) });
      expectNoInternals(res.text);
      expect(issuer.hits).toEqual(before.hits);
      // One JSON line, no stack.
      const logged = captured.entries().slice(before.lines);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ status: 401, msg: 'Bot Framework request refused' });
      expect(JSON.stringify(logged[0])).not.toContain('stack');
      await sleep(100);
      expect(h.connector.posts.length).toBe(before.posts);
    },
  );

  it.each([
    [
      'signed with a key the issuer never published',
      (a: Record<string, unknown>) =>
        issuer.sign(claims(a), { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
    ],
    [
      'naming a key the issuer does not have',
      (a: Record<string, unknown>) => issuer.sign(claims(a), { kid: 'unknown-key' }),
    ],
  ])('answers 401 to a token %s', async (_name, token) => {
    const before = h.connector.posts.length;
    const a = activity();
    const res = await post(h.url, JSON.stringify(a), { authorization: `Bearer ${token(a)}` });
    expect(res.status).toBe(401);
    expectNoInternals(res.text);
    await sleep(100);
    expect(h.connector.posts.length).toBe(before);
  });

  it('answers 401 when the signing key is not endorsed for the activity’s channel', async () => {
    const a = activity({ channelId: 'webchat' });
    const res = await post(h.url, JSON.stringify(a), { authorization: `Bearer ${issuer.sign(claims(a))}` });
    expect(res.status).toBe(401);
    expect(res.text).toContain('endorsed');
  });

  it('prints nothing outside the JSON log for 50 forged tokens', async () => {
    const errors = vi.spyOn(console, 'error');
    const warns = vi.spyOn(console, 'warn');
    try {
      const before = captured.lines.length;
      for (let i = 0; i < 50; i++) {
        const a = activity();
        await post(h.url, JSON.stringify(a), { authorization: `Bearer ${unsigned(claims(a))}` });
      }
      expect(captured.lines.length - before).toBe(50);
      expect(errors).not.toHaveBeenCalled();
      expect(warns).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      warns.mockRestore();
    }
  });
});

describe('/api/messages when the signing keys cannot be fetched', () => {
  let issuer: OpenIdServer;
  let down: Harness;
  let gone: Harness;
  beforeAll(async () => {
    issuer = await startOpenIdServer({ issuer: ISSUER });
    issuer.setAvailability('keys-failing');
    down = await startSinchHarness(authEnv(issuer.metadataUrl), { credentials: outbound });
    // Nothing listens there: the metadata itself cannot be fetched.
    gone = await startSinchHarness(authEnv(`http://127.0.0.1:${await freePort()}/metadata`), {
      credentials: outbound,
    });
  });
  afterAll(async () => {
    await down?.close();
    await gone?.close();
    await issuer?.close();
  });

  it.each([
    ['the keys answer 500', () => down],
    ['the metadata is unreachable', () => gone],
  ])('answers 503 with Retry-After when %s, and runs nothing', async (_name, harness) => {
    const h = harness();
    const a = channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' });
    const res = await post(h.url, JSON.stringify(a), {
      authorization: `Bearer ${issuer.sign({ aud: APP_ID, serviceurl: a['serviceUrl'] })}`,
    });
    expect(res.status).toBe(503);
    expect(res.retryAfter).toBe('30');
    expectNoInternals(res.text);
    await sleep(100);
    expect(h.connector.posts).toHaveLength(0);
  });

  it('still answers 401, not 503, to forged tokens while the keys are unreachable', async () => {
    const a = channelMessage({ serviceUrl: gone.connector.serviceUrl, text: 'help' });
    for (const token of [unsigned({ aud: APP_ID }), hs256({ aud: APP_ID, iss: ISSUER }), 'x.y.z']) {
      const res = await post(gone.url, JSON.stringify(a), { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expectNoInternals(res.text);
    }
  });
});

describe('/api/messages refuses malformed input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSinchHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 400 to malformed JSON', async () => {
    expect((await post(h.url, '{"type": "message", ')).status).toBe(400);
  });

  it('answers 415 to a body that is not JSON', async () => {
    expect(
      (await post(h.url, 'type=message', { 'content-type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
  });

  it('answers 413 to an oversized activity', async () => {
    const a = { ...channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'x'.repeat(600 * 1024) }) };
    expect((await post(h.url, JSON.stringify(a))).status).toBe(413);
  });

  it.each([
    ['serviceUrl is a number', { serviceUrl: 42 }, '"serviceUrl"'],
    ['serviceUrl is not a URL', { serviceUrl: 'javascript:alert(1)' }, '"serviceUrl"'],
    ['entities is a string', { entities: 'mention' }, '"entities"'],
    ['from is missing', { from: undefined }, '"from"'],
    ['conversation.id is an object', { conversation: { id: { a: 1 } } }, '"conversation.id"'],
    ['text is an array', { text: ['help'] }, '"text"'],
    ['channelData.tenant.id is a number', { channelData: { tenant: { id: 7 } } }, '"channelData.tenant.id"'],
    ['timestamp is not a time', { timestamp: 'yesterday' }, '"timestamp"'],
  ])('answers 400 naming the field when %s', async (_name, over, field) => {
    const a = { ...channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' }), ...over };
    const res = await post(h.url, JSON.stringify(a));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toContain(field);
    await sleep(50);
    expect(h.connector.posts).toHaveLength(0);
  });

  it('answers 400 to an activity nested 4,000 deep without parsing it', async () => {
    const a = channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' });
    const json = JSON.stringify(a).replace(/}$/, `,"value":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}`);
    const res = await post(h.url, json);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error).toBe('the body is nested deeper than 32 levels');
  });

  it('answers 400 to an activity without a type', async () => {
    const { type: _type, ...noType } = channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' });
    expect((await post(h.url, JSON.stringify(noType))).status).toBe(400);
    expect(h.connector.posts).toHaveLength(0);
  });
});
