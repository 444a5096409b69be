/**
 * Routes and tenants: which Teams channel gets which provider's and number's customers, and the
 * Teams tenant the bot pinned. Linking a channel releases the card jobs that waited for one.
 */
import { randomUUID } from 'node:crypto';
import type { ProviderId } from '../../adapters/types.ts';
import { toRoute } from './rows.ts';
import type { RoutesTable } from './schema.ts';
import { claimNotice, keepFirstSetting, readSetting } from './settings.ts';
import { now, type StoreCore } from './store-core.ts';
import type { Route } from './types.ts';

export class RouteStore {
  constructor(private readonly core: StoreCore) {}

  async addRoute(route: Omit<Route, 'id' | 'createdAt'>) {
    const { core } = this;
    const result = await core.transaction(async (trx) => {
      // Dropped inside the transaction: no ingest may park a message on the old routes after it.
      core.routes.invalidate();
      const existing = await trx
        .selectFrom('routes')
        .selectAll()
        .where('provider', '=', route.provider)
        .where('business_number', '=', route.businessNumber)
        .executeTakeFirst();
      const row: RoutesTable = {
        id: existing?.id ?? randomUUID(),
        provider: route.provider,
        business_number: route.businessNumber,
        teams_channel_id: route.teamsChannelId,
        channel_name: route.channelName ?? null,
        conversation_ref: JSON.stringify(route.conversationRef),
        created_by: route.createdBy ?? null,
        created_at: existing?.created_at ?? now(),
        team_id: route.team?.id ?? null,
        team_name: route.team?.name ?? null,
        group_id: route.team?.groupId ?? null,
      };
      if (existing) await trx.updateTable('routes').set(row).where('id', '=', existing.id).execute();
      else await trx.insertInto('routes').values(row).execute();
      // Messages that waited for a route go out now.
      const released = await trx
        .updateTable('jobs')
        .set({ state: 'pending', run_after: Date.now(), updated_at: now() })
        .where('state', '=', 'parked')
        .executeTakeFirst();
      return { route: toRoute(row), created: !existing, released: Number(released.numUpdatedRows) };
    }, true);
    core.routes.invalidate();
    core.localChanges.notify();
    if (result.released > 0) core.wake();
    return result;
  }

  async removeRoutes(teamsChannelId: string, provider?: string, businessNumber?: string): Promise<number> {
    const { core } = this;
    core.routes.invalidate();
    const deleted = await core.transaction(async (trx) => {
      let q = trx.deleteFrom('routes').where('teams_channel_id', '=', teamsChannelId);
      if (provider) q = q.where('provider', '=', provider);
      if (businessNumber) q = q.where('business_number', '=', businessNumber);
      return Number((await q.executeTakeFirst()).numDeletedRows);
    });
    core.routes.invalidate();
    core.localChanges.notify();
    return deleted;
  }

  async listRoutes(teamsChannelId?: string): Promise<Route[]> {
    let q = this.core.db.selectFrom('routes').selectAll().orderBy('created_at');
    if (teamsChannelId) q = q.where('teams_channel_id', '=', teamsChannelId);
    return (await q.execute()).map(toRoute);
  }

  async findRoute(provider: ProviderId, businessNumber: string): Promise<Route | undefined> {
    const rows = await this.core.db
      .selectFrom('routes')
      .selectAll()
      .where('provider', 'in', [provider, '*'])
      .where('business_number', 'in', [businessNumber, '*'])
      .execute();
    // The most specific route wins: exact provider and number, then number, then provider.
    const score = (r: RoutesTable) => (r.provider === '*' ? 0 : 2) + (r.business_number === '*' ? 0 : 1);
    const best = rows.sort((a, b) => score(b) - score(a))[0];
    return best ? toRoute(best) : undefined;
  }

  pinnedTenant(): Promise<string | undefined> {
    return readSetting(this.core.db, 'pinned-tenant');
  }

  pinTenant(tenantId: string): Promise<string> {
    return keepFirstSetting(this.core.db, 'pinned-tenant', tenantId);
  }

  claimNotice(key: string, now: number, everyMs: number): Promise<boolean> {
    return claimNotice(this.core.db, `notice:${key}`, now, everyMs);
  }
}
