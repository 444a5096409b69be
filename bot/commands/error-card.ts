/** A provider's failure as an agent should read it: what failed, why, and what to do. */
import {
  ProviderAuthError,
  type ProviderError,
  ProviderNotFoundError,
  ProviderNotSupportedError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../adapters/errors.ts';
import { renderErrorCard } from '../../cards/error.ts';
import type { AdaptiveCard } from '../../cards/types.ts';

function nextStep(err: ProviderError): string {
  if (err instanceof ProviderAuthError) return `An admin checks the ${err.provider} credentials of the bot.`;
  if (err instanceof ProviderRateLimitError) return 'Wait a minute and try again.';
  if (err instanceof ProviderUnavailableError) return 'Try again in a few minutes.';
  if (err instanceof ProviderNotFoundError) return 'Check the id or number and try again.';
  if (err instanceof ProviderValidationError) return 'Correct the input and try again.';
  if (err instanceof ProviderNotSupportedError) return 'Use a provider that offers it, or type `help`.';
  return 'Try again; if it keeps failing, an admin can find the details in the bot log.';
}

export function providerErrorCard(command: string, err: ProviderError): AdaptiveCard {
  return renderErrorCard({
    title: `${command} failed`,
    what: `${err.provider} could not do it.`,
    why: err.message,
    next: nextStep(err),
    ...(err.status ? { details: [{ title: 'Status', value: String(err.status) }] } : {}),
  });
}
