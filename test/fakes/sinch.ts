/**
 * A local fake of the Sinch Engage REST API (providers README §1.3 and §1.8). It checks every
 * request body against the official OpenAPI schemas copied under test/fixtures/sinch/spec/, so a
 * request our adapter builds wrongly fails here the way it would fail at Sinch.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { answer, parseJson, readBody } from './http.ts';

// ---------------------------------------------------------------------------------------------
// Official schemas: YAML files with relative $refs, inlined into plain JSON schemas for ajv.

export const SINCH_SPEC_DIR = fileURLToPath(new URL('../fixtures/sinch/spec/', import.meta.url));

const yamlCache = new Map<string, unknown>();

function loadYaml(file: string): unknown {
  if (!yamlCache.has(file)) yamlCache.set(file, parseYaml(readFileSync(file, 'utf8')));
  return yamlCache.get(file);
}

function followPointer(doc: unknown, pointer: string): unknown {
  const parts = pointer.split('/').filter((part) => part !== '');
  return parts.reduce<unknown>((node, raw) => {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!node || typeof node !== 'object' || !(key in node)) throw new Error(`no ${pointer} in spec`);
    return (node as Record<string, unknown>)[key];
  }, doc);
}

function inlineRefs(node: unknown, file: string, seen: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, file, seen));
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const siblings = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inlineRefs(v, file, seen)]));
  if (typeof $ref !== 'string') return siblings;
  const [relative = '', pointer = ''] = $ref.split('#');
  const target = relative ? resolve(dirname(file), relative) : file;
  const key = `${target}#${pointer}`;
  if (seen.includes(key)) throw new Error(`circular $ref ${key}`);
  const resolved = inlineRefs(followPointer(loadYaml(target), pointer), target, [...seen, key]);
  return { ...(resolved as object), ...siblings };
}

/** One schema from the copied spec, every $ref inlined; `file` is relative to the spec folder. */
export function loadSinchSchema(file: string, pointer = ''): Record<string, unknown> {
  const path = resolve(SINCH_SPEC_DIR, file);
  return inlineRefs(followPointer(loadYaml(path), pointer), path, []) as Record<string, unknown>;
}

// ajv-formats is CommonJS with a default export; Node hands us module.exports itself.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();

/** A compiled validator for a spec schema (cached). */
export function sinchValidator(file: string, pointer = ''): ValidateFunction {
  const key = `${file}#${pointer}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(loadSinchSchema(file, pointer));
    validators.set(key, validate);
  }
  return validate;
}

const REQUEST_SCHEMA = '/post/requestBody/content/application~1json/schema';
const sendRequestSchema = () => sinchValidator('paths/messages/v1_messages.yaml', REQUEST_SCHEMA);
const detailRequestSchema = () =>
  sinchValidator('paths/messaging-reports/v2-preview_reporting_messages_detail.yaml', REQUEST_SCHEMA);

function schemaDetails(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'is invalid'}`);
}

// ---------------------------------------------------------------------------------------------
// Constraints the operation descriptions state but the schemas do not encode.

function sendConstraintDetails(body: { messages: Record<string, unknown>[] }): string[] {
  const details: string[] = [];
  const count = body.messages.length;
  if (count < 1 || count > 100)
    details.push(`/messages: must contain between 1 and 100 messages, got ${count}`);
  body.messages.forEach((message, index) => {
    const at = `/messages/${index}`;
    const destination = String(message['destination_number']);
    const digits = destination.replace(/^\+/, '');
    const problems: string[] = [];
    if (digits.length < 8 || digits.length > 15) {
      problems.push("International address must be between 8 and 15 characters excluding the first '+'");
    }
    if (!/^\d*$/.test(digits)) problems.push('International address contains invalid characters');
    if (problems.length > 0) details.push(`${at}/destination_number: ${problems.join(', ')}.`);
    const metadata = message['metadata'];
    if (metadata && typeof metadata === 'object') {
      const entries = Object.entries(metadata);
      if (entries.length > 10)
        details.push(`${at}/metadata: at most 10 key/value pairs, got ${entries.length}`);
      for (const [key, value] of entries) {
        if (key.length > 100) details.push(`${at}/metadata: key "${key.slice(0, 20)}…" is longer than 100`);
        if (String(value).length > 256) details.push(`${at}/metadata/${key}: value is longer than 256`);
      }
    }
    if (typeof message['subject'] === 'string' && message['subject'].length > 64) {
      details.push(`${at}/subject: must be at most 64 characters`);
    }
  });
  return details;
}

