/**
 * Property-based fuzz of every inbound route, against the real bot process: 2,000 generated bad
 * requests a route (fixed seed), sent 32 at a time. Every answer is a 4xx (card buttons: an error
 * answer or a 4xx, never a 5xx), the process never dies, and not one row is stored.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildBot, startChildBot } from '../helpers/child-bot.ts';
import { freePort } from '../helpers/ports.ts';
import { channelMessage } from '../helpers/teams-activity.ts';
import {
  type Auth,
  badJsonRequests,
  badXmlRequests,
  type FuzzRequest,
  type JsonRoute,
} from './arbitraries.ts';

const SEED = 20_261_204;
const RUNS = 2_000;
const CONCURRENCY = 32;
const BODY_LIMIT = 64 * 1024;
const SECRET = 'fuzz-webhook-secret-0123456789';
const NOWHERE = 'http://127.0.0.1:9';

const basic = (password: string) => `Basic ${Buffer.from(`provider:${password}`).toString('base64')}`;
const header: Auth = {
  sign: (_b, good) => ({
    headers: good ? { 'x-webhook-secret': SECRET } : ({} as Record<string, string>),
    query: '',
  }),
};
const basicAuth: Auth = {
  sign: (_b, good) => ({
    headers: { authorization: basic(good ? SECRET : 'not-the-secret-000000') },
    query: '',
  }),
};
const query: Auth = {
  sign: (_b, good) => ({ headers: {}, query: good ? `?secret=${SECRET}` : '?secret=wrong' }),
};
/** The Conversation API's HMAC over body, nonce and timestamp. */
const hmac: Auth = {
  sign(body, good) {
    const nonce = 'fuzz-nonce';
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', good ? SECRET : 'wrong')
      .update(`${body.toString('utf8')}.${nonce}.${timestamp}`, 'utf8')
      .digest('base64');
    return {
      headers: {
        'x-sinch-webhook-signature': signature,
        'x-sinch-webhook-signature-nonce': nonce,
        'x-sinch-webhook-signature-timestamp': timestamp,
      },
      query: '',
    };
  },
};

const ROUTES: Record<string, JsonRoute> = {
  'POST /webhooks/sinch': {
    path: '/webhooks/sinch',
    base: {
      reply_id: 'fuzz-1',
      source_number: '+61491570156',
      destination_number: '+61491570000',
      content: 'Where is my parcel?',
      date_received: '2026-12-04T10:00:00.000Z',
    },
    required: ['reply_id', 'source_number'],
    numbers: ['source_number'],
    senders: ['destination_number'],
    texts: ['content'],
    auth: header,
    bodyLimit: BODY_LIMIT,
  },
  'POST /webhooks/retarus': {
    path: '/webhooks/retarus',
    base: {
      cuNo: '0123456',
      smsId: 'S1',
      storeTs: '2026-12-04T10:00:00Z',
      src: '+4917612345678',
      dst: '+4930555010',
      text: 'Hallo',
    },
    required: ['smsId', 'src', 'dst', 'text'],
    numbers: ['src'],
    senders: ['dst'],
    texts: ['text'],
    auth: basicAuth,
    bodyLimit: BODY_LIMIT,
  },
  'POST /webhooks/smartdialog': {
    path: '/webhooks/smartdialog',
    base: {
      messageId: 'in-1',
      sender: '+358401112223',
      recipient: '+358409998887',
      content: 'Moi!',
      timestamp: '2026-12-04T10:00:00Z',
      protocol: 'SMS',
    },
    required: ['messageId', 'sender'],
    numbers: ['sender'],
    senders: ['recipient'],
    texts: ['content'],
    auth: query,
    bodyLimit: BODY_LIMIT,
  },
  'POST /webhooks/sinch-conversation': {
    path: '/webhooks/sinch-conversation',
    base: {
      app_id: 'FUZZAPP',
      project_id: 'fuzz-project',
      accepted_time: '2026-12-04T10:00:00.000Z',
      event_time: '2026-12-04T10:00:00.000Z',
      message: {
        id: 'M1',
        direction: 'TO_APP',
        contact_message: { text_message: { text: 'Hi' } },
        channel_identity: { channel: 'RCS', identity: '46701234567', app_id: 'FUZZAPP' },
        conversation_id: 'C1',
        contact_id: 'K1',
        accept_time: '2026-12-04T10:00:00.000Z',
      },
    },
    required: [
      'message.id',
      'message.channel_identity',
      'message.channel_identity.identity',
      'message.contact_message',
    ],
    numbers: ['message.channel_identity.identity'],
    senders: ['message.channel_identity.identity'],
    texts: ['message.contact_message.text_message.text'],
    auth: hmac,
    bodyLimit: BODY_LIMIT,
    // Other triggers (MESSAGE_SUBMIT, CONTACT_*) are acknowledged and ignored, as Sinch expects.
    ignoresOtherObjects: true,
  },
};

