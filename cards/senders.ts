import { fitCount } from './fit.ts';
import { PROVIDER_LABELS } from './labels.ts';
import { compileTemplate } from './template.ts';
import { clipShort, plural } from './text.ts';
import type { AdaptiveCard, CardProvider } from './types.ts';

export interface CardSender {
  /** What goes into --from: a number, short code or alphanumeric sender id. */
  id: string;
  label?: string;
  /** For example number, short code or alphanumeric. */
  kind?: string;
  /** The sender used when none is given. */
  isDefault?: boolean;
}

export interface ProviderSenders {
  provider: CardProvider;
  senders: CardSender[];
  /** For example why the list is empty or could not be fetched. */
  note?: string;
}

export interface SendersCardData {
  providers: ProviderSenders[];
}

/** Most senders listed per provider; fewer when more would not fit the card. */
export const MAX_SENDERS_PER_PROVIDER = 30;

/** More sections than there are providers would be a caller's mistake; this bounds the card. */
const MAX_PROVIDER_SECTIONS = 8;

const expand = compileTemplate(new URL('./templates/senders.json', import.meta.url));

/** The answer to `senders`: what each provider can send from, and its default. */
export function renderSendersCard(data: SendersCardData): AdaptiveCard {
  const providers = data.providers.slice(0, MAX_PROVIDER_SECTIONS);
  const longest = Math.max(0, ...providers.map((entry) => entry.senders.length));
  return fitCount(Math.min(longest, MAX_SENDERS_PER_PROVIDER), (cap) =>
    expand({ providers: providers.map((entry) => providerSection(entry, cap)) }),
  );
}

function providerSection(entry: ProviderSenders, cap: number) {
  // The default first, so it survives any cut.
  const senders = [...entry.senders].sort(
    (a, b) => Number(b.isDefault === true) - Number(a.isDefault === true),
  );
  const shown = senders.slice(0, cap);
  const hidden = senders.length - shown.length;
  return {
    provider: PROVIDER_LABELS[entry.provider],
    senders: shown.map((sender) => ({
      id: clipShort(sender.id, 60),
      details: [sender.label?.trim(), sender.kind?.trim()]
        .filter((part): part is string => Boolean(part))
        .map((part) => clipShort(part, 60))
        .join(' · '),
      isDefault: sender.isDefault === true,
    })),
    more: hidden > 0 ? `…and ${plural(hidden, 'more sender')}.` : '',
    note: clipShort(entry.note?.trim() ?? '', 300),
  };
}