function detailConstraintDetails(body: Record<string, unknown>): string[] {
  const details: string[] = [];
  const hasValue = body['metadata_value'] !== undefined || body['metadata_values'] !== undefined;
  if (hasValue && body['metadata_key'] === undefined)
    details.push('/metadata_key: required with metadata_value(s)');
  const start = Date.parse(String(body['start_date']));
  const end = Date.parse(String(body['end_date']));
  if (Number.isNaN(start)) details.push('/start_date: must be an ISO8601 date');
  if (Number.isNaN(end)) details.push('/end_date: must be an ISO8601 date');
  if (!Number.isNaN(start) && !Number.isNaN(end) && end <= start)
    details.push('/end_date: must be after start_date');
  return details;
}

// ---------------------------------------------------------------------------------------------
// The server.

export interface FakeSinchMessage {
  message_id: string;
  status: string;
  content: string;
  destination_number: string;
  source_number?: string;
  callback_url?: string;
  delivery_report?: boolean;
  format?: string;
  media?: string[];
  metadata?: Record<string, string>;
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** When it arrived (epoch ms). */
  at: number;
}

export interface FakeSinch {
  url: string;
  sent: FakeSinchMessage[];
  requests: RecordedRequest[];
  /** The next n requests answer `status` with `body` (default `{message}`) and `headers`. */
  failNext(n: number, status: number, body?: unknown, headers?: Record<string, string>): void;
  /** The next n requests are read and never answered, to exercise timeouts. */
  hangNext(n: number): void;
  /** POSTs a callback_url delivery report (to `opts.to` when given) and returns our HTTP status. */
  deliver(messageId: string, status: string, errorCode: string, opts?: { to?: string }): Promise<number>;
  receiptBody(messageId: string, status: string, errorCode: string): Record<string, unknown>;
  inboundBody(opts: { from: string; to: string; text: string; messageId?: string }): Record<string, unknown>;
  close(): Promise<void>;
}

const PARSE_FAILED = 'Request failed to parse correctly. Please ensure input is valid and try again.';
const ACCOUNT_ID = 'FakeAccount001';

interface Failure {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export async function startFakeSinch(options: { apiKey: string; apiSecret: string }): Promise<FakeSinch> {
  const expectedAuth = `Basic ${Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString('base64')}`;
  const sent: FakeSinchMessage[] = [];
  const requests: RecordedRequest[] = [];
  const sentAt = new Map<string, Date>();
  const statusCodes = new Map<string, string>();
  const failures: Failure[] = [];
  let hangs = 0;
  // Shapes of GetAllApprovedSenderAddresses and AssignedNumberListResponse (Engage spec).
  const senderData: { addresses: unknown[]; dedicated: unknown[] } = {
    addresses: [
      {
        id: randomUUID(),
        sender_address: 'Contoso',
        sender_address_type: 'ALPHANUMERIC',
        usage_type: 'ALPHANUMERIC',
        label: 'Brand name',
        display_status: 'APPROVED',
      },
    ],
    dedicated: [
      {
        assignment: { id: randomUUID(), number_id: randomUUID(), label: 'Support line' },
        number: {
          id: randomUUID(),
          phone_number: '61491570000',
          country: 'AU',
          type: 'MOBILE',
          capabilities: ['SMS', 'MMS'],
        },
      },
    ],
  };

