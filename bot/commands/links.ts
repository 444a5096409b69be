import { renderLinksCard } from '../../cards/links.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { ThreadUsage } from '../budget/teams-budget.ts';
import type { Route } from '../store/types.ts';
import type { TenantSummary } from '../tenant-policy.ts';
import { currentChannel } from './channel.ts';
import type { Command } from './types.ts';

export const links: Command = {
  name: 'links',
  usage: 'links',
  description:
    'Lists which channel receives the conversations of which provider and number, and how much of its hourly Teams budget each channel used.',
  example: 'links',
  async run({ turn, store, access, budget, reply }) {
    const here = currentChannel(turn)?.channelId;
    const routes = await store.listRoutes();
    const budgets = await Promise.all(
      [...new Set(routes.map((r) => r.teamsChannelId))].map((channel) => budget.usage(channel)),
    );
    await reply(linksCard(routes, here, await access.tenants.describe(), budgets));
  },
};

/** Every route, the channel the command was typed in marked. */
export function linksCard(
  routes: Route[],
  here: string | undefined,
  served: TenantSummary,
  budgets: readonly ThreadUsage[] = [],
): AdaptiveCard {
  const nameOf = (channel: string) =>
    routes.find((r) => r.teamsChannelId === channel)?.channelName ?? channel;
  return renderLinksCard({
    budgets: budgets.map((u) => ({
      channelName: nameOf(u.thread),
      sends: u.send.hour,
      sendLimit: u.send.hourLimit,
      creates: u.create.hour,
      createLimit: u.create.hourLimit,
    })),
    routes: routes.map((r) => ({
      provider: r.provider === '*' ? 'all' : r.provider,
      number: r.businessNumber === '*' ? undefined : r.businessNumber,
      channelName: [
        r.channelName ?? r.teamsChannelId,
        r.team?.name && !r.channelName?.includes(r.team.name) ? ` · ${r.team.name}` : '',
        r.teamsChannelId === here ? ' (this channel)' : '',
      ].join(''),
    })),
    tenants: tenantLine(served.rule, served.tenants),
  });
}

function tenantLine(rule: TenantSummary['rule'], tenants: string[]): string {
  const list = tenants.join(', ');
  if (rule === 'listed') return `Serves the tenants in TEAMS_ALLOWED_TENANTS: ${list}.`;
  if (rule === 'app-tenant') return `Serves the app's own tenant: ${list}.`;
  return tenants.length > 0
    ? `Serves tenant ${list} only (pinned by the first link).`
    : 'No tenant is pinned yet: the first link pins its tenant.';
}
