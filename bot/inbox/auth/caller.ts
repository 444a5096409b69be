/**
 * Who calls the Inbox API and what they may see. With a bot identity (MicrosoftAppId), every
 * call carries a Teams SSO token and sees the channels of the teams its user belongs to, in its
 * own tenant. In local mode (no MicrosoftAppId: demo, tests) there is no token to check, so only
 * callers on this machine are answered, and they see everything.
 */
import type { IncomingMessage } from 'node:http';
import type { Route, Store } from '../../store/types.ts';
import type { Viewer } from '../list-query.ts';
import type { Scope } from '../scope.ts';
import type { Membership } from './membership.ts';
import { SsoRejected, type SsoVerifier } from './sso-token.ts';

export interface Caller {
  viewer: Viewer;
  scope: Scope;
  /** The linked routes of the channels this caller sees. */
  routes: Route[];
  local: boolean;
}

export type Authenticate = (req: IncomingMessage) => Promise<Caller>;

export const LOCAL_VIEWER: Viewer = { id: 'local-agent', name: 'Local agent' };

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function localAuth(store: Store): Authenticate {
  return async (req) => {
    if (!isLoopback(req.socket.remoteAddress)) {
      throw new SsoRejected(
        'missing',
        'this bot runs in local mode (no MicrosoftAppId): the Inbox answers only callers on this machine',
      );
    }
    return { viewer: LOCAL_VIEWER, scope: { kind: 'all' }, routes: await store.listRoutes(), local: true };
  };
}

export function ssoAuth(store: Store, verify: SsoVerifier, membership: Membership): Authenticate {
  return async (req) => {
    const user = await verify(bearer(req));
    // Only channels of the caller's own tenant: a guest's home tenant sees nothing here.
    const routes = (await store.listRoutes()).filter(
      (r) => tenantOf(r) === undefined || tenantOf(r) === user.tid,
    );
    const channelIds = await membership.visibleChannels(routes, user.oid);
    const visible = new Set(channelIds);
    return {
      viewer: { id: user.oid, name: user.name },
      scope: { kind: 'channels', channelIds },
      routes: routes.filter((r) => visible.has(r.teamsChannelId)),
      local: false,
    };
  };
}

function tenantOf(route: Route): string | undefined {
  const conversation = (route.conversationRef as { conversation?: { tenantId?: unknown } }).conversation;
  return typeof conversation?.tenantId === 'string' ? conversation.tenantId : undefined;
}