/** SmartDialog's delivery callback (GET): queries that name no message, or are over the limits. */
function badSmartDialogReceipts(): fc.Arbitrary<FuzzRequest> {
  const key = fc.stringMatching(/^x[a-z0-9_]{0,15}$/);
  const get = (q: string, kind: string): FuzzRequest => ({
    method: 'GET',
    path: `/webhooks/smartdialog?${q}`,
    headers: {},
    kind,
  });
  const secret = `secret=${SECRET}`;
  return fc.oneof(
    fc
      .dictionary(key, fc.string({ maxLength: 20 }), { maxKeys: 8 })
      .map((d) => get(`${secret}&status=delivered&${new URLSearchParams(d)}`, 'no message id')),
    fc.constant(null).map(() => get('tb_message_id=m1&status=delivered', 'no secret')),
    fc
      .string({ maxLength: 20 })
      .map((s) => get(`secret=${encodeURIComponent(s)}&tb_message_id=m1`, 'wrong secret')),
    fc.nat(10).map((n) => get(`${secret}&tb_message_id=m${'%00'.repeat(n + 1)}&status=delivered`, 'NUL')),
    fc
      .integer({ min: 51, max: 200 })
      .map((n) =>
        get(
          `${secret}&tb_message_id=m1&${Array.from({ length: n }, (_, i) => `x${i}=1`).join('&')}`,
          'too many parameters',
        ),
      ),
    fc
      .integer({ min: 300, max: 2000 })
      .map((n) => get(`${secret}&tb_message_id=${'m'.repeat(n)}&status=delivered`, 'huge id')),
  );
}

/** /api/messages: activities of the wrong shape or type (local mode: no token to check). */
function badActivities(): fc.Arbitrary<FuzzRequest> {
  const base = channelMessage({ serviceUrl: NOWHERE, text: 'help' });
  const json = JSON.stringify(base);
  const post = (body: string | Buffer, kind: string, type = 'application/json'): FuzzRequest => ({
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? Buffer.from(body) : body,
    kind,
  });
  const wrong = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
  );
  const required = ['type', 'serviceUrl', 'channelId', 'from', 'recipient', 'conversation'];
  const small = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => post(Buffer.from(b), 'random bytes')),
    fc.integer({ min: 1, max: json.length - 1 }).map((n) => post(json.slice(0, n), 'truncated JSON')),
    fc
      .tuple(fc.constantFrom(...required), wrong)
      .map(([k, v]) => post(JSON.stringify({ ...base, [k]: v }), 'wrong type')),
    fc.constantFrom(...required).map((k) => {
      const { [k]: _gone, ...rest } = base;
      return post(JSON.stringify(rest), 'missing field');
    }),
    fc
      .string({ maxLength: 40 })
      .map((s) => post(JSON.stringify({ ...base, serviceUrl: `x${s}` }), 'serviceUrl not a URL')),
    fc
      .tuple(fc.constantFrom('from', 'conversation', 'recipient'), wrong)
      .map(([k, v]) =>
        post(JSON.stringify({ ...base, [k]: { ...(base[k] as object), id: v } }), 'wrong type inside'),
      ),
    fc
      .integer({ min: 33, max: 3000 })
      .map((d) =>
        post(`${json.slice(0, -1)},"value":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`, 'deeply nested JSON'),
      ),
    fc
      .constantFrom('type', 'text', 'channelId')
      .map((k) => post(`${json.slice(0, -1)},${JSON.stringify(k)}:"again"}`, 'duplicate key')),
    fc
      .constantFrom('__proto__', 'constructor')
      .map((k) => post(`${json.slice(0, -1)},"channelData":{${JSON.stringify(k)}:{}}}`, 'prototype key')),
    fc.json({ maxDepth: 3 }).map((j) => post(j, 'random JSON')),
    fc
      .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml')
      .map((t) => post(json, 'wrong content type', t)),
  );
  const oversized = fc
    .integer({ min: 1, max: 20_000 })
    .map((n) => post(JSON.stringify({ ...base, text: 'x'.repeat(512 * 1024 + n) }), 'oversized body'));
  // Oversized bodies are rarer than the rest: each is over half a megabyte to send.
  return fc.oneof({ arbitrary: small, weight: 40 }, { arbitrary: oversized, weight: 1 });
}

