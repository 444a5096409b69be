/**
 * Which Teams tenants the bot serves: TEAMS_ALLOWED_TENANTS when set; else a SingleTenant (or
 * managed identity) app's own MicrosoftAppTenantId; else the tenant that links the first channel,
 * pinned in the store (bot/tenants/policy.ts applies the rule).
 */
import type { BotAuthConfig } from './bot-auth.ts';
import type { EnvReader } from './reader.ts';

export type TenantRule =
  /** TEAMS_ALLOWED_TENANTS: exactly these tenants. */
  | { kind: 'listed'; tenants: readonly string[] }
  /** MicrosoftAppType=SingleTenant or UserAssignedMSI: the app's own tenant. */
  | { kind: 'app-tenant'; tenants: readonly string[] }
  /** MultiTenant and local mode: the first tenant that links a channel, pinned in the store. */
  | { kind: 'first-link' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readTenantRule(env: EnvReader, bot: BotAuthConfig): TenantRule {
  const raw = env.get('TEAMS_ALLOWED_TENANTS');
  if (raw !== undefined) {
    const tenants = raw
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
    const bad = tenants.filter((t) => !GUID.test(t));
    if (tenants.length === 0 || bad.length > 0) {
      env.problem(
        'TEAMS_ALLOWED_TENANTS',
        `must be a comma-separated list of tenant ids (GUIDs, as in Entra ID > Overview > Tenant ID)${bad.length > 0 ? `; not a tenant id: ${bad.map((b) => `"${b}"`).join(', ')}` : ''}`,
      );
    }
    return { kind: 'listed', tenants: [...new Set(tenants)] };
  }
  if (bot.appId && bot.appType !== 'MultiTenant' && bot.tenantId) {
    // Teams names the tenant of an activity by its id; a domain cannot be compared with it.
    if (!GUID.test(bot.tenantId)) {
      env.problem(
        'TEAMS_ALLOWED_TENANTS',
        `is required when MicrosoftAppTenantId is a domain ("${bot.tenantId}"): set it to your tenant's id (a GUID, Entra ID > Overview > Tenant ID), or use that id as MicrosoftAppTenantId`,
      );
    }
    return { kind: 'app-tenant', tenants: [bot.tenantId.toLowerCase()] };
  }
  return { kind: 'first-link' };
}
