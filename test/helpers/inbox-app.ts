/**
 * The bot with a bot identity (so the Inbox checks Teams SSO tokens) against a local SSO issuer,
 * a fake Bot Connector that knows two teams, and a fake Sinch; conversations are made the real
 * way (a linked channel, a customer's webhook, the thread posted in Teams).
 */
import { startOpenIdServer } from './openid-server.ts';
import { fakeOutboundCredentials } from './outbound-credentials.ts';
import { type Harness, postWebhook, startSinchHarness } from './sinch-app.ts';
import { type SsoIssuer, startSsoIssuer } from './sso-issuer.ts';
import { TENANT } from './teams-activity.ts';
import { eventually } from './wait.ts';

export const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const ALEX = { oid: '00000000-0000-0000-0000-000000000020', name: 'Alex Wilber' };
export const MEGAN = { oid: '00000000-0000-0000-0000-000000000021', name: 'Megan Bowen' };
export const SUPPORT = {
  team: '19:support-team@thread.tacv2',
  channel: '19:support@thread.tacv2',
  number: '+61491570000',
};
export const SALES = {
  team: '19:sales-team@thread.tacv2',
  channel: '19:sales@thread.tacv2',
  number: '+61491570999',
};

export interface InboxHarness extends Harness {
  sso: SsoIssuer;
  /** A valid v2 token of `user` (Alex by default). */
  token(user?: { oid: string; name: string }): Promise<string>;
  /** GET/POST on /api/inbox/… with a bearer token. */
  api(path: string, init?: { token?: string | null; method?: string; body?: unknown }): Promise<Response>;
  /** Posts an activity to /api/messages as Teams would (with a Bot Framework token). */
  postActivity(activity: Record<string, unknown>, onBody?: (body: unknown) => void): Promise<number>;
  /** A customer texts `number`; resolves with the conversation id once its thread is in Teams. */
  customerTexts(from: string, number: string, text: string): Promise<string>;
}

export async function startInboxHarness(): Promise<InboxHarness> {
  const sso = await startSsoIssuer();
  const botIssuer = await startOpenIdServer({
    issuer: 'https://api.botframework.com',
    endorsements: ['msteams'],
  });
  const account = (u: { oid: string; name: string }) => ({
    id: `29:${u.oid}`,
    name: u.name,
    aadObjectId: u.oid,
  });
  const h = await startSinchHarness(
    {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-the-signer-is-fake',
      SSO_OPENID_METADATA_URL: sso.metadataUrl,
      BOT_OPENID_METADATA_URL: botIssuer.metadataUrl,
    },
    {
      credentials: fakeOutboundCredentials(APP_ID),
      // Alex is in both teams, Megan only in Sales.
      connector: {
        membersOf: { [SUPPORT.team]: [account(ALEX)], [SALES.team]: [account(ALEX), account(MEGAN)] },
      },
    },
  );
  for (const link of [SUPPORT, SALES]) {
    await h.app.store.addRoute({
      provider: 'sinch',
      businessNumber: link.number,
      teamsChannelId: link.channel,
      channelName: link === SUPPORT ? 'Support' : 'Sales',
      conversationRef: {
        serviceUrl: h.connector.serviceUrl,
        channelId: 'msteams',
        bot: { id: `28:${APP_ID}`, name: 'textbridge' },
        conversation: { id: link.channel, conversationType: 'channel', isGroup: true, tenantId: TENANT },
      },
      team: {
        id: link.team,
        name: link === SUPPORT ? 'Support' : 'Sales',
        groupId: '7b1b2b6a-0000-4000-8000-000000000001',
      },
    });
  }
  const token = (user = ALEX) => sso.token({ tid: TENANT, oid: user.oid, name: user.name, aud: APP_ID });
  return {
    ...h,
    sso,
    token,
    async api(path, init = {}) {
      const bearer = init.token === undefined ? await token() : init.token;
      return fetch(`${h.url}/api/inbox/${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    },
    async postActivity(activity, onBody) {
      const token = botIssuer.sign({ aud: APP_ID, serviceurl: activity['serviceUrl'] });
      const res = await fetch(`${h.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      if (onBody && text) onBody(JSON.parse(text));
      return res.status;
    },
    async customerTexts(from, number, text) {
      const res = await postWebhook(h.url, h.sinch.inboundBody({ from, to: number, text }));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      return eventually(`the thread of ${from} in Teams`, async () => {
        const row = await h.app.store.db
          .selectFrom('threads')
          .select(['id', 'conversation_id'])
          .where('customer_number', '=', from)
          .where('business_number', '=', number)
          .executeTakeFirst();
        return row?.conversation_id ? row.id : undefined;
      });
    },
    async close() {
      await h.close();
      await sso.close();
      await botIssuer.close();
    },
  };
}