/** Card buttons (Action.Execute) whose verb and data this bot never wrote. */
function badCardActions(): fc.Arbitrary<FuzzRequest> {
  const envelope = channelMessage({ serviceUrl: NOWHERE, text: '' });
  return fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          'reply',
          'claim',
          'retry',
          'send-text',
          'cancel-text',
          'resolve',
          '__proto__',
          'constructor',
        ),
        fc.anything({ maxDepth: 2 }),
      ),
      fc.oneof(
        fc.anything({ maxDepth: 3 }),
        fc.record({
          threadId: fc.anything({ maxDepth: 1 }),
          messageId: fc.anything({ maxDepth: 1 }),
          token: fc.string(),
        }),
      ),
    )
    .map(([verb, data]) => ({
      method: 'POST' as const,
      path: '/api/messages',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({
          ...envelope,
          type: 'invoke',
          name: 'adaptiveCard/action',
          text: undefined,
          value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        }),
      ),
      kind: 'card action',
    }));
}

interface Outcome {
  status: number;
  body: string;
  req: FuzzRequest;
}

async function fire(url: string, requests: FuzzRequest[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const req = requests[next++] as FuzzRequest;
      const res = await fetch(`${url}${req.path}`, {
        method: req.method,
        headers: req.headers,
        body: req.body,
      }).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (err: unknown) => ({ status: 0, body: String(err) }),
      );
      out.push({ ...res, req });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return out;
}

