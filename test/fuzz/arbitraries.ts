/**
 * Bad requests, generated (fast-check): for a route's valid base payload, every way the report
 * and the providers' worst days could spoil it. Each request is bad on purpose: a valid one would
 * rightly be stored, and the fuzz test counts stored rows as failures.
 */
import fc from 'fast-check';

export interface FuzzRequest {
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was done to it, for the histogram and for a failure's message. */
  kind: string;
}

/** How a route is authenticated: the headers and query of a request, right or wrong. */
export interface Auth {
  sign(body: Buffer, good: boolean): { headers: Record<string, string>; query: string };
}

/** Fields are named by their path: `message.channel_identity.identity`. */
export interface JsonRoute {
  path: string;
  base: Record<string, unknown>;
  /** Fields the payload cannot do without. */
  required: string[];
  /** Fields that hold a customer's phone number, which must be one. */
  numbers: string[];
  /** Fields that hold a business number or sender id. */
  senders?: string[];
  /** Fields whose text has a length limit. */
  texts: string[];
  auth: Auth;
  bodyLimit: number;
  contentType?: string;
  /** A JSON object the route does not know is a callback type it acknowledges and ignores. */
  ignoresOtherObjects?: boolean;
}

/** A copy of `base` with the field at `path` set to `value` (or removed, for undefined). */
function setPath(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') return copy;
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function getPath(base: Record<string, unknown>, path: string): unknown {
  let node: unknown = base;
  for (const key of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

/** A value of any type but `value`'s (a string where an object belongs, an object for a string). */
function wrongTypeFor(value: unknown): fc.Arbitrary<unknown> {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return fc.oneof(
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    isObject
      ? fc.string({ maxLength: 5 })
      : fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  );
}

const NOT_A_NUMBER = fc
  .oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      '+1',
      '+0123456789',
      '++61491570156',
      '+61 491 570 156',
      'call me',
      '+6149157015600000000',
    ),
  )
  .filter((s) => !/^\+?[1-9]\d{6,14}$/.test(s));

/** Neither a phone number, a short code nor a sender id of up to 11 letters and digits. */
const NOT_A_SENDER = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /[^A-Za-z0-9 +]/.test(s)),
  fc.stringMatching(/^[A-Za-z]{21,40}$/),
  fc.constantFrom('our number, roughly', '<script>', 'Contoso Customer Care Ltd'),
);

const WRONG_CONTENT_TYPES = fc.constantFrom(
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'text/html',
  'application/jsonx',
);

function nest(depth: number, arrays: boolean): string {
  return arrays
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `json` with `extra` (already JSON) as one more top-level field. */
function withField(json: string, name: string, extra: string): string {
  return `${json.slice(0, -1)},${JSON.stringify(name)}:${extra}}`;
}

function request(route: JsonRoute, body: string | Buffer, kind: string, good = true, type?: string) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const { headers, query } = route.auth.sign(bytes, good);
  return {
    method: 'POST' as const,
    path: `${route.path}${query}`,
    headers: { 'content-type': type ?? route.contentType ?? 'application/json', ...headers },
    body: bytes,
    kind,
  };
}

