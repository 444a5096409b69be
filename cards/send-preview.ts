import { executeAction } from './actions.ts';
import { PROVIDER_LABELS } from './labels.ts';
import { countSegments } from './segments.ts';
import { compileTemplate } from './template.ts';
import { clipMessage, clipShort, formatCount, plural } from './text.ts';
import type { AdaptiveCard, CardProvider } from './types.ts';

export interface SendPreviewCardData {
  /** Identifies the pending send; the Send and Cancel buttons carry it back. */
  token: string;
  /** Customer number, already formatted for display. */
  to: string;
  provider: CardProvider;
  /** The sender id; absent means the provider's configured default. */
  sender?: string;
  text: string;
}

const expand = compileTemplate(new URL('./templates/send-preview.json', import.meta.url));

/** Asks the agent to confirm a `text` command whose message is long, before anything is sent. */
export function renderSendPreviewCard(data: SendPreviewCardData): AdaptiveCard {
  const { segments, encoding, units } = countSegments(data.text);
  const chars = Array.from(data.text).length;
  const encodingLabel = encoding === 'GSM-7' ? 'GSM-7' : 'UCS-2 (Unicode)';
  return expand({
    to: clipShort(data.to),
    providerLabel: PROVIDER_LABELS[data.provider],
    sender: data.sender?.trim() ? clipShort(data.sender.trim()) : 'Configured default',
    length: `${plural(chars, 'character')} · ${plural(segments, 'SMS segment')} · ${encodingLabel}`,
    segments,
    segmentsWarning:
      `As SMS this is ${formatCount(segments)} segments (${formatCount(units)} ${encoding === 'GSM-7' ? 'septets' : 'UTF-16 units'}), ` +
      `each billed as one message.${encoding === 'UCS-2' ? ' Emoji or characters outside GSM-7 make every segment shorter (67 instead of 153).' : ''}`,
    ...clipMessage(data.text),
    actions: [
      executeAction('Send', 'send-text', { token: data.token }, { withoutInputs: true }),
      executeAction('Cancel', 'cancel-text', { token: data.token }, { withoutInputs: true }),
    ],
  });
}
