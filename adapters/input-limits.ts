/**
 * Limits every request body is held to before anything parses it: nesting depth, string length,
 * array and object sizes, no duplicate or prototype keys, no NUL; for XML also no DOCTYPE and no
 * entity declarations. Each check is one linear pass over the text without recursion, so a body
 * nested 100,000 deep costs a loop, not a stack; what fails is answered 400 in our words.
 *
 * Providers send flat payloads (Sinch's deepest is 3 levels, a Teams activity about 6), so the
 * limits leave wide room for what is real and none for what only an attacker sends.
 */

export interface InputLimits {
  /** Deepest nesting of objects and arrays (JSON) or elements (XML). */
  maxDepth: number;
  /** Longest key (JSON) or tag (XML), in characters as written. */
  maxKey: number;
  /**
   * Longest string value or XML text. Large on purpose: an MMS can carry its picture inline
   * (base64, up to MEDIA_MAX_BYTES); the body limit bounds it first, and what each field may hold
   * (a message's text, an id) is checked once the body is read (bot/http/event-fields.ts).
   */
  maxString: number;
  /** Most items of one array. */
  maxItems: number;
  /** Most keys of one object; most elements of an XML document. */
  maxMembers: number;
}

export const INPUT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxDepth: 32,
  maxKey: 256,
  maxString: 16 * 1024 * 1024,
  maxItems: 5_000,
  maxMembers: 1_000,
});

/** Longest XML tag, attributes and namespace declarations included. */
const MAX_TAG = 4096;

/** Keys that would reach an object's prototype machinery if code ever merged them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Container {
  object: boolean;
  /** Commas seen (arrays). */
  count: number;
  keys: Set<string> | undefined;
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Why `text` is refused, or undefined when it is within the limits. Not a JSON validator: text
 * that is not JSON passes here and fails in JSON.parse.
 */
export function jsonLimitProblem(text: string, limits: InputLimits = INPUT_LIMITS): string | undefined {
  const stack: Container[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined; // unterminated: JSON.parse says so
      const raw = text.slice(i + 1, end);
      if (raw.length > limits.maxString)
        return `a string of ${raw.length} characters is longer than the limit of ${limits.maxString}`;
      if (raw.includes('\\u0000')) return 'the body contains a NUL character';
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        if (raw.length > limits.maxKey)
          return `a key of ${raw.length} characters is longer than the limit of ${limits.maxKey}`;
        const problem = keyProblem(raw, top, limits);
        if (problem) return problem;
        top.expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      // { or [
      if (stack.length >= limits.maxDepth) return `the body is nested deeper than ${limits.maxDepth} levels`;
      const object = c === 0x7b;
      stack.push({ object, count: 0, keys: object ? new Set() : undefined, expectKey: object });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      // ,
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
      // n commas separate n + 1 items.
      else if (top && ++top.count >= limits.maxItems)
        return `an array has more than ${limits.maxItems} items`;
    } else if (c === 0) {
      return 'the body contains a NUL character';
    }
    i++;
  }
  return undefined;
}

function keyProblem(raw: string, object: Container, limits: InputLimits): string | undefined {
  let key = raw;
  if (raw.includes('\\')) {
    try {
      key = JSON.parse(`"${raw}"`) as string;
    } catch {
      return undefined; // a broken escape: JSON.parse says so
    }
  }
  if (PROTOTYPE_KEYS.has(key)) return `the key "${key}" is not accepted`;
  const keys = object.keys as Set<string>;
  if (keys.has(key)) return `the key "${clip(key)}" appears twice in one object`;
  keys.add(key);
  if (keys.size > limits.maxMembers) return `an object has more than ${limits.maxMembers} keys`;
  return undefined;
}

/** Index of the quote that closes the string opened at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return -1;
    // A quote preceded by an odd number of backslashes is escaped.
    let slashes = 0;
    for (let j = q - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return q;
    i = q + 1;
  }
}

/**
 * The same for XML, and what XML adds: no DOCTYPE or other declaration (no entities, so no
 * expansion bombs and no external entities), no prototype element names. Not a validator either.
 */
export function xmlLimitProblem(text: string, limits: InputLimits = INPUT_LIMITS): string | undefined {
  if (text.includes('\u0000')) return 'the body contains a NUL character';
  let depth = 0;
  let elements = 0;
  let i = text.indexOf('<');
  while (i >= 0) {
    if (text.startsWith('<?', i)) i = after(text, '?>', i);
    else if (text.startsWith('<!--', i)) i = after(text, '-->', i);
    else if (text.startsWith('<![CDATA[', i)) i = after(text, ']]>', i);
    else if (text.startsWith('<!', i)) return 'XML declarations (DOCTYPE, ENTITY) are not accepted';
    else {
      const close = text.indexOf('>', i);
      if (close < 0) return undefined; // not well-formed: the parser says so
      const tag = text.slice(i + 1, close);
      if (tag.startsWith('/')) depth--;
      else {
        const name = /^[^\s/>]*/.exec(tag)?.[0] ?? '';
        const local = name.slice(name.indexOf(':') + 1);
        if (PROTOTYPE_KEYS.has(local)) return `the element <${local}> is not accepted`;
        if (++elements > limits.maxMembers) return `the XML has more than ${limits.maxMembers} elements`;
        if (!tag.endsWith('/') && ++depth > limits.maxDepth)
          return `the XML is nested deeper than ${limits.maxDepth} levels`;
      }
      if (close - i > MAX_TAG) return `an XML tag is longer than ${MAX_TAG} characters`;
      i = close + 1;
    }
    if (i < 0) return undefined;
    const next = text.indexOf('<', i);
    if ((next < 0 ? text.length : next) - i > limits.maxString)
      return `a text of more than ${limits.maxString} characters is longer than the limit`;
    i = next;
  }
  return undefined;
}

function after(text: string, end: string, from: number): number {
  const at = text.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
