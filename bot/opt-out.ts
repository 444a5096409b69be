/**
 * Customer opt-out by keyword. Carriers and providers treat these words, sent alone, as a request
 * to stop messages (CTIA's list; Sinch's own opt-out notification arrives already marked).
 */
import type { WebhookEvent } from '../adapters/types.ts';

export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
]);

/** Whether a message is an opt-out: the keyword alone, in any case, with optional punctuation. */
export function isOptOutText(text: string): boolean {
  const word = text
    .trim()
    .replace(/[.!\s]+$/u, '')
    .toUpperCase();
  return OPT_OUT_KEYWORDS.has(word);
}

/** Marks inbound messages that are opt-out keywords, so the store blocks the number. */
export function markOptOuts(events: WebhookEvent[]): WebhookEvent[] {
  return events.map((e) =>
    e.kind === 'inbound' && !e.optOut && isOptOutText(e.text) ? { ...e, optOut: true } : e,
  );
}
