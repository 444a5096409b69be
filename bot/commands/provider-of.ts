/** The enabled provider a command needs, or a clear answer why it cannot run. */
import { requireCapability } from '../../adapters/capabilities.ts';
import type { Provider, ProviderCapabilities, ProviderId } from '../../adapters/types.ts';
import type { CommandContext } from './types.ts';
import { UsageError } from './types.ts';

export { PROVIDER_IDS } from './provider-arg.ts';

export function enabledProvider(ctx: Pick<CommandContext, 'providers'>, id: ProviderId): Provider {
  const provider = ctx.providers[id];
  if (!provider)
    throw new UsageError(
      `${id} is not enabled on this bot. An admin sets its credentials first (see docs/providers.md).`,
    );
  return provider;
}

/** The first enabled provider that offers `name`, for commands that do not name one. */
export function providerWith<K extends keyof ProviderCapabilities>(
  ctx: Pick<CommandContext, 'providers'>,
  name: K,
  preferred?: ProviderId,
): { provider: Provider; capability: NonNullable<ProviderCapabilities[K]> } {
  const candidates = Object.values(ctx.providers).filter((p): p is Provider => p !== undefined);
  const provider =
    (preferred && ctx.providers[preferred]) ??
    candidates.find((p) => p.capabilities[name] !== undefined) ??
    candidates[0];
  if (!provider)
    throw new UsageError(
      'no provider is enabled on this bot. An admin sets one up first (see docs/providers.md).',
    );
  return { provider, capability: requireCapability(provider, name) };
}