function rowCounts(dataDir: string): Record<string, number> {
  const db = new Sqlite(path.join(dataDir, 'textbridge.sqlite'), { readonly: true });
  try {
    const tables = [
      'events',
      'messages',
      'threads',
      'jobs',
      'receipts',
      'routes',
      'opt_outs',
      'notes',
      'settings',
    ];
    return Object.fromEntries(
      tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

const histogram = (outcomes: Outcome[]) => {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
};

describe('fuzz: every route refuses bad input, stores nothing and stays up', () => {
  const dirs: string[] = [];
  let bot: ChildBot;
  let sandbox: ChildBot;
  const report: string[] = [];
  const started = Date.now();

  beforeAll(async () => {
    const [mainDir, sandboxDir] = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), 'textbridge-fuzz-')));
    dirs.push(mainDir as string, sandboxDir as string);
    const common = { HOST: '127.0.0.1', LOG_LEVEL: 'fatal', WEBHOOK_BODY_LIMIT: String(BODY_LIMIT) };
    const started = await Promise.allSettled([
      freePort().then((port) =>
        startChildBot({
          ...common,
          PORT: String(port),
          DATA_DIR: mainDir as string,
          SINCH_API_KEY: 'key',
          SINCH_API_SECRET: 'secret',
          SINCH_BASE_URL: NOWHERE,
          SINCH_WEBHOOK_SECRET: SECRET,
          RETARUS_USERNAME: 'user',
          RETARUS_PASSWORD: 'password',
          RETARUS_SENDER: 'Contoso',
          RETARUS_WEBHOOK_SECRET: SECRET,
          SMARTDIALOG_BASE_URL: NOWHERE,
          SMARTDIALOG_ACCESS_TOKEN: 'token',
          SMARTDIALOG_CUSTOMER_ID: '00000000-0000-4000-8000-000000000001',
          SMARTDIALOG_SERVICE_ID: '00000000-0000-4000-8000-000000000002',
          SMARTDIALOG_SENDER: '+358409998887',
          SMARTDIALOG_WEBHOOK_SECRET: SECRET,
          SINCH_CONVERSATION_PROJECT_ID: 'fuzz-project',
          SINCH_CONVERSATION_APP_ID: 'FUZZAPP',
          SINCH_CONVERSATION_KEY_ID: 'key',
          SINCH_CONVERSATION_KEY_SECRET: 'secret',
          SINCH_CONVERSATION_WEBHOOK_SECRET: SECRET,
          SINCH_CONVERSATION_BASE_URL: NOWHERE,
          SINCH_CONVERSATION_AUTH_URL: `${NOWHERE}/oauth2/token`,
        }),
      ),
      freePort().then((port) =>
        startChildBot({ ...common, PORT: String(port), DATA_DIR: sandboxDir as string, SANDBOX: '1' }),
      ),
    ]);
    // Kept before failing on the other, so afterAll stops whichever did start.
    const [main, side] = started;
    if (main?.status === 'fulfilled') bot = main.value;
    if (side?.status === 'fulfilled') sandbox = side.value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  });

  afterAll(async () => {
    await bot?.kill('SIGTERM');
    await sandbox?.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    // The figures the closing note quotes.
    console.log(
      `fuzz (seed ${SEED}, ${RUNS} requests a route, ${((Date.now() - started) / 1000).toFixed(1)} s):\n${report.join('\n')}`,
    );
  });

  const sample = (arb: fc.Arbitrary<FuzzRequest>) => fc.sample(arb, { seed: SEED, numRuns: RUNS });

  type Accepts = (status: number, body: string) => boolean;
  const routes: Array<[string, () => fc.Arbitrary<FuzzRequest>, () => ChildBot, Accepts]> = [
    ...Object.entries(ROUTES).map(
      ([name, route]) =>
        [name, () => badJsonRequests(route), () => bot, is4xx] as [
          string,
          () => fc.Arbitrary<FuzzRequest>,
          () => ChildBot,
          (s: number) => boolean,
        ],
    ),
    [
      'POST /webhooks/retarus (XML)',
      () => badXmlRequests({ ...(ROUTES['POST /webhooks/retarus'] as JsonRoute) }, 'sms'),
      () => bot,
      is4xx,
    ],
    ['GET /webhooks/smartdialog', badSmartDialogReceipts, () => bot, is4xx],
    ['POST /api/messages', badActivities, () => bot, is4xx],
    // An invoke is answered 200 with the card or message that tells the agent; never a 5xx.
    [
      'card actions (invoke)',
      badCardActions,
      () => bot,
      (s, body) =>
        is4xx(s) ||
        (s === 200 && /application\/vnd\.microsoft\.(card\.adaptive|activity\.message)/.test(body)),
    ],
    [
      'POST /sandbox/inbound',
      () =>
        badJsonRequests({
          path: '/sandbox/inbound',
          base: { from: '+15551234567', text: 'Hi' },
          required: ['from', 'text'],
          numbers: ['from'],
          texts: ['text'],
          auth: { sign: () => ({ headers: {}, query: '' }) },
          bodyLimit: BODY_LIMIT,
        }).filter((r) => r.kind !== 'wrong secret'),
      () => sandbox,
      is4xx,
    ],
  ];

  it.each(routes)('%s', { timeout: 60_000 }, async (name, arbitrary, target, accepted) => {
    const t0 = performance.now();
    const requests = sample(arbitrary());
    const t1 = performance.now();
    const outcomes = await fire(target().url, requests);
    const seconds = `${((t1 - t0) / 1000).toFixed(1)} s to generate, ${((performance.now() - t1) / 1000).toFixed(1)} s to send`;
    const bad = outcomes.filter((o) => !accepted(o.status, o.body));
    if (bad.length > 0) {
      const kinds: Record<string, number> = {};
      for (const o of bad) kinds[`${o.status} ${o.req.kind}`] = (kinds[`${o.status} ${o.req.kind}`] ?? 0) + 1;
      report.push(`    unexpected: ${JSON.stringify(kinds)}`);
    }
    const counts = histogram(outcomes);
    const errorCards = outcomes.filter((o) => o.body.includes('This button cannot be used')).length;
    report.push(
      `  ${name}: ${outcomes.length} requests (${seconds}), ${JSON.stringify(counts)}${errorCards > 0 ? `, ${errorCards} answered with the error card` : ''}`,
    );
    expect(
      bad.slice(0, 3).map((o) => ({
        status: o.status,
        kind: o.req.kind,
        body: o.body.slice(0, 200),
        sent: o.req.body?.subarray(0, 200).toString(),
      })),
    ).toEqual([]);
    // No answer leaks an internal: every error body is our JSON, without a stack.
    expect(
      outcomes
        .filter((o) => o.status >= 400 && /\n\s+at |Error:/.test(o.body))
        .map((o) => o.body.slice(0, 200)),
    ).toEqual([]);
    expect(outcomes).toHaveLength(RUNS);
  });

  it('left both processes alive and stored nothing', async () => {
    for (const b of [bot, sandbox]) {
      expect(b.process.exitCode).toBeNull();
      expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
      expect(b.output()).not.toContain('the bot stops on an unexpected error');
    }
    const stored = { bot: rowCounts(dirs[0] as string), sandbox: rowCounts(dirs[1] as string) };
    report.push(`  rows stored: ${JSON.stringify(stored)}; processes alive: 2 of 2`);
    for (const counts of Object.values(stored)) for (const n of Object.values(counts)) expect(n).toBe(0);
  });
});

function is4xx(status: number): boolean {
  return status >= 400 && status < 500;
}
