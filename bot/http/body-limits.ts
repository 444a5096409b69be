/**
 * The input limits (adapters/input-limits.ts) applied to a request body by what it is: JSON or
 * XML, by its first character or else its declared type. Every inbound route runs this before
 * anything parses the body, so a new provider's route is held to the same limits.
 */
import { INPUT_LIMITS, jsonLimitProblem, xmlLimitProblem } from '../../adapters/input-limits.ts';

export function bodyLimitProblem(raw: Buffer | string, contentType: string): string | undefined {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first === '<' || (first === undefined && contentType.endsWith('xml'))) return xmlLimitProblem(text);
  if (first === '{' || first === '[' || contentType.endsWith('json')) return jsonLimitProblem(text);
  return xmlLimitProblem(text) ?? jsonLimitProblem(text);
}

/** The JSON of a body within the limits, or why not (in our words, for a 400). */
export function limitedJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = raw.toString('utf8');
  const problem = jsonLimitProblem(text);
  if (problem) return { ok: false, error: problem };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'the body is not valid JSON' };
  }
}

/** Most query parameters a callback carries (SmartDialog's receipts have a handful). */
const MAX_QUERY_PARAMS = 50;

/** The query of a request within the limits: few parameters, short values, no NUL. */
export function queryLimitProblem(query: Record<string, string>): string | undefined {
  const entries = Object.entries(query);
  if (entries.length > MAX_QUERY_PARAMS) return `the query has more than ${MAX_QUERY_PARAMS} parameters`;
  for (const [key, value] of entries) {
    if (key.length + value.length > INPUT_LIMITS.maxString)
      return 'a query parameter is longer than the limit';
    if (key.includes('\u0000') || value.includes('\u0000')) return 'the query contains a NUL character';
  }
  return undefined;
}
