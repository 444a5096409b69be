/**
 * What the webhook parsers of every adapter share: reading a JSON body and checking a payload
 * against its schema, with errors that name the field as it reads in the payload.
 */
import type { z } from 'zod';
import { WebhookParseError } from './errors.ts';

/** The JSON of a webhook body; `what` names the payload for the empty-body message. */
export function jsonBody(raw: Buffer | string, what: string): unknown {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.trim() === '') throw new WebhookParseError(`the body is empty; ${what}`);
  try {
    return JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the body back.
    throw new WebhookParseError('the body is not valid JSON');
  }
}

/**
 * The payload as `schema` reads it, or a WebhookParseError for its first problem: `"src" is
 * required in an inbound SMS`. `fieldPath` writes a path as the payload spells it.
 */
export function checkPayload<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  kind: string,
  fieldPath: (path: ReadonlyArray<string | number>) => string = (path) => path.join('.'),
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw new WebhookParseError(`the body is not ${kind}`);
  const field = `"${fieldPath(issue.path)}"`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined')
    throw new WebhookParseError(`${field} is required in ${kind}`);
  if (issue.code === 'too_small') throw new WebhookParseError(`${field} must not be empty in ${kind}`);
  throw new WebhookParseError(`${field} is invalid in ${kind}: ${issue.message}`);
}
