/**
 * The fake must speak the connector's documented wire format, or the adapter tests prove nothing:
 * it refuses what the swagger refuses, its answers match the swagger's response schemas, and its
 * pushes match the trigger's notification schema.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_SMARTDIALOG,
  type FakeSmartDialog,
  loadSmartDialogSpec,
  matchSmartDialogOperation,
  smartDialogInboundValidator,
  smartDialogResponseValidator,
  startFakeSmartDialog,
} from './smartdialog.ts';

const TOKEN = 'test-token';
const IDS = FAKE_SMARTDIALOG;
let fake: FakeSmartDialog;
let clock: number;

beforeEach(async () => {
  clock = Date.parse('2025-03-14T12:00:00Z');
  fake = await startFakeSmartDialog({ tokens: [TOKEN], now: () => clock });
});

afterEach(async () => {
  await fake.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

async function call(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Reply> {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const res = await request(`${fake.baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const SEND_HEADERS = { 'Customer-Id': IDS.customerId, 'Service-Id': IDS.serviceId };

const message = (overrides: Record<string, unknown> = {}) => ({
  Sender: 'Textbridge',
  Content: 'Hello',
  Protocol: 'SMS',
  Recipients: [{ Address: '+358401234501' }],
  ...overrides,
});

function expectAnswer(method: string, template: string, reply: Reply): void {
  const validate = smartDialogResponseValidator(method, template, reply.status);
  expect(validate(reply.body), JSON.stringify(validate.errors)).toBe(true);
}

describe('fake SmartDialog: routing by the swagger', () => {
  it('finds every operation of the swagger under its own template', () => {
    for (const [template, item] of Object.entries(loadSmartDialogSpec().paths)) {
      for (const method of Object.keys(item).filter((m) => ['get', 'post', 'put', 'delete'].includes(m))) {
        const path = template.replace(/\{[^}]+\}/g, 'x');
        expect(matchSmartDialogOperation(method.toUpperCase(), path)?.template, `${method} ${template}`).toBe(
          template,
        );
      }
    }
  });

  it('prefers a literal segment over a template', () => {
    expect(matchSmartDialogOperation('GET', '/whatsapp/templates/categories')?.operation.operationId).toBe(
      'GetWhatsappTemplateCategories',
    );
    expect(matchSmartDialogOperation('GET', '/whatsapp/templates/abc')?.operation.operationId).toBe(
      'GetCustomerWhatsAppTemplates',
    );
  });

  it('decodes path parameters, including the one named with a space', () => {
    expect(matchSmartDialogOperation('GET', '/groupcontact/c/g/%2B358401')?.params).toEqual({
      Customer: 'c',
      'Group Service': 'g',
      Phone: '+358401',
    });
  });
});

describe('fake SmartDialog: refuses what the swagger refuses', () => {
  it.each([
    ['no Sender', message({ Sender: undefined }), "must have required property 'Sender'"],
    [
      'a WhatsApp Protocol',
      message({ Protocol: 'WhatsApp' }),
      '/Protocol: must be equal to one of the allowed values',
    ],
    ['no Recipients', message({ Recipients: undefined }), "required property 'Recipients'"],
    [
      'a recipient without Address',
      message({ Recipients: [{}] }),
      "/Recipients/0: must have required property 'Address'",
    ],
    [
      '256 characters of CustomerData',
      message({ CustomerData: 'x'.repeat(256) }),
      '/CustomerData: must NOT have more than 255',
    ],
    [
      'a 1001-character RequestId',
      message({ RequestId: 'r'.repeat(1001) }),
      '/RequestId: must NOT have more than 1000',
    ],
    [
      'a SendDateTime that is no date',
      message({ SendDateTime: 'tomorrow' }),
      '/SendDateTime: must match format',
    ],
  ])('POST /messages with %s → 400 {errorMessage}', async (_name, body, detail) => {
    const res = await call('POST', '/messages', { body, headers: SEND_HEADERS });
    expect(res.status).toBe(400);
    expect((res.body as { errorMessage: string }).errorMessage).toContain(detail);
    expect(fake.sent).toHaveLength(0);
  });

  it('requires the Customer-Id and Service-Id headers', async () => {
    const res = await call('POST', '/messages', { body: message() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessage: 'Invalid request: header Customer-Id is required; header Service-Id is required',
    });
  });

  it('requires CustomerId (no hyphen) on the discussion reply', async () => {
    const body = { ThreadId: 't-1', Content: 'Hi' };
    const wrong = await call('POST', '/messages/discussion/reply', {
      body,
      headers: { 'Customer-Id': IDS.customerId },
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body as { errorMessage: string }).errorMessage).toContain('header CustomerId is required');
    const right = await call('POST', '/messages/discussion/reply', {
      body,
      headers: { CustomerId: IDS.customerId },
    });
    expect(right.status).toBe(200);
    expectAnswer('POST', '/messages/discussion/reply', right);
    expect(right.body).toMatchObject({ ThreadId: 't-1' });
  });

  it('requires the description of a webhook action and the Customer header', async () => {
    const body = {
      name: 'n',
      actionType: 'HttpRequest',
      options: { endpointUrl: 'http://x', httpVerb: 'POST' },
    };
    const res = await call('POST', `/service/${IDS.twoWayServiceId}/pipelines/actions`, { body });
    expect(res.status).toBe(400);
    const said = (res.body as { errorMessage: string }).errorMessage;
    expect(said).toContain('header Customer is required');
    expect(said).toContain("must have required property 'description'");
  });

  it('refuses a 101-character template name and a non-boolean header', async () => {
    const template = { DisplayName: 'd'.repeat(101), RawContent: 'Hi', Category: 'UTILITY', Language: 'en' };
    const path = `/whatsapp/templates/${IDS.customerId}/${encodeURIComponent(IDS.whatsAppIdentity)}`;
    const res = await call('POST', path, { body: template });
    expect((res.body as { errorMessage: string }).errorMessage).toContain(
      '/DisplayName: must NOT have more than 100',
    );
    const services = await call('GET', `/services/${IDS.customerId}`, {
      headers: { ServiceType: 'OneWay', AllowReplyMessage: 'yes' },
    });
    expect(services.status).toBe(400);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await request(`${fake.baseUrl}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, ...SEND_HEADERS },
      body: '{"Sender":',
    });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toEqual({ errorMessage: 'The request body is not valid JSON' });
  });

  it('answers 404 {errorMessage} for a path the swagger does not have', async () => {
    const res = await call('GET', '/nothing/here');
    expect(res).toMatchObject({ status: 404, body: { errorMessage: 'No operation GET /nothing/here' } });
  });
});

describe('fake SmartDialog: bearer tokens', () => {
  it('answers 401 without a token, with an unknown one, and after expiring one', async () => {
    expect((await call('GET', '/customers', { token: null })).status).toBe(401);
    expect((await call('GET', '/customers', { token: 'nope' })).status).toBe(401);
    expect((await call('GET', '/customers')).status).toBe(200);
    fake.expireTokens(TOKEN);
    const res = await call('GET', '/customers');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});

describe('fake SmartDialog: answers match the swagger', () => {
  it('POST /messages answers PascalCase and keeps what was sent', async () => {
    const body = message({ DlrUrl: 'https://bot.example/dlr?secret=s', RequestId: 'r-1' });
    const res = await call('POST', '/messages', { body, headers: SEND_HEADERS });
    expect(res.status).toBe(200);
    expectAnswer('POST', '/messages', res);
    const answer = res.body as { MessageId: string; Recipients: Array<{ Address: string; Id: string }> };
    expect(answer.Recipients).toEqual([{ Address: '+358401234501', Id: expect.any(String) }]);
    expect(fake.sent[0]).toMatchObject({
      messageId: answer.MessageId,
      operationId: 'SendMessage',
      serviceId: IDS.serviceId,
      dlrUrl: 'https://bot.example/dlr?secret=s',
      recipients: [{ address: '+358401234501', id: answer.Recipients[0]!.Id }],
    });
  });

  it('POST /messages/reply/{id} needs a service that allows replies', async () => {
    const refused = await call('POST', '/messages/reply/p-1', {
      body: message(),
      headers: { ...SEND_HEADERS, 'Service-Id': IDS.oneWayNoReplyServiceId },
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { errorMessage: expect.stringContaining('does not allow reply') },
    });
    const res = await call('POST', '/messages/reply/p-1', { body: message(), headers: SEND_HEADERS });
    expectAnswer('POST', '/messages/reply/{ParentMessageId}', res);
    expect(fake.sent[0]).toMatchObject({ operationId: 'SendReplyMessage', parentMessageId: 'p-1' });
  });

  it('remembers a RequestId for 7 days', async () => {
    const send = () =>
      call('POST', '/messages', { body: message({ RequestId: 'same' }), headers: SEND_HEADERS });
    expect((await send()).status).toBe(200);
    clock += 7 * 24 * 3600_000 - 1;
    const again = await send();
    expect(again).toEqual({
      status: 400,
      headers: expect.any(Object),
      body: { errorMessage: 'Duplicate request id "same": sending was cancelled' },
    });
    clock += 1;
    expect((await send()).status).toBe(200);
    expect(fake.sent).toHaveLength(2);
  });

  it('creates, lists and sends WhatsApp templates (the send answers camelCase)', async () => {
    const path = `/whatsapp/templates/${IDS.customerId}/${encodeURIComponent(IDS.whatsAppIdentity)}`;
    const template = {
      DisplayName: 'Order update',
      RawContent: 'Your order {{1}}',
      Category: 'UTILITY',
      Language: 'en',
    };
    expect((await call('POST', path, { body: template })).status).toBe(204);
    expect((await call('POST', path, { body: { ...template, Language: 'eng' } })).status).toBe(400);
    const list = await call('GET', `/whatsapp/templates/${IDS.customerId}`);
    expectAnswer('GET', '/whatsapp/templates/{Customer-Id}', list);
    const id = (list.body as Array<{ id: string }>)[0]!.id;
    const filtered = await call('GET', `/whatsapp/templates/${IDS.customerId}?TemplateId=nope`);
    expect(filtered.body).toEqual([]);
    const send = await call('POST', '/messages/templates/whatsapp', {
      body: { TemplateName: id, Recipients: [{ Address: '+358401234501' }], BodyParameters: ['4411'] },
      headers: SEND_HEADERS,
    });
    expectAnswer('POST', '/messages/templates/whatsapp', send);
    expect(Object.keys(send.body as object)).toEqual(['messageId', 'messagePartCount', 'recipients']);
    const mixed = await call('POST', '/messages/templates/whatsapp', {
      body: {
        TemplateName: id,
        Recipients: [{ Address: '+358401' }],
        Buttons: [
          { Type: 'Url', Data: 'a' },
          { Type: 'Call', Data: 'b' },
        ],
      },
      headers: SEND_HEADERS,
    });
    expect(mixed).toMatchObject({
      status: 400,
      body: { errorMessage: 'Only one button type per template is allowed' },
    });
  });

  it('serves discovery, categories, identities and regions', async () => {
    expectAnswer('GET', '/customers', await call('GET', '/customers'));
    const services = await call('GET', `/services/${IDS.customerId}`, {
      headers: { ServiceType: 'OneWay', AllowReplyMessage: 'true' },
    });
    expectAnswer('GET', '/services/{Customer-Id}', services);
    expect(services.body).toEqual([
      { id: IDS.serviceId, name: 'Replies' },
      { id: IDS.whatsAppServiceId, name: 'WhatsApp' },
    ]);
    expectAnswer(
      'GET',
      '/whatsapp/templates/categories',
      await call('GET', '/whatsapp/templates/categories'),
    );
    const identities = await call('GET', `/whatsapp/identities/${IDS.customerId}`);
    expectAnswer('GET', '/whatsapp/identities/{Customer-Id}', identities);
    expectAnswer('GET', '/phonenumberregions', await call('GET', '/phonenumberregions'));
    expect((await call('GET', '/whatsapp/identities/someone-else')).status).toBe(403);
  });

  it('keeps group contacts', async () => {
    const base = `/groupcontact/${IDS.customerId}/${IDS.groupServiceId}`;
    const phone = encodeURIComponent('+358401234501');
    const created = await call('POST', base, { body: { phone: '+358401234501', firstName: 'Aino' } });
    expectAnswer('POST', '/groupcontact/{Customer}/{Group Service}', created);
    expect((await call('POST', base, { body: { phone: '+358401234501' } })).status).toBe(400);
    const got = await call('GET', `${base}/${phone}`);
    expectAnswer('GET', '/groupcontact/{Customer}/{Group Service}/{Phone}', got);
    expect(got.body).toMatchObject({ phone: '+358401234501', firstName: 'Aino', failedMessages: 0 });
    const updated = await call('PUT', `${base}/${phone}`, { body: { city: 'Oulu' } });
    expectAnswer('PUT', '/groupcontact/{Customer}/{Group Service}/{Phone}', updated);
    expect(updated.body).toBe(true);
    expect((await call('PUT', `${base}/404`, { body: { city: 'Oulu' } })).body).toBe(false);
    expect((await call('DELETE', `${base}/${phone}`)).body).toBe(true);
    expect((await call('GET', `${base}/${phone}`)).status).toBe(404);
    expect((await call('DELETE', base)).body).toBe(true);
    expect((await call('GET', `/groupcontact/${IDS.customerId}/${IDS.serviceId}/${phone}`)).status).toBe(400);
  });

  it('opts in and out with 204', async () => {
    const path = `/whatsapp/opt-in/sender/${encodeURIComponent(IDS.whatsAppIdentity)}/recipient/%2B358401`;
    expect((await call('POST', path)).status).toBe(204);
    expect(fake.optIns).toEqual(new Set([`${IDS.whatsAppIdentity}|+358401`]));
    expect((await call('DELETE', path)).status).toBe(204);
    expect(fake.optIns.size).toBe(0);
  });
});

describe('fake SmartDialog: the trigger and delivery reports', () => {
  let received: Array<{ method: string; url: string; body: string }>;
  let endpoint: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    received = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((done) => server.close(() => done()));
  });

  afterEach(async () => {
    await close();
  });

  const actionBody = (endpointUrl: string) => ({
    name: 'n',
    actionType: 'HttpRequest',
    description: 'd',
    options: { endpointUrl, httpVerb: 'POST' },
  });

  it('registers an action (201 {id} + Location), pushes inbound messages to it, and deletes it', async () => {
    const res = await call('POST', `/service/${IDS.twoWayServiceId}/pipelines/actions`, {
      body: actionBody(`${endpoint}/in?secret=s`),
      headers: { Customer: IDS.customerId },
    });
    expect(res.status).toBe(201);
    expectAnswer('POST', '/service/{Service}/pipelines/actions', res);
    const { id } = res.body as { id: string };
    const location = String(res.headers['location']);
    expect(location).toMatch(new RegExp(`^${fake.baseUrl}/pipelines/[^/]+/actions/${id}$`));

    const statuses = await fake.inbound({ sender: '+358401', recipient: '+358402', content: 'Hei' });
    expect(statuses).toEqual([200]);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/in?secret=s' });
    const payload = JSON.parse(received[0]!.body);
    const validate = smartDialogInboundValidator();
    expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
    expect(payload).toMatchObject({
      sender: '+358401',
      recipient: '+358402',
      content: 'Hei',
      protocol: 'SMS',
      attachments: [],
    });

    expect((await call('DELETE', new URL(location).pathname.replace(IDS.basePath, ''))).status).toBe(204);
    expect(fake.actions.size).toBe(0);
    expect(await fake.inbound({ sender: '+358401', recipient: '+358402', content: 'Hei' })).toEqual([]);
    expect((await call('DELETE', `/pipelines/p/actions/${id}`)).status).toBe(404);
  });

  it('refuses a one-way service for the trigger', async () => {
    const res = await call('POST', `/service/${IDS.serviceId}/pipelines/actions`, {
      body: actionBody(endpoint),
      headers: { Customer: IDS.customerId },
    });
    expect(res.status).toBe(400);
  });

  it('deliver() GETs the DlrUrl with its own query untouched plus messageId, recipientId, status, statusText', async () => {
    const dlr = `${endpoint}/dlr?secret=a%2Bb~c&tb_message_id=m-1`;
    const sent = await call('POST', '/messages', { body: message({ DlrUrl: dlr }), headers: SEND_HEADERS });
    const answer = sent.body as { MessageId: string; Recipients: Array<{ Id: string }> };
    expect(await fake.deliver(answer.MessageId, 'delivered', { statusText: 'OK', extra: { x: '1' } })).toBe(
      200,
    );
    expect(received[0]!.method).toBe('GET');
    expect(received[0]!.url).toBe(
      `/dlr?secret=a%2Bb~c&tb_message_id=m-1&messageId=${answer.MessageId}` +
        `&recipientId=${answer.Recipients[0]!.Id}&status=delivered&statusText=OK&x=1`,
    );
    await expect(fake.deliver('unknown', 'delivered')).rejects.toThrow('never sent');
  });
});

describe('fake SmartDialog: failure injection', () => {
  it('answers the injected status, body and headers, then serves normally', async () => {
    fake.failNext(1, 429, undefined, { 'retry-after': '3' });
    fake.failNext(1, 400, { errorMessage: 'Invalid sender' });
    const limited = await call('GET', '/customers');
    expect(limited).toMatchObject({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { errorMessage: 'Too Many Requests' },
    });
    expect(await call('GET', '/customers')).toMatchObject({
      status: 400,
      body: { errorMessage: 'Invalid sender' },
    });
    expect((await call('GET', '/customers')).status).toBe(200);
    expect(fake.requests.map((r) => r.path)).toEqual(['/customers', '/customers', '/customers']);
  });

  it('hangs the next request', async () => {
    fake.hangNext(1);
    const res = request(`${fake.baseUrl}/customers`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      headersTimeout: 200,
    });
    await expect(res).rejects.toThrow();
    expect((await call('GET', '/customers')).status).toBe(200);
  });
});

describe('fake SmartDialog: the B2C token endpoint', () => {
  async function refresh(fields: Record<string, string>) {
    const res = await request(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'fake-client',
        client_secret: 'fake-secret',
        scope: `offline_access https://arenafi.onmicrosoft.com/smartdialog-integrations-api/Gateway.Send`,
        ...fields,
      }).toString(),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  }

  it('issues a usable access token and rotates the refresh token', async () => {
    const first = await refresh({ refresh_token: 'fake-refresh-token-0' });
    expect(first).toMatchObject({
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3600, refresh_token: 'fake-refresh-token-1' },
    });
    expect((await call('GET', '/customers', { token: String(first.body['access_token']) })).status).toBe(200);
    const reused = await refresh({ refresh_token: 'fake-refresh-token-0' });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(fake.refreshCount).toBe(1);
    expect(fake.refreshToken).toBe('fake-refresh-token-1');
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('refuses a wrong client secret, an unknown scope and another grant', async () => {
    const token = { refresh_token: 'fake-refresh-token-0' };
    expect(await refresh({ ...token, client_secret: 'x' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await refresh({ ...token, scope: 'openid' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await refresh({ ...token, grant_type: 'client_credentials' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(fake.refreshCount).toBe(0);
  });

  it('answers injected token failures first', async () => {
    fake.failNextToken(1, 503);
    expect((await refresh({ refresh_token: 'fake-refresh-token-0' })).status).toBe(503);
    expect((await refresh({ refresh_token: 'fake-refresh-token-0' })).status).toBe(200);
  });
});
