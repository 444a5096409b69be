/**
 * The fake must speak Sinch's documented wire format, or the adapter tests prove nothing:
 * its answers and pushes are checked against the official schemas, and it must refuse what
 * Sinch refuses.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSinchWebhook } from '../../../adapters/sinch/webhook.ts';
import type { DeliveryReceipt, InboundMessage } from '../../../adapters/types.ts';
import { type FakeSinch, loadSinchSchema, sinchValidator, startFakeSinch } from '../../fakes/sinch.ts';

const AUTH = `Basic ${Buffer.from('key:secret').toString('base64')}`;
let fake: FakeSinch;

beforeEach(async () => {
  fake = await startFakeSinch({ apiKey: 'key', apiSecret: 'secret' });
});

afterEach(async () => {
  await fake.close();
});

async function call(method: 'GET' | 'POST', path: string, body?: unknown, auth = AUTH) {
  const res = await request(`${fake.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

const message = (overrides: Record<string, unknown> = {}) => ({
  content: 'Hello',
  destination_number: '+61491570156',
  ...overrides,
});

function expectSchema(file: string, pointer: string, value: unknown): void {
  const validate = sinchValidator(file, pointer);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

const RESPONSE = (status: number) => `/responses/${status}/content/application~1json/schema`;

describe('fake Sinch: validation like Sinch', () => {
  it.each([
    [
      'a 16-character destination',
      [message({ destination_number: '+123456789012345' })],
      'destination_number',
    ],
    ['a destination with letters', [message({ destination_number: '+6149157015x' })], 'invalid characters'],
    ['a missing content', [{ destination_number: '+61491570156' }], "required property 'content'"],
    ['an empty content', [message({ content: '' })], '/messages/0/content'],
    ['an unknown format', [message({ format: 'FAX' })], '/messages/0/format'],
    [
      '11 metadata pairs',
      [message({ metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) })],
      '/messages/0/metadata: at most 10',
    ],
    ['a 101-character metadata key', [message({ metadata: { ['k'.repeat(101)]: 'v' } })], 'longer than 100'],
    ['a 257-character metadata value', [message({ metadata: { k: 'v'.repeat(257) } })], 'longer than 256'],
    ['no messages', [], 'between 1 and 100'],
    ['101 messages', Array.from({ length: 101 }, () => message()), 'between 1 and 100'],
  ])('refuses %s with 400 {message, details[]}', async (_name, messages, detail) => {
    const res = await call('POST', '/v1/messages', { messages });
    expect(res.status).toBe(400);
    expectSchema('components/schemas/400response.yaml', '', res.body);
    expect((res.body['details'] as string[]).join('\n')).toContain(detail);
    expect(fake.sent).toHaveLength(0);
  });

  it('sends nothing when one message of the batch is invalid', async () => {
    const res = await call('POST', '/v1/messages', { messages: [message(), message({ content: '' })] });
    expect(res.status).toBe(400);
    expect(fake.sent).toHaveLength(0);
  });

  it('answers unparseable JSON with the documented parse failure', async () => {
    const res = await call('POST', '/v1/messages', '{"messages": [');
    expect(res).toEqual({
      status: 400,
      body: {
        message: 'Request failed to parse correctly. Please ensure input is valid and try again.',
        details: ['Failed to parse message body.'],
      },
    });
  });

  it('refuses a report query without dates or with a value but no key', async () => {
    expect((await call('POST', '/v2-preview/reporting/messages/detail', {})).status).toBe(400);
    const res = await call('POST', '/v2-preview/reporting/messages/detail', {
      start_date: '2026-01-01T00:00:00Z',
      end_date: '2026-01-02T00:00:00Z',
      metadata_value: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body['details']).toEqual(['/metadata_key: required with metadata_value(s)']);
  });

  it('answers wrong credentials and unknown ids as documented', async () => {
    expect(await call('GET', '/v1/messages/x', undefined, 'Basic Zm9vOmJhcg==')).toEqual({
      status: 401,
      body: { message: 'Invalid authentication credentials' },
    });
    expect(await call('GET', '/v1/messages/x')).toEqual({
      status: 404,
      body: { message: 'Resource not found.' },
    });
  });
});

describe('fake Sinch: answers match the official schemas', () => {
  it('answers a send with 202, uuid ids and status queued', async () => {
    const example = loadSinchSchema('components/schemas/messages/Sendmessagesrequest.yaml')['example'];
    const res = await call('POST', '/v1/messages', example);
    expect(res.status).toBe(202);
    expectSchema('paths/messages/v1_messages.yaml', `/post${RESPONSE(202)}`, res.body);
    const echoed = res.body['messages'] as Array<Record<string, unknown>>;
    expect(echoed.map((m) => m['status'])).toEqual(['queued', 'queued']);
    expect(echoed.map((m) => m['content'])).toEqual(['My first message', 'My second message']);

    const status = await call('GET', `/v1/messages/${echoed[0]!['message_id']}`);
    expect(status.status).toBe(200);
    expectSchema('paths/messages/v1_messages_{messageId}.yaml', `/get${RESPONSE(200)}`, status.body);
  });

  it('answers the detail report with the documented record shape', async () => {
    await call('POST', '/v1/messages', { messages: [message({ metadata: { tb_message_id: 'abc' } })] });
    const res = await call('POST', '/v2-preview/reporting/messages/detail', {
      start_date: new Date(Date.now() - 60_000).toISOString(),
      end_date: new Date(Date.now() + 60_000).toISOString(),
      metadata_key: 'tb_message_id',
      metadata_value: 'abc',
    });
    expect(res.status).toBe(200);
    expectSchema(
      'paths/messaging-reports/v2-preview_reporting_messages_detail.yaml',
      `/post${RESPONSE(200)}`,
      res.body,
    );
    expect(res.body['messages']).toHaveLength(1);
  });

  it('builds delivery reports and received messages in the documented shapes', async () => {
    await call('POST', '/v1/messages', { messages: [message({ metadata: { tb_message_id: 'abc' } })] });
    const id = fake.sent[0]!.message_id;
    expectSchema(
      'components/schemas/delivery-reports/DeliveryReport.yaml',
      '',
      fake.receiptBody(id, 'delivered', '220'),
    );
    const inbound = fake.inboundBody({ from: '+61491570156', to: '+61491570157', text: 'Hi' });
    expectSchema('components/schemas/webhooks/payloads/SmsReceivedWebhookPayload.yaml', '', inbound);
    expect(inbound).toMatchObject({ message_id: id, metadata: { tb_message_id: 'abc' } });
  });
});

describe('fake Sinch: pushes', () => {
  it('POSTs a delivery report our parser reads to the callback_url and returns our status', async () => {
    const received: Buffer[] = [];
    const receiver = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push(Buffer.concat(chunks));
      res.writeHead(received.length === 1 ? 200 : 500).end();
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/sinch`;
    try {
      await call('POST', '/v1/messages', {
        messages: [
          message({ callback_url: callback, delivery_report: true, metadata: { tb_message_id: 'm1' } }),
        ],
      });
      const id = fake.sent[0]!.message_id;
      expect(await fake.deliver(id, 'failed', '411')).toBe(200);
      expect(await fake.deliver(id, 'delivered', '220')).toBe(500);
      const [first] = parseSinchWebhook({
        method: 'POST',
        url: '/webhooks/sinch',
        headers: {},
        query: {},
        contentType: 'application/json',
        rawBody: received[0]!,
      }) as DeliveryReceipt[];
      expect(first).toMatchObject({
        providerMessageId: id,
        status: 'failed',
        code: '411',
        correlationId: 'm1',
      });
      expect(fake.sent[0]!.status).toBe('delivered');
    } finally {
      await new Promise<void>((done) => receiver.close(() => done()));
    }
  });
});

describe('fixtures are the documented examples', () => {
  const fixture = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../fixtures/sinch/${name}`, import.meta.url), 'utf8')) as unknown;
  const body = '/post/requestBody/content/application~1json';

  it.each([
    ['sms-received.json', 'webhooks/smsReceived.yaml', `${body}/example`],
    ['mms-received.json', 'webhooks/mmsReceived.yaml', `${body}/examples/withAttachments/value`],
    ['mms-received-text-only.json', 'webhooks/mmsReceived.yaml', `${body}/examples/textOnly/value`],
    ['delivery-report.json', 'webhooks/deliveryReport.yaml', `${body}/example`],
    ['opt-out.json', 'webhooks/optOut.yaml', `${body}/example`],
  ])('%s equals the example of %s and fits its schema', (name, file, pointer) => {
    expect(fixture(name)).toEqual(loadSinchSchema(file, pointer));
    expectSchema(file, `${body}/schema`, fixture(name));
  });

  it('callback-delivery-report.json fits the DeliveryReport schema', () => {
    expectSchema(
      'components/schemas/delivery-reports/DeliveryReport.yaml',
      '',
      fixture('callback-delivery-report.json'),
    );
  });

  it('the inbound fake body parses as an inbound message', () => {
    const inbound = fake.inboundBody({ from: '+61491570156', to: '+61491570157', text: 'Hi' });
    const [event] = parseSinchWebhook({
      method: 'POST',
      url: '/',
      headers: {},
      query: {},
      contentType: 'application/json',
      rawBody: Buffer.from(JSON.stringify(inbound)),
    }) as InboundMessage[];
    expect(event).toMatchObject({ kind: 'inbound', from: '+61491570156', to: '+61491570157', text: 'Hi' });
  });
});
