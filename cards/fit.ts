import type { AdaptiveCard } from './types.ts';

/**
 * Largest card JSON, in bytes, a list card may take: 28 KB keeps every Teams delivery path safe
 * (teams.md §2), less 1 KB for the message around the card.
 */
export const MAX_CARD_BYTES = 27 * 1024;

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card));
}

/** Renders with the largest count up to `max` whose card stays within MAX_CARD_BYTES (at least 0). */
export function fitCount(max: number, render: (count: number) => AdaptiveCard): AdaptiveCard {
  let count = Math.max(0, max);
  for (;;) {
    const card = render(count);
    const bytes = cardBytes(card);
    if (bytes <= MAX_CARD_BYTES || count === 0) return card;
    // Rows take nearly all of a long card, so shrink in proportion and try again.
    count = Math.max(0, Math.min(count - 1, Math.floor((count * MAX_CARD_BYTES) / bytes)));
  }
}

/**
 * Renders a list card with the first `max` rows, or fewer when those would not fit; `hidden` is
 * how many rows were left out, for an "and N more" line.
 */
export function fitRows<T>(
  rows: readonly T[],
  max: number,
  render: (shown: T[], hidden: number) => AdaptiveCard,
): AdaptiveCard {
  return fitCount(Math.min(rows.length, max), (count) => render(rows.slice(0, count), rows.length - count));
}
