/**
 * Whether a text fits the provider and channel it is about to go out on, checked before anything
 * is queued: a provider that would refuse it fails late, one that would cut it loses words
 * silently (Retarus truncates past 20 parts). The limits are the adapters' (Provider.textLimits).
 */
import type { MessageChannel, Provider } from '../adapters/types.ts';
import { CHANNEL_LABELS } from '../cards/labels.ts';
import { countSegments } from '../cards/segments.ts';
import { formatCount } from '../cards/text.ts';

/** What is wrong with sending `text` on `channel`, in words for the agent; undefined when it fits. */
export function textProblem(
  provider: Pick<Provider, 'id' | 'textLimits'>,
  channel: MessageChannel,
  text: string,
): string | undefined {
  const limit = provider.textLimits[channel];
  if (!limit) return `${provider.id} does not send ${CHANNEL_LABELS[channel]} messages`;
  const chars = Array.from(text).length;
  if (limit.maxChars !== undefined && chars > limit.maxChars) {
    return `${limit.source}; this one has ${formatCount(chars)}. Shorten it or send it as two messages`;
  }
  if (limit.maxSegments !== undefined) {
    const { segments, encoding } = countSegments(text);
    if (segments > limit.maxSegments) {
      const why = encoding === 'UCS-2' ? ' (it has characters outside GSM-7, so each part holds 67)' : '';
      return `${limit.source}; this one needs ${formatCount(segments)}${why}. Shorten it or send it as two messages`;
    }
  }
  return undefined;
}
