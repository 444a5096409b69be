/** Looks up an optional provider capability, or says clearly that the provider has none. */
import { ProviderNotSupportedError } from './errors.ts';
import type { Provider, ProviderCapabilities } from './types.ts';

const WHAT: Record<keyof ProviderCapabilities, string> = {
  senders: 'listing sender ids',
  jobs: 'send jobs',
  version: 'an API version lookup',
  contacts: 'group contacts',
  templates: 'WhatsApp templates',
  optIn: 'opt-in and opt-out management',
  reconcile: 'status polling',
  discussion: 'discussion thread replies',
};

export function requireCapability<K extends keyof ProviderCapabilities>(
  provider: Provider,
  name: K,
): NonNullable<ProviderCapabilities[K]> {
  const capability = provider.capabilities[name];
  if (!capability) {
    throw new ProviderNotSupportedError(`${provider.id} does not offer ${WHAT[name]}`, provider.id);
  }
  return capability as NonNullable<ProviderCapabilities[K]>;
}
