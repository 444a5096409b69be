/**
 * Which Microsoft 365 tenants the bot serves, for Teams activities and the Inbox alike.
 *
 * - `listed` (TEAMS_ALLOWED_TENANTS): exactly those tenants.
 * - `app-tenant` (a SingleTenant or managed-identity app): MicrosoftAppTenantId.
 * - `first-link` (MultiTenant and local mode): the first tenant that links a channel is pinned in
 *   the store; from then on only it is served. Before that, any tenant may look (help, links) but
 *   has nothing to see, and the first `link` decides.
 *
 * A request without a tenant id is served only while nothing is pinned, and can pin nothing.
 * Channels linked by a version without this rule pin the tenant of the first of them.
 */
import type { Logger } from 'pino';
import type { TenantRule } from './config/tenants.ts';
import type { Store } from './store/types.ts';

export type TenantVerdict =
  | { allowed: true; tenantId: string | undefined }
  | { allowed: false; tenantId: string | undefined; reason: string };

export interface TenantSummary {
  rule: TenantRule['kind'];
  /** The tenants served: the listed ones, the app's, or the pinned one (none before the first link). */
  tenants: string[];
}

export interface TenantPolicy {
  /** Whether requests of `tenantId` are served. Reads only. */
  check(tenantId: string | undefined): Promise<TenantVerdict>;
  /** As `check`, and in `first-link` mode pins `tenantId` when no tenant is pinned yet (`link`). */
  claim(tenantId: string | undefined): Promise<TenantVerdict>;
  describe(): Promise<TenantSummary>;
}

type TenantStore = Pick<Store, 'pinnedTenant' | 'pinTenant' | 'listRoutes'>;

export function createTenantPolicy(rule: TenantRule, store: TenantStore, log: Logger): TenantPolicy {
  let pinned: string | undefined;
  const pinnedNow = async () => {
    // Once pinned it never changes, so it is read until found and then kept.
    pinned ??= (await store.pinnedTenant()) ?? (await pinFirstLinked(store, log));
    return pinned;
  };
  const fixed = rule.kind === 'first-link' ? undefined : rule.tenants;

  const against = (tenants: readonly string[], tenantId: string | undefined): TenantVerdict =>
    tenantId !== undefined && tenants.includes(tenantId)
      ? { allowed: true, tenantId }
      : { allowed: false, tenantId, reason: refusal(rule, tenantId) };

  return {
    async check(raw) {
      const tenantId = normalize(raw);
      if (fixed) return against(fixed, tenantId);
      const current = await pinnedNow();
      return current === undefined ? { allowed: true, tenantId } : against([current], tenantId);
    },
    async claim(raw) {
      const tenantId = normalize(raw);
      if (fixed) return against(fixed, tenantId);
      if (tenantId === undefined)
        return { allowed: false, tenantId, reason: 'the request names no tenant, so none can be pinned' };
      const before = await pinnedNow();
      if (before !== undefined) return against([before], tenantId);
      pinned = await store.pinTenant(tenantId);
      if (pinned === tenantId)
        log.info({ tenantId }, 'tenant pinned: this bot now serves only this Microsoft 365 tenant');
      return against([pinned], tenantId);
    },
    async describe() {
      if (fixed) return { rule: rule.kind, tenants: [...fixed] };
      const current = await pinnedNow();
      return { rule: rule.kind, tenants: current === undefined ? [] : [current] };
    },
  };
}

/**
 * Channels linked before tenants were pinned (an older version): the tenant of the first link is
 * the one to pin, as if it had linked now.
 */
async function pinFirstLinked(store: TenantStore, log: Logger): Promise<string | undefined> {
  const tenants = (await store.listRoutes())
    .map((r) =>
      normalize((r.conversationRef as { conversation?: { tenantId?: string } }).conversation?.tenantId),
    )
    .filter((t): t is string => t !== undefined);
  const first = tenants[0];
  if (first === undefined) return undefined;
  const pinned = await store.pinTenant(first);
  const others = [...new Set(tenants.filter((t) => t !== pinned))];
  log.warn(
    { tenantId: pinned, otherTenants: others },
    others.length > 0
      ? 'tenant pinned from the first linked channel; channels of other tenants are no longer served (set TEAMS_ALLOWED_TENANTS to serve several)'
      : 'tenant pinned from the first linked channel',
  );
  return pinned;
}

function normalize(tenantId: string | undefined): string | undefined {
  const t = tenantId?.trim().toLowerCase();
  return t ? t : undefined;
}

function refusal(rule: TenantRule, tenantId: string | undefined): string {
  const who = tenantId === undefined ? 'a request without a tenant id' : `tenant ${tenantId}`;
  if (rule.kind === 'listed') return `${who} is not in TEAMS_ALLOWED_TENANTS`;
  if (rule.kind === 'app-tenant') return `${who} is not the app's tenant (MicrosoftAppTenantId)`;
  return `${who} is not the tenant this bot is pinned to`;
}