  const byId = (id: string) => sent.find((message) => message.message_id === id);

  function sendMessages(body: unknown): [number, unknown] {
    const validate = sendRequestSchema();
    if (!validate(body)) return [400, { message: PARSE_FAILED, details: schemaDetails(validate.errors) }];
    const request = body as { messages: Record<string, unknown>[] };
    const details = sendConstraintDetails(request);
    // All-or-nothing: one invalid message and nothing is sent.
    if (details.length > 0) return [400, { message: PARSE_FAILED, details }];
    const accepted = request.messages.map((message) => {
      const stored: FakeSinchMessage = {
        ...(message as FakeSinchMessage),
        ...(message['metadata'] ? { metadata: stringValues(message['metadata'] as object) } : {}),
        message_id: randomUUID(),
        status: 'queued',
      };
      sent.push(stored);
      sentAt.set(stored.message_id, new Date());
      return { ...stored };
    });
    return [202, { messages: accepted }];
  }

  function detailReport(body: unknown): [number, unknown] {
    const validate = detailRequestSchema();
    if (!validate(body)) return [400, { message: PARSE_FAILED, details: schemaDetails(validate.errors) }];
    const query = body as Record<string, unknown>;
    const details = detailConstraintDetails(query);
    if (details.length > 0) return [400, { message: PARSE_FAILED, details }];
    const matches = sent.filter((message) => matchesReport(message, sentAt.get(message.message_id)!, query));
    const page = Number(query['page'] ?? 0);
    const pageSize = Number(query['page_size'] ?? 20);
    const slice = matches.slice(page * pageSize, (page + 1) * pageSize);
    return [
      200,
      {
        messages: slice.map((message) => reportRecord(message, sentAt.get(message.message_id)!, statusCodes)),
        pagination: { page, page_size: pageSize, has_next: matches.length > (page + 1) * pageSize },
      },
    ];
  }

