import { PROVIDER_LABELS } from './labels.ts';
import { compileTemplate } from './template.ts';
import { clipShort, plural } from './text.ts';
import type { AdaptiveCard, CardProvider } from './types.ts';

export interface LinkRoute {
  /** `all` routes every provider. */
  provider: CardProvider | 'all';
  /** Business number; absent when the route takes all of the provider's numbers. */
  number?: string;
  channelName: string;
}

export interface ChannelBudget {
  channelName: string;
  /** Posts and updates of the last hour, and the hour's limit. */
  sends: number;
  sendLimit: number;
  /** New threads of the last hour, and the hour's limit. */
  creates: number;
  createLimit: number;
}

export interface LinksCardData {
  routes: LinkRoute[];
  /** Each linked channel's use of Teams' hourly budget. */
  budgets?: ChannelBudget[];
  /** The bot's name as agents @mention it; defaults to textbridge. */
  botName?: string;
  /** Which Microsoft 365 tenants the bot serves, in a sentence. */
  tenants?: string;
}

/** Most routes listed on one card; at most about 700 bytes each, so the card stays < 28 KB. */
export const MAX_LINK_ROWS = 30;

const expand = compileTemplate(new URL('./templates/links.json', import.meta.url));

export function renderLinksCard(data: LinksCardData): AdaptiveCard {
  const routes = data.routes.slice(0, MAX_LINK_ROWS).map((route) => ({
    provider: route.provider === 'all' ? 'All providers' : PROVIDER_LABELS[route.provider],
    number: route.number ? clipShort(route.number, 40) : 'All numbers',
    channel: clipShort(route.channelName, 60),
  }));
  const rest = data.routes.length - routes.length;
  return expand({
    title: data.routes.length === 0 ? 'Routes' : `Routes (${data.routes.length})`,
    botName: clipShort(data.botName || 'textbridge', 40),
    routes,
    more: rest > 0 ? `…and ${plural(rest, 'more route')}.` : '',
    budgets: (data.budgets ?? []).slice(0, MAX_LINK_ROWS).map(budgetLine),
    tenants: clipShort(data.tenants ?? '', 400),
  });
}

const percent = (used: number, limit: number) => (limit > 0 ? Math.round((used / limit) * 100) : 0);

/** "Support: 412 of 1,800 posts and updates (23%), 35 of 1,800 new threads (2%)". */
function budgetLine(b: ChannelBudget): { line: string; busy: boolean } {
  const n = (x: number) => x.toLocaleString('en-US');
  const sends = percent(b.sends, b.sendLimit);
  const creates = percent(b.creates, b.createLimit);
  return {
    line:
      `${clipShort(b.channelName, 60)}: ${n(b.sends)} of ${n(b.sendLimit)} posts and updates (${sends}%), ` +
      `${n(b.creates)} of ${n(b.createLimit)} new threads (${creates}%)`,
    busy: Math.max(sends, creates) >= 80,
  };
}
