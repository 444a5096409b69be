/**
 * Several messages of one customer in one card: while they waited for Teams' budget they go out
 * together, newest first, under "3 messages", each with its time. The customer card and the
 * message card put this in place of their one message (the element with id "messageBody").
 */
import { clipMessage, mediaLines } from './text.ts';
import { cardTime } from './time.ts';
import type { AdaptiveCard, CardMedia } from './types.ts';

export interface FoldedMessage {
  text: string;
  /** ISO-8601. */
  receivedAt: string;
  media?: CardMedia[];
  /** The provider reported this message as an opt-out (STOP). */
  optOut?: boolean;
}

const BODY_ID = 'messageBody';

/** The messages, newest first, as one Container. */
export function foldedBlock(messages: readonly FoldedMessage[]): Record<string, unknown> {
  const newestFirst = [...messages].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
  return {
    id: BODY_ID,
    type: 'Container',
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: `${messages.length} messages`, weight: 'Bolder', wrap: true },
      ...newestFirst.map(messageBlock),
    ],
  };
}

function messageBlock(m: FoldedMessage): Record<string, unknown> {
  const clipped = clipMessage(m.text || '(no text)');
  const items: Record<string, unknown>[] = [
    { type: 'TextBlock', text: cardTime(m.receivedAt), size: 'Small', isSubtle: true, wrap: true },
  ];
  if (m.optOut) {
    items.push({
      type: 'TextBlock',
      text: '🚫 Opted out (STOP): do not text them until they opt back in.',
      weight: 'Bolder',
      color: 'Attention',
      spacing: 'None',
      wrap: true,
    });
  }
  items.push({ type: 'TextBlock', text: clipped.text, spacing: 'None', wrap: true });
  if (clipped.truncated) {
    items.push({
      type: 'TextBlock',
      text: clipped.truncationNote,
      size: 'Small',
      isSubtle: true,
      wrap: true,
    });
  }
  for (const line of mediaLines(m.media)) {
    if (line.image) items.push({ type: 'Image', url: line.url, altText: line.label, size: 'Large' });
    items.push({ type: 'TextBlock', text: line.label, size: 'Small', spacing: 'None', wrap: true });
  }
  return { type: 'Container', separator: true, spacing: 'Small', items };
}

/** `card` with its one message replaced by `messages` (two or more); otherwise `card` itself. */
export function withFolded(card: AdaptiveCard, messages: readonly FoldedMessage[] | undefined): AdaptiveCard {
  if (!messages || messages.length < 2) return card;
  return { ...card, body: replaceBody(card.body, foldedBlock(messages)) };
}

function replaceBody(elements: unknown[], block: Record<string, unknown>): unknown[] {
  return elements.map((e) => {
    if (!e || typeof e !== 'object') return e;
    const el = e as Record<string, unknown>;
    if (el['id'] === BODY_ID) return block;
    return Array.isArray(el['items']) ? { ...el, items: replaceBody(el['items'], block) } : el;
  });
}