/** Bad JSON requests for `route`, `kind` naming the spoiling. */
export function badJsonRequests(route: JsonRoute): fc.Arbitrary<FuzzRequest> {
  const json = JSON.stringify(route.base);
  const field = (names: string[]) => fc.constantFrom(...names);
  const replaced = (name: string, value: unknown) => JSON.stringify(setPath(route.base, name, value));
  const randomJson = fc
    .json({ maxDepth: 3 })
    // An empty batch is acknowledged (Sinch takes an array of events); it stores nothing.
    .filter((j) => j.replace(/\s/g, '') !== '[]')
    .filter((j) => !route.ignoresOtherObjects || !/^\s*\{/.test(j));
  const small = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => request(route, Buffer.from(b), 'random bytes')),
    fc
      .integer({ min: 1, max: json.length - 1 })
      .map((n) => request(route, json.slice(0, n), 'truncated JSON')),
    fc
      .tuple(fc.integer({ min: 33, max: 3000 }), fc.boolean())
      .map(([depth, arrays]) =>
        request(route, withField(json, 'x', nest(depth, arrays)), 'deeply nested JSON'),
      ),
    fc
      .tuple(field([...route.texts, ...route.required]), fc.integer({ min: 10_001, max: 20_000 }))
      .map(([name, n]) => request(route, replaced(name, 'x'.repeat(n)), 'huge string')),
    fc.tuple(field([...route.required, ...route.texts]), fc.nat(20)).map(([name, at]) => {
      const value = String(route.base[name] ?? '');
      return request(route, replaced(name, `${value.slice(0, at)}\u0000${value.slice(at)}`), 'NUL');
    }),
    field(route.required)
      .chain((name) => wrongTypeFor(getPath(route.base, name)).map((value) => [name, value] as const))
      .map(([name, value]) => request(route, replaced(name, value), 'wrong type')),
    field(route.required).map((name) => request(route, replaced(name, undefined), 'missing field')),
    fc
      .tuple(field(route.numbers), NOT_A_NUMBER)
      .map(([name, value]) => request(route, replaced(name, value), 'not a phone number')),
    fc
      .tuple(field(route.senders ?? route.numbers), NOT_A_SENDER)
      .map(([name, value]) => request(route, replaced(name, value), 'not a sender')),
    field(Object.keys(route.base)).map((name) =>
      request(route, withField(json, name, JSON.stringify('again')), 'duplicate key'),
    ),
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean())
      .map(([key, nested]) =>
        request(
          route,
          nested
            ? withField(json, 'meta', `{${JSON.stringify(key)}:{"admin":true}}`)
            : withField(json, key, '{"admin":true}'),
          'prototype key',
        ),
      ),
    randomJson.map((j) => request(route, j, 'random JSON')),
    fc.constant(null).map(() => request(route, json, 'wrong secret', false)),
    WRONG_CONTENT_TYPES.map((type) => request(route, json, 'wrong content type', true, type)),
  );
  const oversized = fc
    .integer({ min: 1, max: 20_000 })
    .map((n) =>
      request(
        route,
        JSON.stringify({ ...route.base, pad: 'x'.repeat(route.bodyLimit + n) }),
        'oversized body',
      ),
    );
  // Oversized bodies are rarer than the rest: each is a body limit's worth to send.
  return fc.oneof({ arbitrary: small, weight: 30 }, { arbitrary: oversized, weight: 1 });
}

/** Bad XML requests: what XML adds to the JSON ones. */
export function badXmlRequests(route: JsonRoute, element: string): fc.Arbitrary<FuzzRequest> {
  const fields = Object.entries(route.base)
    .map(([k, v]) => `<${k}>${String(v)}</${k}>`)
    .join('');
  const doc = (inner: string, head = '') => `<?xml version="1.0"?>${head}<${element}>${inner}</${element}>`;
  const xml = (body: string, kind: string) => request(route, body, kind, true, 'application/xml');
  return fc.oneof(
    fc
      .integer({ min: 33, max: 3000 })
      .map((d) => xml(doc(`${fields}${'<a>'.repeat(d)}${'</a>'.repeat(d)}`), 'deeply nested XML')),
    fc.constantFrom(
      xml(
        doc(`${fields}<x>&e;</x>`, '<!DOCTYPE sms [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
        'external entity',
      ),
      xml(
        doc(
          '<text>&b8;</text>',
          `<!DOCTYPE l [<!ENTITY a "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY b${i} "${'&a;'.repeat(10)}">`).join('')}]>`,
        ),
        'entity expansion',
      ),
      xml(doc(`${fields}<__proto__><admin>1</admin></__proto__>`), 'prototype element'),
      xml(doc(`${fields}<constructor>1</constructor>`), 'prototype element'),
    ),
    fc
      .integer({ min: 1, max: doc(fields).length - 1 })
      .map((n) => xml(doc(fields).slice(0, n), 'truncated XML')),
    fc
      .uint8Array({ maxLength: 1024 })
      .map((b) => xml(`<${Buffer.from(b).toString('latin1')}`, 'random XML bytes')),
    fc
      .tuple(fc.constantFrom(...route.numbers), NOT_A_NUMBER)
      .map(([name, value]) =>
        xml(
          doc(
            fields.replace(
              `<${name}>${String(route.base[name])}</${name}>`,
              `<${name}>${escapeXml(value)}</${name}>`,
            ),
          ),
          'not a phone number',
        ),
      ),
    fc
      .constantFrom(...route.required)
      .map((name) =>
        xml(doc(fields.replace(`<${name}>${String(route.base[name])}</${name}>`, '')), 'missing field'),
      ),
  );
}

/** Text as XML may hold it (control characters other than whitespace are not XML at all). */
function escapeXml(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) continue;
    out += ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch;
  }
  return out;
}
