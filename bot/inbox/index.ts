/**
 * The Inbox's API under /api/inbox/ (the tab in tab/ is its client): who may call it, what they
 * see, and the routes. Reads go to the store's read connection; actions through the same store
 * calls as the cards.
 */
import type { CloudAdapter } from 'botbuilder';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import restify from 'restify';
import type { Config } from '../config.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { type MemberLookup, teamMemberLookup } from '../teams/members.ts';
import { actionRoute, INBOX_ACTIONS } from './action-routes.ts';
import { type Authenticate, localAuth, ssoAuth } from './auth/caller.ts';
import { Membership } from './auth/membership.ts';
import { createSsoVerifier } from './auth/sso-token.ts';
import { ChangeHub } from './change-hub.ts';
import { csvRoute, detailRoute, listRoute } from './conversation-routes.ts';
import { EventStreams } from './events-route.ts';
import { inboxRoute } from './http.ts';
import {
  createConversationRoute,
  numberCheckRoute,
  type Providers,
  sendersRoute,
  templatesRoute,
} from './new-conversation-routes.ts';
import { mountTab } from './tab-route.ts';

export interface InboxDeps {
  store: KyselyStore;
  config: Config;
  adapter: CloudAdapter;
  providers: Providers;
  log: Logger;
  /** Whether the bot serves a tenant (the bot's tenant rules). */
  tenantAllowed: (tenantId: string) => Promise<boolean>;
  /** Tests: the Bot Connector's member lookup, and SSO signing keys without the metadata's jwks_uri. */
  memberLookup?: MemberLookup;
  ssoKeys?: JWTVerifyGetKey;
}

export interface Inbox {
  mount(server: restify.Server): void;
  close(): void;
}

/** api://<host of PUBLIC_URL>/botid-<MicrosoftAppId>: the SSO resource of a bot with a tab. */
export function ssoResource(config: Pick<Config, 'publicUrl' | 'bot'>): string | undefined {
  if (!config.publicUrl || !config.bot.appId) return undefined;
  return `api://${new URL(config.publicUrl).host.toLowerCase()}/botid-${config.bot.appId}`;
}

function authentication(deps: InboxDeps): Authenticate {
  const { config, store } = deps;
  if (!config.bot.appId) return localAuth(store);
  const verify = createSsoVerifier({
    metadataUrl: config.ssoMetadataUrl,
    appId: config.bot.appId,
    resource: ssoResource(config),
    tenantAllowed: deps.tenantAllowed,
    ...(deps.ssoKeys ? { keys: deps.ssoKeys } : {}),
  });
  const membership = new Membership(deps.memberLookup ?? teamMemberLookup(deps.adapter, config.bot.appId));
  return ssoAuth(store, verify, membership);
}

export function createInbox(deps: InboxDeps): Inbox {
  const { store, log } = deps;
  const authenticate = authentication(deps);
  const hub = new ChangeHub(store.db, store.changes, (err) => log.warn({ err }, 'inbox change feed failed'));
  const streams = new EventStreams(hub);
  const route = (r: Parameters<typeof inboxRoute>[2]) => inboxRoute(authenticate, log, r);
  const json = restify.plugins.bodyParser({ maxBodySize: 64 * 1024, mapParams: false, mapFiles: false });
  return {
    mount(server) {
      server.get('/api/inbox/conversations', route(listRoute(store.db)));
      server.get('/api/inbox/conversations/:id', route(detailRoute(store, store.db)));
      server.get('/api/inbox/conversations/:id/export.csv', route(csvRoute(store)));
      for (const action of INBOX_ACTIONS) {
        server.post(
          `/api/inbox/conversations/:id/${action}`,
          json,
          route(actionRoute(store, store.db, action, deps.providers)),
        );
      }
      server.get('/api/inbox/events', route(streams.route()));
      server.get('/api/inbox/senders', route(sendersRoute(deps.providers)));
      server.get('/api/inbox/templates', route(templatesRoute(deps.providers)));
      server.get('/api/inbox/numbers/check', route(numberCheckRoute));
      server.post('/api/inbox/conversations', json, route(createConversationRoute(store, deps.providers)));
      mountTab(server, (err) => log.error({ err }, 'the Inbox tab failed to build'));
    },
    close() {
      streams.closeAll();
      hub.close();
    },
  };
}
