import { PROVIDER_LABELS } from './labels.ts';
import { compileTemplate } from './template.ts';
import { clipShort } from './text.ts';
import type { AdaptiveCard, CardProvider } from './types.ts';

export interface ProviderVersion {
  provider: CardProvider;
  /** What the provider reports, such as Retarus's `2016.3 (build 512, 2026-10-01)`. */
  version?: string;
  /** Why the version could not be read, in plain words. */
  error?: string;
}

export interface VersionCardData {
  botVersion: string;
  providers: ProviderVersion[];
}

const MAX_PROVIDER_ROWS = 8;

const expand = compileTemplate(new URL('./templates/version.json', import.meta.url));

/** The answer to `version`: the bot's version and each provider API's, or why it is unknown. */
export function renderVersionCard(data: VersionCardData): AdaptiveCard {
  return expand({
    botVersion: clipShort(data.botVersion, 60),
    providers: data.providers.slice(0, MAX_PROVIDER_ROWS).map(({ provider, version, error }) => ({
      provider: PROVIDER_LABELS[provider],
      ...(error?.trim()
        ? { value: `⚠️ ${clipShort(error.trim(), 300)}`, color: 'Attention' }
        : { value: version?.trim() ? clipShort(version.trim(), 200) : 'Not reported', color: 'Default' }),
    })),
  });
}
