/**
 * POST /api/messages: Bot Framework JWTs are checked for real (against a local issuer), and
 * malformed or oversized activities are refused before the bot sees them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenIssuer, type TokenIssuer } from '../helpers/bot-framework-auth.ts';
import { cardText } from '../helpers/cards.ts';
import { type Harness, startSinchHarness } from '../helpers/sinch-app.ts';
import { channelMessage } from '../helpers/teams-activity.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

describe('/api/messages with authentication on', () => {
  let issuer: TokenIssuer;
  let h: Harness;
  beforeAll(async () => {
    issuer = await startTokenIssuer();
    h = await startSinchHarness(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-used-the-signer-is-fake',
        MicrosoftAppType: 'MultiTenant',
        ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl,
        ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      },
      {
        // Outbound calls carry a fixed token instead of one from Entra.
        credentials: {
          isValidAppId: async (id: string) => id === APP_ID,
          isAuthenticationDisabled: async () => false,
          createCredentials: async () => ({
            signRequest: async (req: { headers: { set(k: string, v: string): void } }) => {
              req.headers.set('authorization', 'Bearer outbound-test-token');
              return req;
            },
          }),
        } as never,
      },
    );
  });
  afterAll(async () => {
    await h?.close();
    await issuer?.close();
  });

  const activity = () => channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' });
  const claims = (a: Record<string, unknown>) => ({ aud: APP_ID, serviceurl: a['serviceUrl'] });

  it('runs a turn for a valid token and answers with the app’s credentials', async () => {
    const a = activity();
    const res = await post(h.url, JSON.stringify(a), { authorization: `Bearer ${issuer.token(claims(a))}` });
    expect(res.status).toBe(200);
    const reply = await eventually('the help card', () => h.connector.posts[0]);
    expect(cardText(reply.activity)).toContain('link <sinch|sinch-conversation|retarus|smartdialog|all>');
    const call = h.connector.requests.find((r) => r.method === 'POST');
    expect(call?.headers['authorization']).toBe('Bearer outbound-test-token');
  });

  it.each([
    ['no token', () => ({})],
    [
      'a token for another bot',
      (a: Record<string, unknown>) => ({ aud: 'someone-else', serviceurl: a['serviceUrl'] }),
    ],
    ['a token for another service URL', () => ({ aud: APP_ID, serviceurl: 'https://evil.example/' })],
    [
      'an expired token',
      (a: Record<string, unknown>) => ({ ...claims(a), exp: Math.floor(Date.now() / 1000) - 600 }),
    ],
  ])('answers 401 to %s and runs nothing', async (name, makeClaims) => {
    const before = h.connector.posts.length;
    const a = activity();
    const headers: Record<string, string> =
      name === 'no token' ? {} : { authorization: `Bearer ${issuer.token(makeClaims(a))}` };
    expect((await post(h.url, JSON.stringify(a), headers)).status).toBe(401);
    await sleep(200);
    expect(h.connector.posts.length).toBe(before);
  });

  it('refuses a token signed with a key the issuer never published', async () => {
    const before = h.connector.posts.length;
    const a = activity();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const res = await post(h.url, JSON.stringify(a), {
      authorization: `Bearer ${issuer.token(claims(a), { key: privateKey })}`,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    await sleep(200);
    expect(h.connector.posts.length).toBe(before);
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

  it('answers 400 to an activity without a type', async () => {
    const { type: _type, ...noType } = channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'help' });
    expect((await post(h.url, JSON.stringify(noType))).status).toBe(400);
    expect(h.connector.posts).toHaveLength(0);
  });
});
