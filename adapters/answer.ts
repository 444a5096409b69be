/**
 * Reads a provider's 2xx answer with a zod schema. An answer of another shape is the provider's
 * doing, not ours: a ProviderError naming the operation and the first field that did not fit.
 */
import type { z } from 'zod';
import { ProviderError } from './errors.ts';

export interface Answerer {
  /** Provider id, as on the typed errors. */
  id: string;
  /** How messages name it: "Sinch". */
  name: string;
}

export function readAnswer<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
  from: Answerer,
  operation: string,
): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown shape';
  throw new ProviderError(`${from.name} answered ${operation} with an unexpected body (${where})`, from.id);
}
