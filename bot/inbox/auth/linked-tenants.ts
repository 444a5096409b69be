/**
 * Stand-in for the bot's tenant rules until they are shared as one module: a tenant is served
 * when a channel of it is linked. (A user of any other tenant would see nothing anyway.)
 */
import type { Store } from '../../store/types.ts';

export function linkedTenants(store: Store): (tenantId: string) => Promise<boolean> {
  return async (tenantId) =>
    (await store.listRoutes()).some(
      (r) =>
        (r.conversationRef as { conversation?: { tenantId?: unknown } }).conversation?.tenantId === tenantId,
    );
}
