/**
 * The Inbox API's door: Teams SSO tokens checked for real against a local OpenID/JWKS server,
 * and team membership through the (fake) Bot Connector. 401 for a bad token, 404 for someone
 * else's conversation, never 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALEX,
  APP_ID,
  type InboxHarness,
  MEGAN,
  SALES,
  SUPPORT,
  startInboxHarness,
} from '../helpers/inbox-app.ts';
import { TENANT } from '../helpers/teams-activity.ts';

const FOREIGN_TENANT = '9b8c7d6e-0000-4000-8000-00000000abcd';

describe('Inbox API authentication', () => {
  let h: InboxHarness;
  let supportThread: string;
  let salesThread: string;
  beforeAll(async () => {
    h = await startInboxHarness();
    supportThread = await h.customerTexts('+61491570156', SUPPORT.number, 'Where is my parcel?');
    salesThread = await h.customerTexts('+61491570157', SALES.number, 'Do you ship to Perth?');
  });
  afterAll(async () => {
    await h?.close();
  });

  const status = async (token: string | null, path = 'conversations') => {
    const res = await h.api(path, { token });
    const body = (await res.json()) as { error?: string };
    return { status: res.status, error: body.error, www: res.headers.get('www-authenticate') };
  };

  it('answers a valid v2 token (audience: the app id)', async () => {
    const res = await h.api('conversations?state=unassigned');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((i) => i.id).sort()).toEqual([supportThread, salesThread].sort());
  });

  it('answers a valid v1 token (audience: the api:// resource, sts.windows.net issuer)', async () => {
    const host = new URL(h.url).host;
    const token = await h.sso.token({
      tid: TENANT,
      oid: ALEX.oid,
      aud: `api://${host}/botid-${APP_ID}`,
      ver: '1.0',
    });
    expect((await status(token)).status).toBe(200);
  });

  it('refuses a missing, expired, foreign-signed, wrong-audience, wrong-issuer or scope-less token with 401', async () => {
    const base = { tid: TENANT, oid: ALEX.oid, aud: APP_ID };
    const missing = await status(null);
    expect(missing).toMatchObject({ status: 401 });
    expect(missing.www).toContain('invalid_token');
    expect(await status('not.a.jwt')).toMatchObject({ status: 401 });
    expect(await status(await h.sso.token({ ...base, expiresIn: -600 }))).toMatchObject({
      status: 401,
      error: 'the token has expired',
    });
    expect(await status(await h.sso.token({ ...base, foreignKey: true }))).toMatchObject({ status: 401 });
    expect(
      await status(await h.sso.token({ ...base, aud: '00000003-0000-0000-c000-000000000000' })),
    ).toMatchObject({
      status: 401,
      error: expect.stringContaining('audience'),
    });
    // Issued by another tenant than the one it names.
    const otherIssuer = `https://login.microsoftonline.com/${FOREIGN_TENANT}/v2.0`;
    expect(await status(await h.sso.token({ ...base, iss: otherIssuer }))).toMatchObject({
      status: 401,
      error: expect.stringContaining('issued by'),
    });
    expect(await status(await h.sso.token({ ...base, scp: 'User.Read' }))).toMatchObject({
      status: 401,
      error: expect.stringContaining('access_as_user'),
    });
  });

  it('refuses a token of a tenant the bot does not serve', async () => {
    const token = await h.sso.token({ tid: FOREIGN_TENANT, oid: ALEX.oid, aud: APP_ID });
    expect(await status(token)).toMatchObject({ status: 401, error: expect.stringContaining('not served') });
  });

  it('shows a user only the conversations of the teams they are a member of', async () => {
    const megan = await h.token(MEGAN);
    const list = await h.api('conversations?state=unassigned', { token: megan });
    const body = (await list.json()) as { items: Array<{ id: string }>; counts: { unassigned: number } };
    expect(body.items.map((i) => i.id)).toEqual([salesThread]);
    expect(body.counts.unassigned).toBe(1);
    // Someone else's conversation does not exist, for reading and for acting.
    expect((await status(megan, `conversations/${supportThread}`)).status).toBe(404);
    expect((await h.api(`conversations/${supportThread}/claim`, { token: megan, body: {} })).status).toBe(
      404,
    );
    expect((await status(megan, `conversations/${supportThread}/export.csv`)).status).toBe(404);
    expect((await status(megan, `conversations?channel=${encodeURIComponent(SUPPORT.channel)}`)).status).toBe(
      404,
    );
    expect((await status(megan, 'conversations/no-such-id')).status).toBe(404);
  });

  it('asks Teams once per team and user, then remembers', async () => {
    const lookups = () =>
      h.connector.requests.filter(
        (r) => r.method === 'GET' && r.path.includes('members') && r.path.includes(MEGAN.oid),
      ).length;
    const before = lookups();
    const megan = await h.token(MEGAN);
    await h.api('conversations', { token: megan });
    await h.api('conversations?state=resolved', { token: megan });
    expect(lookups()).toBe(before);
    expect(h.sso.server.hits.metadata).toBe(1);
  });

  it('answers bad input with 400, never 500', async () => {
    expect((await status(await h.token(), 'conversations?state=everything')).status).toBe(400);
    expect((await status(await h.token(), 'conversations?cursor=%%%')).status).toBe(400);
    expect((await status(await h.token(), 'conversations?limit=0')).status).toBe(400);
    expect((await status(await h.token(), `conversations?q=${'x'.repeat(101)}`)).status).toBe(400);
    const reply = await h.api(`conversations/${supportThread}/reply`, { body: { text: 'hi' } });
    expect(reply.status).toBe(400);
  });
});
