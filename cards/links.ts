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

export interface LinksCardData {
  routes: LinkRoute[];
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
    tenants: clipShort(data.tenants ?? '', 400),
  });
}
