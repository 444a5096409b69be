/** The tenant rule on its own: listed, the app's tenant, and the first linking tenant pinned. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../bot/store/types.ts';
import { createTenantPolicy } from '../../bot/tenant-policy.ts';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const log = pino({ level: 'silent' });

/** The three store calls the policy makes, over plain memory, like the store's own semantics. */
function memoryStore(routeTenants: string[] = []) {
  let pinned: string | undefined;
  return {
    pins: 0,
    async pinnedTenant() {
      return pinned;
    },
    async pinTenant(tenantId: string) {
      this.pins++;
      pinned ??= tenantId;
      return pinned;
    },
    async listRoutes() {
      return routeTenants.map(
        (tenantId) => ({ conversationRef: { conversation: { tenantId } } }) as unknown as Route,
      );
    },
  };
}

describe('tenant policy', () => {
  it('serves exactly the listed tenants, in any case, and pins nothing', async () => {
    const store = memoryStore();
    const policy = createTenantPolicy({ kind: 'listed', tenants: [A] }, store, log);
    expect(await policy.check(A.toUpperCase())).toEqual({ allowed: true, tenantId: A });
    expect(await policy.claim(B)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('TEAMS_ALLOWED_TENANTS'),
    });
    expect(await policy.check(undefined)).toMatchObject({ allowed: false });
    expect(store.pins).toBe(0);
    expect(await policy.describe()).toEqual({ rule: 'listed', tenants: [A] });
  });

  it("serves the app's own tenant", async () => {
    const policy = createTenantPolicy({ kind: 'app-tenant', tenants: [A] }, memoryStore(), log);
    expect((await policy.check(A)).allowed).toBe(true);
    expect(await policy.check(B)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('MicrosoftAppTenantId'),
    });
  });

  it('lets anyone look until the first link pins its tenant, then only that tenant', async () => {
    const store = memoryStore();
    const policy = createTenantPolicy({ kind: 'first-link' }, store, log);
    expect((await policy.check(B)).allowed).toBe(true);
    expect((await policy.check(undefined)).allowed).toBe(true);
    expect(await policy.describe()).toEqual({ rule: 'first-link', tenants: [] });
    // A request without a tenant cannot pin.
    expect((await policy.claim(undefined)).allowed).toBe(false);
    expect((await policy.claim(A)).allowed).toBe(true);
    expect((await policy.claim(B)).allowed).toBe(false);
    expect((await policy.check(B)).allowed).toBe(false);
    expect((await policy.check(undefined)).allowed).toBe(false);
    expect((await policy.check(A)).allowed).toBe(true);
    expect(await policy.describe()).toEqual({ rule: 'first-link', tenants: [A] });
  });

  it('loses a race for the pin to the tenant that won it', async () => {
    const store = memoryStore();
    await store.pinTenant(B); // another instance was first
    const policy = createTenantPolicy(
      { kind: 'first-link' },
      { ...store, pinnedTenant: async () => undefined },
      log,
    );
    expect(await policy.claim(A)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('pinned'),
    });
  });

  it('pins the tenant of the first channel linked by an older version', async () => {
    const store = memoryStore([A, B]);
    const policy = createTenantPolicy({ kind: 'first-link' }, store, log);
    expect((await policy.check(B)).allowed).toBe(false);
    expect((await policy.check(A)).allowed).toBe(true);
    expect(await store.pinnedTenant()).toBe(A);
  });
});
