/**
 * Helpers for SmartDialog's wire shapes. It answers in two casings: /messages in PascalCase
 * ({MessageId, Recipients:[{Address, Id}]}), the WhatsApp template send, templates and contacts in
 * camelCase (providers README §3.2). Rather than a schema per casing, answers are read with their
 * keys lower-cased.
 */
import { z } from 'zod';

/** A deep copy of `value` whose object keys are lower-case; the first spelling of a key wins. */
export function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    if (!(lower in out)) out[lower] = lowerKeys(item);
  }
  return out;
}

/** `{[key]: value}`, or nothing when value is undefined, for spreading optional wire fields. */
export function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value };
}

const asText = (value: unknown) => (typeof value === 'number' ? String(value) : value);

/** An id: opaque text (README §3.5); a number is taken as its digits. A missing one reads "Required". */
export const idText = z.preprocess(asText, z.string().min(1));

/** An id that may be absent or empty, where its absence does not make the answer useless. */
export const optionalIdText = z.preprocess(asText, z.string().nullish());
