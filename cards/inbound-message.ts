import { type FoldedMessage, withFolded } from './folded.ts';
import { CHANNEL_LABELS } from './labels.ts';
import { compileTemplate } from './template.ts';
import { clipMessage, clipShort, mediaLines } from './text.ts';
import { cardTime } from './time.ts';
import type { AdaptiveCard, CardChannel, CardMedia } from './types.ts';

export interface InboundMessageCardData {
  /** Customer number, already formatted for display. */
  from: string;
  channel: CardChannel;
  text: string;
  media?: CardMedia[];
  /** ISO-8601. */
  receivedAt: string;
  /** The provider reported this message as an opt-out (STOP). */
  optOut?: boolean;
  /**
   * Every message of the card when it carries several (folded while they waited for Teams);
   * `text`, `media` and `receivedAt` are then those of the first.
   */
  messages?: FoldedMessage[];
}

const expand = compileTemplate(new URL('./templates/inbound-message.json', import.meta.url));

/** A later customer message, posted as a reply in the customer's thread: the words, then who, how and when. */
export function renderInboundMessageCard(data: InboundMessageCardData): AdaptiveCard {
  // A card of several messages marks each opt-out in its list.
  const optOut = data.optOut === true && (data.messages?.length ?? 0) < 2;
  const card = expand({
    from: clipShort(data.from),
    channelLabel: CHANNEL_LABELS[data.channel],
    ...clipMessage(data.text || '(no text)'),
    hasText: data.text.trim() !== '',
    media: mediaLines(data.media),
    meta: `${clipShort(data.from)} · ${CHANNEL_LABELS[data.channel]} · ${cardTime(data.receivedAt)}`,
    optOut,
  });
  return withFolded(card, data.messages);
}
