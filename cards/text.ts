import type { CardMedia } from './types.ts';

// Text limits that keep every card under 28 KB of JSON (teams.md §2). Once control characters
// are gone, a code point takes at most 4 bytes in JSON (`"` and `\` take 2, an emoji 4).
/** Longest message text a card shows, in characters (code points). */
export const MAX_MESSAGE_CHARS = 2000;
/** Longest name, number or label a card shows. */
export const MAX_SHORT_CHARS = 100;
/** Most attachments listed on one card. */
export const MAX_MEDIA_ITEMS = 10;

export interface ClippedText {
  text: string;
  truncated: boolean;
  /** Says how much was left out; empty when nothing was. */
  truncationNote: string;
}

/** Cuts a message body to MAX_MESSAGE_CHARS without splitting a surrogate pair. */
export function clipMessage(text: string): ClippedText {
  const chars = Array.from(cleanText(text));
  if (chars.length <= MAX_MESSAGE_CHARS)
    return { text: chars.join(''), truncated: false, truncationNote: '' };
  return {
    text: chars.slice(0, MAX_MESSAGE_CHARS).join('') + '…',
    truncated: true,
    truncationNote: `Message shortened: showing ${formatCount(MAX_MESSAGE_CHARS)} of ${formatCount(chars.length)} characters.`,
  };
}

export function clipShort(text: string, max = MAX_SHORT_CHARS): string {
  const chars = Array.from(cleanText(text));
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('') + '…';
}

/**
 * Drops control characters other than tab and line breaks, which no card shows but JSON spells as
 * six-byte escapes, and replaces lone surrogates, which JSON.stringify escapes the same way.
 */
function cleanText(text: string): string {
  return text
    .replace(/[^\P{Cc}\t\n\r]/gu, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * `<number>`-style placeholders as ‹number›. Teams and the Agents Playground read `<…>` as HTML
 * and drop it, so "text <number> [--via <provider>]" showed as "text  [--via ]". The look-alike
 * angle quotes are plain text in every client. For our own words (usages, hints), never for a
 * customer's.
 */
export function showPlaceholders(text: string): string {
  return text.replace(/<([^<>\s][^<>\n]*?)>/g, '‹$1›');
}

export interface MediaLine {
  /** Name and type; a markdown link when the file can be opened. */
  label: string;
  /** Shown inline: an image with a link. */
  image: boolean;
  /** The link, or '' (templates bind every field). */
  url: string;
}

/** One line per attachment, at most MAX_MEDIA_ITEMS plus a line counting the rest. */
export function mediaLines(media: readonly CardMedia[] = []): MediaLine[] {
  const lines: MediaLine[] = media.slice(0, MAX_MEDIA_ITEMS).map((item, i) => {
    const name = clipShort(item.name || `Attachment ${i + 1}`, 80).replace(/[[\]]/g, '');
    const type = clipShort(item.contentType || 'unknown type', 60);
    const image = item.href !== undefined && /^image\/(png|jpe?g|gif|webp)$/i.test(item.contentType ?? '');
    const label = item.href
      ? `📎 [${name}](${item.href}) (${type})`
      : `📎 ${name} (${type})${item.tooLarge ? ' · too large to keep' : ''}`;
    return { label, image, url: item.href ?? '' };
  });
  const rest = media.length - lines.length;
  if (rest > 0) lines.push({ label: `…and ${plural(rest, 'more attachment')}`, image: false, url: '' });
  return lines;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export interface Fact {
  title: string;
  value: string;
}

/** Facts with clipped titles and values: at most `max`, then one fact counting the rest. */
export function clipFacts(facts: readonly Fact[], max: number): Fact[] {
  const shown = facts.slice(0, max).map((fact) => ({
    title: showPlaceholders(clipShort(fact.title, 60)),
    value: showPlaceholders(clipShort(fact.value, 200)),
  }));
  const rest = facts.length - shown.length;
  if (rest > 0) shown.push({ title: '…', value: `${formatCount(rest)} more not shown` });
  return shown;
}
