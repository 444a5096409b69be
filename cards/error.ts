import { compileTemplate } from './template.ts';
import { clipFacts, clipShort, showPlaceholders } from './text.ts';
import type { AdaptiveCard } from './types.ts';

export interface ErrorCardData {
  /** Short, for example "Could not send the text". */
  title: string;
  /** What failed, in plain words. */
  what: string;
  /** Why it failed, in plain words. */
  why: string;
  /** What the agent can do about it. */
  next?: string;
  /** For example the provider, its error code and a message id. */
  details?: Array<{ title: string; value: string }>;
}

export const MAX_ERROR_DETAILS = 12;
const MAX_EXPLANATION_CHARS = 1000;

/** A stack frame line as V8 prints it, indented: `    at fn (file.ts:1:2)`. */
const STACK_FRAME = /^\s+at\s\S/;

const expand = compileTemplate(new URL('./templates/error.json', import.meta.url));

/** Tells an agent what failed, why, and what to do next. Stack frames are never shown. */
export function renderErrorCard(data: ErrorCardData): AdaptiveCard {
  const details = (data.details ?? []).map((fact) => ({
    title: fact.title,
    value: withoutStack(fact.value),
  }));
  return expand({
    title: showPlaceholders(clipShort(withoutStack(data.title))),
    what: showPlaceholders(clipShort(withoutStack(data.what), MAX_EXPLANATION_CHARS)),
    why: showPlaceholders(clipShort(withoutStack(data.why), MAX_EXPLANATION_CHARS)) || 'Not known.',
    next: showPlaceholders(clipShort(withoutStack(data.next ?? ''), MAX_EXPLANATION_CHARS)),
    details: clipFacts(details, MAX_ERROR_DETAILS),
  });
}

function withoutStack(text: string): string {
  return text
    .split('\n')
    .filter((line) => !STACK_FRAME.test(line))
    .join('\n')
    .trim();
}
