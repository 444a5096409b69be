/**
 * A local fake of the Sinch Conversation API (sinch-conversation.md): the OAuth2 token endpoint,
 * `messages:send` validated against the official OpenAPI copied under
 * test/fixtures/sinch-conversation/, `GET messages/{id}`, and callbacks signed as Sinch signs them
 * (HMAC-SHA256 over body.nonce.timestamp with the webhook's secret).
 *
 * Where the 2021 OpenAPI and the API as Sinch's SDKs describe it disagree, the fake follows the
 * SDKs and says so: the spec's Recipient marks both `contact_id` and `identified_by` required,
 * where the API takes exactly one of them; its SendMessageRequest requires `project_id` in the
 * body, which today's SDKs carry in the path only.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { signConversationBody } from '../../adapters/sinch-conversation/signature.ts';
import { answer, parseJson, readBody } from './http.ts';

const SPEC = parseYaml(
  readFileSync(new URL('../fixtures/sinch-conversation/openapi.yaml', import.meta.url), 'utf8'),
) as { components: { schemas: Record<string, unknown> } };

/** `#/components/schemas/X` refs inlined (the spec has no cycles on the send path). */
function inline(node: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inline(n, seen));
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const own = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inline(v, seen)]));
  if (typeof $ref !== 'string') return own;
  const name = $ref.replace('#/components/schemas/', '');
  if (seen.includes(name)) return own;
  return { ...(inline(SPEC.components.schemas[name], [...seen, name]) as object), ...own };
}

function sendSchema(): Record<string, unknown> {
  const schema = inline(SPEC.components.schemas['SendMessageRequest']) as Record<string, unknown>;
  const properties = schema['properties'] as Record<string, Record<string, unknown>>;
  // The spec's quirks (see the header): project_id lives in the path, Recipient is one of two.
  schema['required'] = (schema['required'] as string[]).filter((r) => r !== 'project_id');
  const recipient = properties['recipient']!;
  delete recipient['required'];
  recipient['oneOf'] = [{ required: ['contact_id'] }, { required: ['identified_by'] }];
  return schema;
}

const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
let validateSend: ValidateFunction | undefined;

export interface FakeConversationMessage {
  message_id: string;
  accepted_time: string;
  request: Record<string, unknown>;
  /** The first channel the request names: what the message is sent as. */
  channel: string;
  to: string;
}

export interface FakeConversationOptions {
  projectId: string;
  appId: string;
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /** Channels the app has credentials for; a send naming another is refused. Default RCS and SMS. */
  channels?: string[];
}

export interface CallbackOptions {
  /** Sign with another secret (a forged callback). */
  secret?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Leave the signature headers out. */
  unsigned?: boolean;
}

export interface FakeConversation {
  url: string;
  authUrl: string;
  sent: FakeConversationMessage[];
  tokensIssued: number;
  /** Every request: method, path and the JSON body (or the raw form of the token request). */
  requests: Array<{ method: string; path: string; body: unknown; authorization?: string }>;
  /** Our webhook, as the app's webhook target (set by the test). */
  webhookUrl?: string;
  /** Tokens issued so far stop working, as after they expired. */
  expireTokens(): void;
  failNext(status: number, body?: unknown): void;
  /** A signed callback to webhookUrl; resolves with our HTTP status and answer. */
  callback(body: Record<string, unknown>, opts?: CallbackOptions): Promise<{ status: number; body: string }>;
  inboundBody(opts: {
    from: string;
    text?: string;
    mediaUrl?: string;
    choice?: string;
    channel?: string;
    id?: string;
  }): Record<string, unknown>;
  deliveryBody(
    messageId: string,
    status: string,
    opts?: { channel?: string; reason?: { code: string; description: string } },
  ): Record<string, unknown>;
  close(): Promise<void>;
}

const ulid = () => randomUUID().replaceAll('-', '').slice(0, 26).toUpperCase();

