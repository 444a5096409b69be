/**
 * SMS segment count as carriers bill it (3GPP TS 23.038 / 23.040). GSM-7 fits 160 septets in one
 * message and 153 per part of a concatenated one (the UDH takes 7); an extension-table character
 * costs two septets (escape + code) and is never split across parts. Anything outside GSM-7 sends
 * the whole message as UCS-2: 70 UTF-16 code units, or 67 per part, without splitting a surrogate
 * pair, so an emoji costs two.
 */

import { plural } from './text.ts';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS: Readonly<Record<SmsEncoding, { single: number; part: number }>> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

export function countSegments(text: string): SegmentCount {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const sizes = chars.map((c) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, n) => sum + n, 0);
  const limit = LIMITS[encoding];
  if (units <= limit.single) return { encoding, segments: 1, units };
  return { encoding, segments: packParts(sizes, limit.part), units };
}

/** Fills parts in order; a character that does not fit whole starts the next part. */
function packParts(sizes: readonly number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > capacity) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

/** "2 SMS segments · GSM-7", as the cards show a text's billing size. */
export function describeSegments(text: string): string {
  const { segments, encoding } = countSegments(text);
  return `${plural(segments, 'SMS segment')} · ${encoding === 'GSM-7' ? 'GSM-7' : 'UCS-2 (Unicode)'}`;
}
