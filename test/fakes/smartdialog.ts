/**
 * A local fake of the SmartDialog connector API (providers README §3.6) and of its Azure AD B2C
 * token endpoint. Every request is checked against the official swagger copied under
 * test/fixtures/smartdialog/spec/ (body schema and required headers of its operation), so a
 * request our adapter builds wrongly fails here the way it would fail at SmartDialog.
 *
 * Where the real API's behaviour is NOT FOUND in any public document, the fake makes a plausible
 * choice and says so: the answer to a duplicate RequestId, the DLR callback's parameters, the
 * answers for unknown contacts and ids.
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
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { request } from 'undici';
import { answer, parseJson, readBody } from './http.ts';

// ---------------------------------------------------------------------------------------------
// The official swagger (Swagger 2.0): operations by path template, schemas with #/ refs inlined.

export const SMARTDIALOG_SPEC_FILE = fileURLToPath(
  new URL('../fixtures/smartdialog/spec/smartdialog.swagger.json', import.meta.url),
);

export interface SwaggerParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body';
  required?: boolean;
  type?: string;
  schema?: Record<string, unknown>;
}

export interface SwaggerOperation {
  operationId: string;
  parameters?: SwaggerParameter[];
  responses: Record<string, { schema?: Record<string, unknown> }>;
  [key: string]: unknown;
}

type SwaggerSpec = { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;

let specCache: SwaggerSpec | undefined;

export function loadSmartDialogSpec(): SwaggerSpec {
  specCache ??= JSON.parse(readFileSync(SMARTDIALOG_SPEC_FILE, 'utf8')) as SwaggerSpec;
  return specCache;
}

/** Inlines local refs (#/definitions/…, #/parameters/…); the connector keeps its schemas inline today. */
function inlineRefs(node: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, seen));
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const siblings = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inlineRefs(v, seen)]));
  if (typeof $ref !== 'string') return siblings;
  if (!$ref.startsWith('#/') || seen.includes($ref)) throw new Error(`unsupported or circular $ref ${$ref}`);
  const target = $ref
    .slice(2)
    .split('/')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], loadSmartDialogSpec());
  if (target === undefined) throw new Error(`no ${$ref} in the swagger`);
  return { ...(inlineRefs(target, [...seen, $ref]) as object), ...siblings };
}

export interface MatchedOperation {
  method: string;
  template: string;
  operation: SwaggerOperation;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

/** The swagger operation serving `method path`; literal segments win over templated ones. */
export function matchSmartDialogOperation(method: string, path: string): MatchedOperation | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: { match: MatchedOperation; literals: number } | undefined;
  for (const [template, item] of Object.entries(loadSmartDialogSpec().paths)) {
    const operation = item[method.toLowerCase()] as SwaggerOperation | undefined;
    const parts = template.split('/').filter(Boolean);
    if (!operation || parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = parts.every((part, i) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name) params[name] = decodeURIComponent(segments[i]!);
      else literals += 1;
      return name !== undefined || part === segments[i];
    });
    if (fits && (!best || literals > best.literals)) {
      best = {
        match: { method, template, operation: inlineRefs(operation) as SwaggerOperation, params },
        literals,
      };
    }
  }
  return best?.match;
}

// ajv-formats is CommonJS with a default export; Node hands us module.exports itself.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => void;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Swagger 2.0's numeric formats are not JSON Schema formats.
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
});
const validators = new Map<string, ValidateFunction>();

function compiled(key: string, schema: () => Record<string, unknown>): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema());
    validators.set(key, validate);
  }
  return validate;
}

/** A validator of an operation's answer for `status`, to check the fake speaks the swagger. */
export function smartDialogResponseValidator(
  method: string,
  template: string,
  status: number,
): ValidateFunction {
  return compiled(`${method} ${template} ${status}`, () => {
    const operation = loadSmartDialogSpec().paths[template]?.[method.toLowerCase()] as SwaggerOperation;
    const schema = (inlineRefs(operation) as SwaggerOperation).responses[String(status)]?.schema;
    if (!schema) throw new Error(`no ${status} schema for ${method} ${template}`);
    return schema;
  });
}

