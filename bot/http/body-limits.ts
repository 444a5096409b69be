/**
 * The input limits (adapters/input-limits.ts) applied to a request body by what it is: JSON or
 * XML, by its first character or else its declared type. Every inbound route runs this before
 * anything parses the body, so a new provider's route is held to the same limits.
 */
import { jsonLimitProblem, xmlLimitProblem } from '../../adapters/input-limits.ts';

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