  function route(method: string, path: string, body: unknown): [number, unknown] {
    if (method === 'POST' && path === '/v1/messages') return sendMessages(body);
    const messageMatch = /^\/v1\/messages\/([^/]+)$/.exec(path);
    if (method === 'GET' && messageMatch) {
      const message = byId(decodeURIComponent(messageMatch[1]!));
      return message ? [200, message] : [404, { message: 'Resource not found.' }];
    }
    if (method === 'POST' && path === '/v2-preview/reporting/messages/detail') return detailReport(body);
    if (method === 'GET' && path === '/v1/messaging/numbers/sender_address/addresses') {
      return [200, { data: senderData.addresses, pagination: { page_size: senderData.addresses.length } }];
    }
    if (method === 'GET' && path === '/v1/messaging/numbers/dedicated/assignments') {
      return [200, { data: senderData.dedicated, pagination: { page_size: senderData.dedicated.length } }];
    }
    return [404, { message: 'Resource not found.' }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const parsed = parseJson(raw);
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: parsed.ok ? parsed.value : raw || undefined,
      at: Date.now(),
    });
    if (hangs > 0) {
      hangs -= 1;
      return;
    }
    const failure = failures.shift();
    if (failure) return answer(res, failure.status, failure.body, failure.headers);
    if (req.headers.authorization !== expectedAuth) {
      return answer(res, 401, { message: 'Invalid authentication credentials' });
    }
    if (!parsed.ok)
      return answer(res, 400, { message: PARSE_FAILED, details: ['Failed to parse message body.'] });
    const [status, answerBody] = route(req.method ?? 'GET', path, parsed.value);
    answer(res, status, answerBody);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => answer(res, 500, { message: String(err) }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  function receiptBody(messageId: string, status: string, errorCode: string): Record<string, unknown> {
    const message = byId(messageId);
    if (!message) throw new Error(`fake Sinch never sent ${messageId}`);
    // The documented callback_url delivery-report example (Delivery Reports tag of the spec).
    return {
      ...(message.callback_url ? { callback_url: message.callback_url } : {}),
      delivery_report_id: randomUUID(),
      source_number: message.destination_number,
      date_received: new Date().toISOString(),
      status,
      delay: 0,
      submitted_date: sentAt.get(messageId)!.toISOString(),
      original_text: message.content,
      message_id: messageId,
      vendor_account_id: { vendor_id: 'SinchEU', account_id: ACCOUNT_ID },
      error_code: errorCode,
      metadata: { ...message.metadata },
    };
  }

  function inboundBody(opts: {
    from: string;
    to: string;
    text: string;
    messageId?: string;
  }): Record<string, unknown> {
    // A reply links to the last message sent to that handset, as Sinch matches replies.
    const original = opts.messageId
      ? byId(opts.messageId)
      : sent.findLast((message) => message.destination_number === opts.from);
    const messageId = opts.messageId ?? original?.message_id;
    return {
      account_id: ACCOUNT_ID,
      reply_id: randomUUID(),
      destination_number: opts.to,
      source_number: opts.from,
      date_received: new Date().toISOString(),
      ...(messageId ? { message_id: messageId } : {}),
      content: opts.text,
      metadata: { ...original?.metadata },
    };
  }

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    requests,
    failNext(n, status, body, headers = {}) {
      for (let i = 0; i < n; i += 1)
        failures.push({ status, body: body ?? { message: STATUS_CODES[status] }, headers });
    },
    hangNext(n) {
      hangs += n;
    },
    async deliver(messageId, status, errorCode, opts = {}) {
      const body = receiptBody(messageId, status, errorCode);
      const target = opts.to ?? byId(messageId)?.callback_url;
      if (!target) throw new Error(`message ${messageId} has no callback_url; pass opts.to`);
      byId(messageId)!.status = status;
      statusCodes.set(messageId, errorCode);
      const res = await request(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.body.dump();
      return res.statusCode;
    },
    receiptBody,
    inboundBody,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done())));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function matchesReport(message: FakeSinchMessage, at: Date, query: Record<string, unknown>): boolean {
  if (query['direction'] === 'inbound') return false;
  const time = at.getTime();
  if (time < Date.parse(String(query['start_date'])) || time > Date.parse(String(query['end_date'])))
    return false;
  const key = query['metadata_key'];
  if (typeof key === 'string') {
    const value = message.metadata?.[key];
    if (value === undefined) return false;
    const wanted =
      (query['metadata_values'] as string[] | undefined) ?? (query['metadata_value'] as string | undefined);
    if (wanted !== undefined && ![wanted].flat().includes(value)) return false;
  }
  const destinations =
    (query['destinations'] as string[] | undefined) ?? (query['destination'] as string | undefined);
  if (destinations !== undefined && ![destinations].flat().includes(message.destination_number)) return false;
  const sources = (query['sources'] as string[] | undefined) ?? (query['source'] as string | undefined);
  if (sources !== undefined && ![sources].flat().includes(message.source_number ?? '')) return false;
  const statuses = query['status'] as string[] | undefined;
  return statuses === undefined || statuses.includes(message.status.toUpperCase());
}

function reportRecord(
  message: FakeSinchMessage,
  at: Date,
  codes: Map<string, string>,
): Record<string, unknown> {
  const code = codes.get(message.message_id);
  return {
    message_id: message.message_id,
    format: message.format ?? 'SMS',
    timestamp: at.toISOString(),
    last_status_update: at.toISOString(),
    direction: 'outbound',
    status: message.status,
    ...(code ? { status_code: Number(code) } : {}),
    ...(message.source_number ? { source_address: message.source_number } : {}),
    destination_address: message.destination_number,
    content: message.content,
    account_id: ACCOUNT_ID,
    units: 1,
    metadata: Object.entries(message.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** "Values come back as strings" (metadata, README §1.3). */
function stringValues(metadata: object): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)]));
}