/** The "New message" trigger's payload (x-ms-notification-content). */
export function smartDialogInboundValidator(): ValidateFunction {
  return compiled('notification', () => {
    const item = loadSmartDialogSpec().paths['/service/{Service}/pipelines/actions'] as Record<
      string,
      unknown
    >;
    return (inlineRefs(item['x-ms-notification-content']) as { schema: Record<string, unknown> }).schema;
  });
}

function schemaDetails(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'is invalid'}`);
}

/** What the swagger says is wrong with a request: missing required headers, body schema errors. */
export function checkSmartDialogRequest(
  match: MatchedOperation,
  headers: IncomingHttpHeaders,
  body: unknown,
): string[] {
  const problems: string[] = [];
  for (const param of match.operation.parameters ?? []) {
    if (param.in === 'header') {
      const value = headers[param.name.toLowerCase()];
      if (value === undefined) {
        if (param.required) problems.push(`header ${param.name} is required`);
      } else if (param.type === 'boolean' && !/^(true|false)$/i.test(String(value))) {
        problems.push(`header ${param.name} must be true or false`);
      }
    }
    if (param.in === 'body' && param.schema) {
      if (body === undefined) {
        if (param.required) problems.push('a JSON body is required');
        continue;
      }
      const key = `${match.method} ${match.template} body`;
      const validate = compiled(key, () => param.schema!);
      if (!validate(body)) problems.push(...schemaDetails(validate.errors));
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The fake's fixed world: one customer and its services.

export const FAKE_SMARTDIALOG = {
  customerId: '6f1c1c2e-3d4b-4a5f-9e8d-7c6b5a4f3e2d',
  /** OneWay, AllowReplyMessage: sends and replies. */
  serviceId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  /** OneWay without replies: /messages/reply refuses it. */
  oneWayNoReplyServiceId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
  twoWayServiceId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  /** OneWay, AllowReplyMessage, on WhatsApp: WhatsApp threads and templates. */
  whatsAppServiceId: '4e5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b',
  groupServiceId: '3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a',
  whatsAppIdentity: '+358401234567',
  basePath: '/api-integrations/v1',
  tokenPath: '/arenafi.onmicrosoft.com/B2C_1A_SmartDialog_Integrations/oauth2/v2.0/token',
} as const;

interface FakeService {
  id: string;
  name: string;
  type: 'OneWay' | 'TwoWay' | 'Group';
  allowReply: boolean;
}

const SERVICES: FakeService[] = [
  { id: FAKE_SMARTDIALOG.serviceId, name: 'Replies', type: 'OneWay', allowReply: true },
  { id: FAKE_SMARTDIALOG.oneWayNoReplyServiceId, name: 'Notices', type: 'OneWay', allowReply: false },
  { id: FAKE_SMARTDIALOG.whatsAppServiceId, name: 'WhatsApp', type: 'OneWay', allowReply: true },
  { id: FAKE_SMARTDIALOG.twoWayServiceId, name: 'Inbox', type: 'TwoWay', allowReply: false },
  { id: FAKE_SMARTDIALOG.groupServiceId, name: 'Customers', type: 'Group', allowReply: false },
];

/** WhatsApp's own categories; SmartDialog's list is NOT FOUND. */
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];
const REGIONS = [
  { value: 'FI', name: 'Finland' },
  { value: 'SE', name: 'Sweden' },
];
const SEVEN_DAYS_MS = 7 * 24 * 3600_000;
const API_SCOPE = 'https://arenafi.onmicrosoft.com/smartdialog-integrations-api/';
const KNOWN_SCOPES = new Set([
  'offline_access',
  ...['Gateway.Send', 'Customer.Services', 'User.Customers', 'TwoWay.Management', 'WhatsApp']
    .concat(['Discussion.Reply', 'Group.Management'])
    .map((s) => `${API_SCOPE}${s}`),
]);

// ---------------------------------------------------------------------------------------------
// The server.

export interface RecordedRequest {
  method: string;
  /** Below the base path for API calls (`/messages`); the full path for the token endpoint. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (or the form fields of a token request), the raw text when unparseable, else undefined. */
  body: unknown;
}

export interface FakeSmartDialogMessage {
  messageId: string;
  operationId: string;
  customerId: string;
  serviceId?: string;
  parentMessageId?: string;
  threadId?: string;
  /** The request body as sent. */
  body: Record<string, unknown>;
  recipients: Array<{ address: string; id: string }>;
  dlrUrl?: string;
  at: Date;
}

export interface FakeTemplate {
  id: string;
  displayName: string;
  identity: string;
  category: string;
  language: string;
  rawContent: string;
  buttons?: unknown[];
}

export interface FakeWebhookAction {
  id: string;
  pipelineId: string;
  serviceId: string;
  endpointUrl: string;
  body: Record<string, unknown>;
}

export interface InboundOptions {
  sender: string;
  recipient: string;
  content: string;
  protocol?: string;
  attachments?: Array<{ name: string; mimeType: string; resourceLocation: string }>;
  messageId?: string;
  /** When the customer wrote; now by default. */
  timestamp?: Date;
}

export interface DeliverOptions {
  /** Default: the first recipient's id from the send answer. */
  recipientId?: string;
  statusText?: string;
  /** More query parameters, e.g. to try other spellings. */
  extra?: Record<string, string>;
}

export interface FakeSmartDialogOptions {
  /** Bearer tokens valid from the start (a static SMARTDIALOG_ACCESS_TOKEN). */
  tokens?: string[];
  /** The OAuth client the token endpoint accepts. */
  clientId?: string;
  clientSecret?: string;
  /** The refresh token valid at start. */
  refreshToken?: string;
  /** expires_in of issued access tokens, seconds; default 3600. */
  expiresIn?: number;
  /**
   * Each refresh answers a new refresh token and revokes the one used (default true). Stricter than
   * B2C, which keeps old ones valid, so a client that never stores the rotated one fails here.
   */
  rotateRefreshToken?: boolean;
  /** The clock of the 7-day RequestId memory. */
  now?: () => number;
  /**
   * Template lists also carry `language` and `category`. The swagger documents only id,
   * displayName and rawContent (NOT FOUND whether SmartDialog sends more); off by default.
   */
  templateDetails?: boolean;
}

export interface FakeSmartDialog {
  /** http://127.0.0.1:port */
  url: string;
  /** url + /api-integrations/v1 */
  baseUrl: string;
  tokenUrl: string;
  sent: FakeSmartDialogMessage[];
  /** API requests, in order (token requests are in tokenRequests). */
  requests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  /** Refresh-token grants answered with a token. */
  readonly refreshCount: number;
  /** The refresh token currently valid. */
  readonly refreshToken: string;
  templates: FakeTemplate[];
  contacts: Map<string, Record<string, unknown>>;
  /** `sender|recipient` pairs opted in. */
  optIns: Set<string>;
  actions: Map<string, FakeWebhookAction>;
  /** Inbound payloads pushed by inbound(). */
  inbounds: Record<string, unknown>[];
  addToken(token: string): void;
  /** Makes the given access tokens (all when none given) invalid: the next call answers 401. */
  expireTokens(...tokens: string[]): void;
  /** The next n API requests answer `status` with `body` (default `{errorMessage}`) and `headers`. */
  failNext(n: number, status: number, body?: unknown, headers?: Record<string, string>): void;
  /** The next n token requests answer `status` with `body`. */
  failNextToken(n: number, status: number, body?: unknown): void;
  /** The next n API requests are read and never answered, to exercise timeouts. */
  hangNext(n: number): void;
  /**
   * GETs the message's DlrUrl with its query kept as sent plus the mock DLR parameters
   * `messageId`, `recipientId`, `status` and `statusText` (the real names are NOT FOUND).
   * Resolves with our HTTP status.
   */
  deliver(messageId: string, status: string, opts?: DeliverOptions): Promise<number>;
  /** The trigger payload inbound() would POST. */
  inboundPayload(opts: InboundOptions): Record<string, unknown>;
  /** POSTs an inbound message to every registered endpoint; resolves with their HTTP statuses. */
  inbound(opts: InboundOptions): Promise<number[]>;
  close(): Promise<void>;
}

type Answer = [status: number, body?: unknown, headers?: Record<string, string>];

interface Context {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const fail = (status: number, errorMessage: string): Answer => [status, { errorMessage }];

const B2C_ERRORS: Record<string, string> = {
  '90010': 'The request does not contain a scope parameter.',
  '90012': "The scope '{0}' provided in request is not supported.",
  '90080': 'The provided grant has expired. Please re-authenticate and try again.',
  '90081': 'The specified client_secret does not match the expected value for this client.',
  '90086': 'The supplied grant_type is not supported.',
};

function oauth(status: number, error: string, code: string, arg = ''): Answer {
  return [status, { error, error_description: `AADB2C${code}: ${B2C_ERRORS[code]!.replace('{0}', arg)}` }];
}

export async function startFakeSmartDialog(options: FakeSmartDialogOptions = {}): Promise<FakeSmartDialog> {
  const now = options.now ?? Date.now;
  const validTokens = new Set(options.tokens ?? []);
  let refreshToken = options.refreshToken ?? 'fake-refresh-token-0';
  let refreshCount = 0;
  const requests: RecordedRequest[] = [];
  const tokenRequests: RecordedRequest[] = [];
  const sent: FakeSmartDialogMessage[] = [];
  const requestIds = new Map<string, number>();
  const templates: FakeTemplate[] = [];
  const contacts = new Map<string, Record<string, unknown>>();
  const optIns = new Set<string>();
  const actions = new Map<string, FakeWebhookAction>();
  const inbounds: Record<string, unknown>[] = [];
  const failures: Answer[] = [];
  const tokenFailures: Answer[] = [];
  let hangs = 0;
  let baseUrl = '';

  // ---- checks shared by operations ----

  function customerProblem(id: string | undefined): Answer | undefined {
    return id === FAKE_SMARTDIALOG.customerId ? undefined : fail(403, `No access to customer ${id}`);
  }

  function serviceProblem(
    id: string | undefined,
    type: FakeService['type'],
    reply = false,
  ): Answer | undefined {
    const service = SERVICES.find((s) => s.id === id);
    if (!service || service.type !== type)
      return fail(400, `Service ${id} is not a ${type} service of the customer`);
    if (reply && !service.allowReply) return fail(400, `Service ${id} does not allow reply messages`);
    return undefined;
  }

  /** "remembered for 7 days" (swagger); the answer to a repeat is NOT FOUND, this 400 is a guess. */
  function duplicate(requestId: unknown): Answer | undefined {
    if (typeof requestId !== 'string') return undefined;
    const at = requestIds.get(requestId);
    if (at !== undefined && now() - at < SEVEN_DAYS_MS) {
      return fail(400, `Duplicate request id "${requestId}": sending was cancelled`);
    }
    requestIds.set(requestId, now());
    return undefined;
  }

  function record(
    ctx: Context,
    operationId: string,
    addresses: string[],
    extra: Partial<FakeSmartDialogMessage>,
  ) {
    const message: FakeSmartDialogMessage = {
      messageId: randomUUID(),
      operationId,
      customerId: FAKE_SMARTDIALOG.customerId,
      body: ctx.body,
      recipients: addresses.map((address) => ({ address, id: randomUUID() })),
      ...(typeof ctx.body['DlrUrl'] === 'string' ? { dlrUrl: ctx.body['DlrUrl'] } : {}),
      at: new Date(now()),
      ...extra,
    };
    sent.push(message);
    return message;
  }

  // ---- operations, by swagger operationId ----

  function sendMessage(ctx: Context, reply: boolean): Answer {
    const problem =
      customerProblem(header(ctx, 'customer-id')) ??
      serviceProblem(header(ctx, 'service-id'), 'OneWay', reply) ??
      duplicate(ctx.body['RequestId']);
    if (problem) return problem;
    const addresses = (ctx.body['Recipients'] as Array<{ Address: string }>).map((r) => r.Address);
    const message = record(ctx, reply ? 'SendReplyMessage' : 'SendMessage', addresses, {
      serviceId: header(ctx, 'service-id'),
      ...(reply ? { parentMessageId: ctx.params['ParentMessageId'] } : {}),
    });
    return [
      200,
      {
        MessageId: message.messageId,
        MessagePartCount: partCount(String(ctx.body['Content'])),
        Recipients: message.recipients.map((r) => ({ Address: r.address, Id: r.id })),
      },
    ];
  }

  function discussionReply(ctx: Context): Answer {
    const problem = customerProblem(header(ctx, 'customerid'));
    if (problem) return problem;
    const threadId = String(ctx.body['ThreadId']);
    const message = record(ctx, 'SendDiscussionReplyMessage', [], { threadId });
    return [
      200,
      {
        MessageId: message.messageId,
        MessagePartCount: partCount(String(ctx.body['Content'])),
        Recipients: [],
        ThreadId: threadId,
      },
    ];
  }

  function sendTemplate(ctx: Context): Answer {
    const problem =
      customerProblem(header(ctx, 'customer-id')) ?? serviceProblem(header(ctx, 'service-id'), 'OneWay');
    if (problem) return problem;
    const template = templates.find((t) => t.id === ctx.body['TemplateName']);
    if (!template) return fail(400, `Template ${String(ctx.body['TemplateName'])} not found`);
    const types = new Set(((ctx.body['Buttons'] ?? []) as Array<{ Type?: string }>).map((b) => b.Type));
    if (types.size > 1) return fail(400, 'Only one button type per template is allowed');
    const repeated = duplicate(ctx.body['RequestId']);
    if (repeated) return repeated;
    const addresses = (ctx.body['Recipients'] as Array<{ Address: string }>).map((r) => r.Address);
    const message = record(ctx, 'SendWhatsappTemplateMessage', addresses, {
      serviceId: header(ctx, 'service-id'),
    });
    // camelCase here, unlike /messages (swagger).
    return [
      200,
      {
        messageId: message.messageId,
        messagePartCount: 1,
        recipients: message.recipients.map((r) => ({ address: r.address, id: r.id })),
      },
    ];
  }

  function createTemplate(ctx: Context): Answer {
    const problem = customerProblem(ctx.params['Customer-Id']);
    if (problem) return problem;
    if (ctx.params['IdentityNumber'] !== FAKE_SMARTDIALOG.whatsAppIdentity) {
      return fail(404, `WhatsApp identity ${ctx.params['IdentityNumber']} not found`);
    }
    const body = ctx.body;
    if (!/^[a-z]{2}$/i.test(String(body['Language'])))
      return fail(400, 'Language must be a 2 character code');
    for (const button of (body['Buttons'] ?? []) as Array<{ Type?: string; Data?: string }>) {
      const max = button.Type === 'Url' ? 2000 : 20;
      if ((button.Data ?? '').length > max) return fail(400, `Button data is longer than ${max}`);
    }
    templates.push({
      id: randomUUID(),
      displayName: String(body['DisplayName']),
      identity: FAKE_SMARTDIALOG.whatsAppIdentity,
      category: String(body['Category']),
      language: String(body['Language']),
      rawContent: String(body['RawContent']),
      ...(body['Buttons'] ? { buttons: body['Buttons'] as unknown[] } : {}),
    });
    return [204];
  }

  function listTemplates(ctx: Context): Answer {
    const problem = customerProblem(ctx.params['Customer-Id']);
    if (problem) return problem;
    const id = ctx.query.get('TemplateId');
    const listed = templates.filter((t) => id === null || t.id === id);
    return [
      200,
      listed.map((t) => ({
        id: t.id,
        displayName: t.displayName,
        extensionParameters: { rawContent: t.rawContent },
        ...(options.templateDetails ? { language: t.language, category: t.category } : {}),
      })),
    ];
  }

  function contactKey(ctx: Context, phone = ctx.params['Phone']): string {
    return `${ctx.params['Customer']}/${ctx.params['Group Service']}/${phone}`;
  }

  function groupProblem(ctx: Context): Answer | undefined {
    return customerProblem(ctx.params['Customer']) ?? serviceProblem(ctx.params['Group Service'], 'Group');
  }

  function contactOperation(operationId: string, ctx: Context): Answer {
    const problem = groupProblem(ctx);
    if (problem) return problem;
    const key = contactKey(ctx);
    const existing = contacts.get(key);
    switch (operationId) {
      case 'GetGroupContact':
        // The answer for an unknown number is NOT FOUND; 404 is the plausible one.
        return existing ? [200, { ...existing, failedMessages: 0 }] : fail(404, 'Contact not found');
      case 'UpdateGroupContact':
        if (existing) contacts.set(key, { ...existing, ...ctx.body, phone: existing['phone'] });
        return [200, existing !== undefined];
      case 'DeleteGroupContact':
        return [200, contacts.delete(key)];
      case 'CreateGroupContact': {
        const created = contactKey(ctx, String(ctx.body['phone']));
        if (contacts.has(created)) return fail(400, `Contact ${String(ctx.body['phone'])} already exists`);
        const id = randomUUID();
        contacts.set(created, { active: true, ...ctx.body, id });
        return [200, id];
      }
      case 'DeleteAllGroupContacts': {
        const prefix = `${ctx.params['Customer']}/${ctx.params['Group Service']}/`;
        for (const k of [...contacts.keys()]) if (k.startsWith(prefix)) contacts.delete(k);
        return [200, true];
      }
      default:
        return fail(501, `The fake does not implement ${operationId}`);
    }
  }

  function registerAction(ctx: Context): Answer {
    const problem =
      customerProblem(header(ctx, 'customer')) ?? serviceProblem(ctx.params['Service'], 'TwoWay');
    if (problem) return problem;
    const options = ctx.body['options'] as { endpointUrl: string; httpVerb: string };
    if (options.httpVerb.toUpperCase() !== 'POST') return fail(400, 'Only POST is supported as httpVerb');
    // One pipeline per service, as the Location of Power Platform triggers suggests.
    const pipelineId = `pl-${ctx.params['Service']!.slice(0, 8)}`;
    const action: FakeWebhookAction = {
      id: randomUUID(),
      pipelineId,
      serviceId: ctx.params['Service']!,
      endpointUrl: options.endpointUrl,
      body: ctx.body,
    };
    actions.set(action.id, action);
    return [201, { id: action.id }, { location: `${baseUrl}/pipelines/${pipelineId}/actions/${action.id}` }];
  }

  function deleteAction(ctx: Context): Answer {
    const action = actions.get(ctx.params['Action-Id']!);
    if (!action || action.pipelineId !== ctx.params['Pipeline-Id']) return fail(404, 'Action not found');
    actions.delete(action.id);
    return [204];
  }

  function operate(operationId: string, ctx: Context): Answer {
    switch (operationId) {
      case 'GetUserCustomers':
        return [
          200,
          { customerUsers: [{ customerId: FAKE_SMARTDIALOG.customerId, customerName: 'Fake Oy' }] },
        ];
      case 'GetCustomerServices': {
        const problem = customerProblem(ctx.params['Customer-Id']);
        if (problem) return problem;
        const type = header(ctx, 'servicetype');
        if (!['OneWay', 'TwoWay', 'Group'].includes(type ?? ''))
          return fail(400, `Unknown ServiceType ${type}`);
        const reply = header(ctx, 'allowreplymessage')?.toLowerCase() === 'true';
        const services = SERVICES.filter((s) => s.type === type && (!reply || s.allowReply));
        return [200, services.map((s) => ({ id: s.id, name: s.name }))];
      }
      case 'SendMessage':
        return sendMessage(ctx, false);
      case 'SendReplyMessage':
        return sendMessage(ctx, true);
      case 'SendDiscussionReplyMessage':
        return discussionReply(ctx);
      case 'SendWhatsappTemplateMessage':
        return sendTemplate(ctx);
      case 'CreateWhatsappTemplate':
        return createTemplate(ctx);
      case 'GetCustomerWhatsAppTemplates':
        return listTemplates(ctx);
      case 'GetWhatsappTemplateCategories':
        return [200, CATEGORIES];
      case 'GetCustomerWhatsappIdentities':
        return (
          customerProblem(ctx.params['Customer-Id']) ?? [
            200,
            [{ inputSource: { address: FAKE_SMARTDIALOG.whatsAppIdentity } }],
          ]
        );
      case 'WhatsAppOptIn':
        optIns.add(`${ctx.params['Sender']}|${ctx.params['Recipient']}`);
        return [204];
      case 'WhatsAppOptOut':
        optIns.delete(`${ctx.params['Sender']}|${ctx.params['Recipient']}`);
        return [204];
      case 'GetPhoneNumberRegions':
        return [200, REGIONS];
      case 'NewMessage':
        return registerAction(ctx);
      case 'DeleteTrigger':
        return deleteAction(ctx);
      default:
        return contactOperation(operationId, ctx);
    }
  }

  // ---- the token endpoint (B2C's refresh_token grant) ----

  function token(form: URLSearchParams): Answer {
    const failure = tokenFailures.shift();
    if (failure) return failure;
    const clientOk =
      form.get('client_id') === (options.clientId ?? 'fake-client') &&
      form.get('client_secret') === (options.clientSecret ?? 'fake-secret');
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s));
    // B2C's own error codes (AADB2C9xxxx) in error_description, as RFC 6749 §5.2 errors.
    if (form.get('grant_type') !== 'refresh_token') return oauth(400, 'unsupported_grant_type', '90086');
    if (!clientOk) return oauth(401, 'invalid_client', '90081');
    if (scopes.length === 0) return oauth(400, 'invalid_request', '90010');
    if (unknown) return oauth(400, 'invalid_scope', '90012', unknown);
    if (form.get('refresh_token') !== refreshToken) return oauth(400, 'invalid_grant', '90080');
    refreshCount += 1;
    const accessToken = `fake-access-${refreshCount}-${randomUUID()}`;
    validTokens.add(accessToken);
    if (options.rotateRefreshToken ?? true) refreshToken = `fake-refresh-token-${refreshCount}`;
    return [
      200,
      {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 3600,
        refresh_token: refreshToken,
        scope: scopes.join(' '),
      },
    ];
  }

  // ---- plumbing ----

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    if (url.pathname === FAKE_SMARTDIALOG.tokenPath && method === 'POST') {
      const form = new URLSearchParams(raw);
      tokenRequests.push({
        method,
        path: url.pathname,
        query,
        headers: req.headers,
        body: Object.fromEntries(form),
      });
      return answer(res, ...token(form));
    }
    if (!url.pathname.startsWith(`${FAKE_SMARTDIALOG.basePath}/`))
      return answer(res, ...fail(404, 'Not found'));
    const path = url.pathname.slice(FAKE_SMARTDIALOG.basePath.length);
    const parsed = parseJson(raw);
    requests.push({ method, path, query, headers: req.headers, body: parsed.ok ? parsed.value : raw });
    if (hangs > 0) {
      hangs -= 1;
      return;
    }
    const failure = failures.shift();
    if (failure) return answer(res, ...failure);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !validTokens.has(bearer)) {
      // The real 401's body is NOT FOUND; this is what an ASP.NET JWT bearer API answers.
      return answer(res, 401, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const match = matchSmartDialogOperation(method, path);
    if (!match) return answer(res, ...fail(404, `No operation ${method} ${path}`));
    if (!parsed.ok) return answer(res, ...fail(400, 'The request body is not valid JSON'));
    const problems = checkSmartDialogRequest(match, req.headers, parsed.value);
    if (problems.length > 0) return answer(res, ...fail(400, `Invalid request: ${problems.join('; ')}`));
    const ctx: Context = {
      params: match.params,
      query: url.searchParams,
      headers: req.headers,
      body: (parsed.value ?? {}) as Record<string, unknown>,
    };
    answer(res, ...operate(match.operation.operationId, ctx));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => answer(res, 500, { errorMessage: String(err) }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  baseUrl = `${origin}${FAKE_SMARTDIALOG.basePath}`;

  function inboundPayload(opts: InboundOptions): Record<string, unknown> {
    return {
      sender: opts.sender,
      recipient: opts.recipient,
      content: opts.content,
      timestamp: (opts.timestamp ?? new Date(now())).toISOString(),
      protocol: opts.protocol ?? 'SMS',
      attachments: opts.attachments ?? [],
      messageId: opts.messageId ?? randomUUID(),
    };
  }

  return {
    url: origin,
    baseUrl,
    tokenUrl: `${origin}${FAKE_SMARTDIALOG.tokenPath}`,
    sent,
    requests,
    tokenRequests,
    get refreshCount() {
      return refreshCount;
    },
    get refreshToken() {
      return refreshToken;
    },
    templates,
    contacts,
    optIns,
    actions,
    inbounds,
    addToken(t) {
      validTokens.add(t);
    },
    expireTokens(...tokens) {
      if (tokens.length === 0) validTokens.clear();
      for (const t of tokens) validTokens.delete(t);
    },
    failNext(n, status, body, headers = {}) {
      for (let i = 0; i < n; i += 1)
        failures.push([status, body ?? { errorMessage: STATUS_CODES[status] }, headers]);
    },
    failNextToken(n, status, body) {
      for (let i = 0; i < n; i += 1) tokenFailures.push([status, body ?? { error: STATUS_CODES[status] }]);
    },
    hangNext(n) {
      hangs += n;
    },
    async deliver(messageId, status, opts = {}) {
      const message = sent.find((m) => m.messageId === messageId);
      if (!message) throw new Error(`fake SmartDialog never sent ${messageId}`);
      if (!message.dlrUrl) throw new Error(`message ${messageId} was sent without a DlrUrl`);
      const recipientId = opts.recipientId ?? message.recipients[0]?.id;
      const params = new URLSearchParams({
        messageId,
        ...(recipientId ? { recipientId } : {}),
        status,
        ...(opts.statusText ? { statusText: opts.statusText } : {}),
        ...opts.extra,
      });
      // Appended as text: the DlrUrl's own query is kept byte for byte ("they will be preserved").
      const target = `${message.dlrUrl}${message.dlrUrl.includes('?') ? '&' : '?'}${params}`;
      const res = await request(target, { method: 'GET' });
      await res.body.dump();
      return res.statusCode;
    },
    inboundPayload,
    async inbound(opts) {
      const payload = inboundPayload(opts);
      inbounds.push(payload);
      const statuses: number[] = [];
      for (const action of actions.values()) {
        const res = await request(action.endpointUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
        await res.body.dump();
        statuses.push(res.statusCode);
      }
      return statuses;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done, failClose) => server.close((err) => (err ? failClose(err) : done())));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function header(ctx: Context, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** GSM-7 parts: 160 characters alone, 153 per part when concatenated. */
function partCount(content: string): number {
  return content.length <= 160 ? 1 : Math.ceil(content.length / 153);
}