export async function startFakeConversation(options: FakeConversationOptions): Promise<FakeConversation> {
  const channels = options.channels ?? ['RCS', 'SMS'];
  const basic = `Basic ${Buffer.from(`${options.keyId}:${options.keySecret}`).toString('base64')}`;
  const valid = new Set<string>();
  const failures: Array<{ status: number; body: unknown }> = [];
  const state: FakeConversation = {
    url: '',
    authUrl: '',
    sent: [],
    tokensIssued: 0,
    requests: [],
    expireTokens: () => valid.clear(),
    failNext: (status, body) => {
      failures.push({
        status,
        body: body ?? { error: { code: status, message: 'injected', status: 'UNAVAILABLE' } },
      });
    },
    callback: (body, opts) => postCallback(state.webhookUrl, options.webhookSecret, body, opts),
    inboundBody: (opts) => inboundBody(options, opts),
    deliveryBody: (messageId, status, opts = {}) => {
      const message = state.sent.find((m) => m.message_id === messageId);
      if (!message) throw new Error(`fake Conversation API never sent ${messageId}`);
      return deliveryBody(options, message, status, opts);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };

  const error = (code: number, status: string, message: string) => ({
    error: { code, message, status, details: [] },
  });

  function token(req: IncomingMessage, raw: string): [number, unknown] {
    if (req.headers.authorization !== basic) return [401, { error: 'invalid_client' }];
    if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      return [400, { error: 'invalid_request', error_description: 'form body expected' }];
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return [400, { error: 'unsupported_grant_type' }];
    }
    const accessToken = `tok-${randomUUID()}`;
    valid.add(accessToken);
    state.tokensIssued += 1;
    return [200, { access_token: accessToken, expires_in: 3599, scope: '', token_type: 'bearer' }];
  }

  function send(body: unknown): [number, unknown] {
    validateSend ??= ajv.compile(sendSchema());
    if (!validateSend(body)) {
      const details = (validateSend.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
      return [400, error(400, 'INVALID_ARGUMENT', `Malformed request: ${details.join('; ')}`)];
    }
    const req = body as Record<string, unknown> & {
      app_id: string;
      recipient: { identified_by?: { channel_identities: Array<{ channel: string; identity: string }> } };
      channel_priority_order?: string[];
      message: { text_message?: { text: string } };
    };
    if (req.app_id !== options.appId) return [404, error(404, 'NOT_FOUND', `app ${req.app_id} not found`)];
    const identities = req.recipient.identified_by?.channel_identities ?? [];
    const order = req.channel_priority_order ?? identities.map((i) => i.channel);
    const missing = order.filter((c) => !channels.includes(c));
    if (missing.length > 0) {
      return [
        400,
        error(400, 'INVALID_ARGUMENT', `channel ${missing.join(', ')} is not configured for the app`),
      ];
    }
    const text = req.message.text_message?.text;
    if (order[0] === 'RCS' && text !== undefined && text.length > 3072) {
      return [
        400,
        error(400, 'INVALID_ARGUMENT', 'text_message.text is longer than 3072 characters for RCS'),
      ];
    }
    const message: FakeConversationMessage = {
      message_id: ulid(),
      accepted_time: new Date().toISOString(),
      request: req,
      channel: order[0] ?? 'SMS',
      to: identities[0]?.identity ?? '',
    };
    state.sent.push(message);
    return [200, { message_id: message.message_id, accepted_time: message.accepted_time }];
  }

  function route(req: IncomingMessage, path: string, raw: string): [number, unknown] {
    if (req.method === 'POST' && path === '/oauth2/token') return token(req, raw);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !valid.has(auth.slice(7))) {
      return [401, error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')];
    }
    const prefix = `/v1/projects/${options.projectId}`;
    if (!path.startsWith(`${prefix}/`)) return [404, error(404, 'NOT_FOUND', 'project not found')];
    const rest = path.slice(prefix.length);
    const parsed = parseJson(raw);
    if (req.method === 'POST' && rest === '/messages:send') {
      return parsed.ok ? send(parsed.value) : [400, error(400, 'INVALID_ARGUMENT', 'invalid JSON')];
    }
    const get = /^\/messages\/([^/]+)$/.exec(rest);
    if (req.method === 'GET' && get) {
      const found = state.sent.find((m) => m.message_id === decodeURIComponent(get[1]!));
      return found
        ? [200, { id: found.message_id, direction: 'TO_CONTACT', app_message: found.request['message'] }]
        : [404, error(404, 'NOT_FOUND', 'message not found')];
    }
    return [404, error(404, 'NOT_FOUND', `no route ${req.method} ${path}`)];
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const parsed = parseJson(raw);
      state.requests.push({
        method: req.method ?? 'GET',
        path,
        body: parsed.ok ? parsed.value : raw,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      const failure = path === '/oauth2/token' ? undefined : failures.shift();
      if (failure) return answer(res, failure.status, failure.body);
      const [status, body] = route(req, path, raw);
      answer(res, status, body);
    })().catch((err: unknown) => answer(res, 500, { error: { code: 500, message: String(err) } }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.authUrl = `${state.url}/oauth2/token`;
  return state;
}

function envelope(options: FakeConversationOptions): Record<string, unknown> {
  const at = new Date().toISOString();
  return {
    app_id: options.appId,
    accepted_time: at,
    event_time: at,
    project_id: options.projectId,
    message_metadata: '',
    correlation_id: '',
  };
}

function inboundBody(
  options: FakeConversationOptions,
  opts: { from: string; text?: string; mediaUrl?: string; choice?: string; channel?: string; id?: string },
): Record<string, unknown> {
  const contact_message = opts.mediaUrl
    ? { media_message: { url: opts.mediaUrl } }
    : opts.choice
      ? { choice_response_message: { message_id: ulid(), postback_data: opts.choice } }
      : { text_message: { text: opts.text ?? '' } };
  return {
    ...envelope(options),
    message: {
      id: opts.id ?? ulid(),
      direction: 'TO_APP',
      contact_message,
      // Sinch's examples write identities without the '+'.
      channel_identity: {
        channel: opts.channel ?? 'RCS',
        identity: opts.from.replace(/^\+/, ''),
        app_id: '',
      },
      conversation_id: ulid(),
      contact_id: ulid(),
      metadata: '',
      accept_time: new Date().toISOString(),
      sender_id: 'textbridge-rcs-agent',
      processing_mode: 'CONVERSATION',
      injected: false,
    },
  };
}

function deliveryBody(
  options: FakeConversationOptions,
  message: FakeConversationMessage,
  status: string,
  opts: { channel?: string; reason?: { code: string; description: string } },
): Record<string, unknown> {
  return {
    ...envelope(options),
    message_delivery_report: {
      message_id: message.message_id,
      conversation_id: ulid(),
      status,
      channel_identity: {
        channel: opts.channel ?? message.channel,
        identity: message.to.replace(/^\+/, ''),
        app_id: '',
      },
      contact_id: ulid(),
      ...(opts.reason ? { reason: { ...opts.reason, sub_code: 'UNSPECIFIED_SUB_CODE' } } : {}),
      metadata: String(message.request['message_metadata'] ?? ''),
      processing_mode: 'CONVERSATION',
    },
  };
}

async function postCallback(
  url: string | undefined,
  secret: string,
  body: Record<string, unknown>,
  opts: CallbackOptions = {},
): Promise<{ status: number; body: string }> {
  if (!url) throw new Error('set webhookUrl on the fake first');
  const raw = JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = ulid();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!opts.unsigned) {
    headers['x-sinch-webhook-signature'] = signConversationBody(opts.secret ?? secret, raw, nonce, timestamp);
    headers['x-sinch-webhook-signature-timestamp'] = timestamp;
    headers['x-sinch-webhook-signature-nonce'] = nonce;
    headers['x-sinch-webhook-signature-algorithm'] = 'HmacSHA256';
  }
  const res = await request(url, { method: 'POST', headers, body: raw });
  return { status: res.statusCode, body: await res.body.text() };
}
