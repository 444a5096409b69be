import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../../../adapters/errors.ts';
import { parseSinchWebhook } from '../../../adapters/sinch/webhook.ts';
import type { DeliveryReceipt, InboundMessage, WebhookRequest } from '../../../adapters/types.ts';

const FIXTURES = new URL('../../fixtures/sinch/', import.meta.url);
const NOW = new Date('2026-01-02T03:04:05.000Z');

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

function webhook(body: unknown): WebhookRequest {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST',
    url: '/webhooks/sinch',
    headers: { 'content-type': 'application/json' },
    query: {},
    contentType: 'application/json',
    rawBody: Buffer.from(raw),
  };
}

function parse(body: unknown) {
  return parseSinchWebhook(webhook(body), () => NOW);
}

function parseOne<T>(body: unknown): T {
  const events = parse(body);
  expect(events).toHaveLength(1);
  return events[0] as T;
}

function parseError(body: unknown): string {
  try {
    parse(body);
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookParseError);
    return (err as Error).message;
  }
  throw new Error('expected a WebhookParseError');
}

describe('parseSinchWebhook: documented payloads', () => {
  it('reads the received-SMS default payload', () => {
    const body = fixture('sms-received.json');
    expect(parseOne<InboundMessage>(body)).toEqual({
      kind: 'inbound',
      provider: 'sinch',
      providerMessageId: 'a175e797-2b54-468b-9850-41a3eab32f74',
      from: '+61491570156',
      to: '+61491593156',
      channel: 'sms',
      text: 'Hello Derpina',
      media: [],
      receivedAt: '2016-12-07T08:44:00.850Z',
      raw: body,
    });
  });

  it('reads the received-MMS payload with its base64 media (the store keeps the bytes apart)', () => {
    const event = parseOne<InboundMessage>(fixture('mms-received.json'));
    expect(event).toMatchObject({ kind: 'inbound', channel: 'mms', text: '', from: '+61491570156' });
    expect(event.media).toEqual([{ contentType: 'image/png', name: 'file.png', size: 4, data: 'dGVzdA==' }]);
  });

  it('reads the text-only variant of the received-MMS payload', () => {
    const event = parseOne<InboundMessage>(fixture('mms-received-text-only.json'));
    expect(event).toMatchObject({ kind: 'inbound', text: 'Hello back', media: [] });
  });

  it('reads the delivery-report default payload with string delay and error_code', () => {
    const body = fixture('delivery-report.json');
    expect(parseOne<DeliveryReceipt>(body)).toEqual({
      kind: 'receipt',
      provider: 'sinch',
      providerMessageId: '877c19ef-fa2e-4cec-827a-e1df9b5509f7',
      recipient: '+61491570156',
      receiptId: '01e1fa0a-6e27-4945-9cdb-18644b4de043',
      status: 'delivered',
      vendorStatus: 'delivered',
      code: '220',
      at: '2016-11-03T11:49:02.807Z',
      raw: body,
    });
  });

  it('reads the opt-out notification as an inbound message flagged optOut', () => {
    expect(parseOne<InboundMessage>(fixture('opt-out.json'))).toMatchObject({
      kind: 'inbound',
      providerMessageId: '3e6e6b1a-6c1d-4b1a-9c1e-6f1a6b1a6c1d',
      from: '+61491570156',
      to: '+61491593156',
      text: 'STOP',
      optOut: true,
    });
  });

  it('reads an unsolicited opt-out that has no message_id', () => {
    const { message_id: _ignored, ...body } = fixture('opt-out.json');
    expect(parseOne<InboundMessage>(body)).toMatchObject({ optOut: true, text: 'STOP' });
  });

  it('reads the callback_url delivery report with numeric delay', () => {
    expect(parseOne<DeliveryReceipt>(fixture('callback-delivery-report.json'))).toMatchObject({
      kind: 'receipt',
      providerMessageId: '389dc1a8-62a4-4110-ba61-af94806c006f',
      receiptId: '693e87f2-a553-4281-9ffe-ddf04cbc4bf3',
      recipient: '+61491570156',
      status: 'delivered',
      code: '220',
      at: '2016-11-03T11:49:02.807Z',
    });
  });
});

describe('parseSinchWebhook: callback pushes and variants', () => {
  it('takes the correlation id from metadata on receipts and replies', () => {
    const receipt = { ...fixture('callback-delivery-report.json'), metadata: { tb_message_id: 'msg-42' } };
    expect(parseOne<DeliveryReceipt>(receipt).correlationId).toBe('msg-42');
    const reply = { ...fixture('sms-received.json'), metadata: { tb_message_id: 'msg-43' } };
    expect(parseOne<InboundMessage>(reply).correlationId).toBe('msg-43');
  });

  it('reads a reply pushed to callback_url with the Reply object fields', () => {
    const reply = {
      callback_url: 'https://bot.example/webhooks/sinch',
      content: 'Yes please',
      date_received: '2024-04-16T23:41:04+00:00',
      message_id: '877c19ef-fa2e-4cec-827a-e1df9b5509f7',
      metadata: { tb_message_id: 'msg-7' },
      reply_id: 'b175e797-2b54-468b-9850-41a3eab32f74',
      source_number: '+61491570156',
      vendor_account_id: { vendor_id: 'SinchEU', account_id: 'MyAccount' },
    };
    expect(parseOne<InboundMessage>(reply)).toMatchObject({
      providerMessageId: reply.reply_id,
      from: '+61491570156',
      to: '',
      text: 'Yes please',
      receivedAt: '2024-04-16T23:41:04.000Z',
      correlationId: 'msg-7',
    });
  });

  it('maps a failure with a numeric error_code and explains it', () => {
    const body = { ...fixture('callback-delivery-report.json'), status: 'failed', error_code: 411 };
    expect(parseOne<DeliveryReceipt>(body)).toMatchObject({
      status: 'failed',
      vendorStatus: 'failed',
      code: '411',
      reason: 'Invalid destination address.',
    });
  });

  it('stamps the parse time when the template left the dates out', () => {
    const { date_received: _a, submitted_date: _b, ...body } = fixture('delivery-report.json');
    expect(parseOne<DeliveryReceipt>(body).at).toBe(NOW.toISOString());
  });

  it('accepts an array carrying several events, in order', () => {
    const events = parse([
      fixture('delivery-report.json'),
      fixture('sms-received.json'),
      fixture('opt-out.json'),
    ]);
    expect(events.map((event) => event.kind)).toEqual(['receipt', 'inbound', 'inbound']);
    expect(parse([])).toEqual([]);
  });
});

describe('parseSinchWebhook: wrong shapes', () => {
  it('rejects a body that is not JSON, or empty', () => {
    expect(parseError('{"reply_id": ')).toMatch(/not valid JSON/);
    expect(parseError('')).toMatch(/empty/);
  });

  it('rejects JSON that is not an object', () => {
    expect(parseError('"hello"')).toMatch(/must be a JSON object/);
    expect(parseError('null')).toMatch(/must be a JSON object/);
  });

  it('names the id fields when the body is none of the known shapes', () => {
    expect(parseError({ hello: 'world' })).toMatch(
      /"delivery_report_id", "reply_id" or "notification_id" is required/,
    );
  });

  it('names a missing field of a received message', () => {
    const { source_number: _ignored, ...body } = fixture('sms-received.json');
    expect(parseError(body)).toBe('"source_number" is required in a received message');
  });

  it('names a missing or wrong field of a delivery report', () => {
    const { status: _ignored, ...missing } = fixture('delivery-report.json');
    expect(parseError(missing)).toBe('"status" is required in a delivery report');
    expect(parseError({ ...fixture('delivery-report.json'), status: 5 })).toMatch(
      /^"status" is invalid in a delivery report/,
    );
    expect(parseError({ ...fixture('delivery-report.json'), error_code: { code: 1 } })).toMatch(
      /^"error_code" is invalid/,
    );
    expect(parseError({ ...fixture('delivery-report.json'), message_id: '' })).toBe(
      '"message_id" must not be empty in a delivery report',
    );
  });

  it('names a missing field of an opt-out', () => {
    const { source_number: _ignored, ...body } = fixture('opt-out.json');
    expect(parseError(body)).toBe('"source_number" is required in an opt-out notification');
  });

  it('rejects a received message with neither content nor attachments', () => {
    const { content: _ignored, ...body } = fixture('sms-received.json');
    expect(parseError(body)).toBe('"content" is required for a received message without attachments');
  });

  it('explains the literal $replyId an opt-out rendered with the reply template carries', () => {
    expect(parseError({ ...fixture('sms-received.json'), reply_id: '$replyId' })).toMatch(/\$notificationId/);
  });

  it('says which array item is wrong', () => {
    expect(parseError([fixture('sms-received.json'), { hello: 1 }])).toMatch(/^item 1: /);
  });

  it('rejects wrongly typed attachments and metadata', () => {
    expect(parseError({ ...fixture('mms-received.json'), attachments: 'x' })).toMatch(
      /^"attachments" is invalid/,
    );
    expect(parseError({ ...fixture('sms-received.json'), metadata: 'x' })).toMatch(/^"metadata" is invalid/);
  });
});

/**
 * The field names of the Power Platform connector's triggers (seeds/000): "When SMS or RCS is
 * received" and "When delivery receipt is received", every field the seed lists.
 */
describe('parseSinchWebhook: the connector-style field names', () => {
  const connectorInbound = {
    message_id: '877c19ef-fa2e-4cec-827a-e1df9b5509f7',
    reply_id: 'a175e797-2b54-468b-9850-41a3eab32f74',
    status: 'received',
    source_address: '+61491570156',
    destination_address: '+61491593156',
    content: 'Hello from the connector',
    contact_message: { text_message: { text: 'Hello from the connector' } },
    type: 'SMS',
    status_code: '200',
    submitted_date: '2026-03-01T10:00:00Z',
    date_received: '2026-03-01T10:00:01Z',
    attachments: [],
    metadata: [{ metadata_key: 'tb_message_id', metadata_value: 'ours-1' }],
  };

  it('reads a received message in the connector shape', () => {
    const event = parseOne<InboundMessage>(connectorInbound);
    expect(event).toMatchObject({
      kind: 'inbound',
      providerMessageId: 'a175e797-2b54-468b-9850-41a3eab32f74',
      from: '+61491570156',
      to: '+61491593156',
      channel: 'sms',
      text: 'Hello from the connector',
      receivedAt: '2026-03-01T10:00:01.000Z',
      correlationId: 'ours-1',
      raw: connectorInbound,
    });
  });

  it('reads RCS text given only as contact_message.text_message.text, labelled RCS', () => {
    const { content: _c, type: _t, ...rcs } = connectorInbound;
    const event = parseOne<InboundMessage>(rcs);
    expect(event.text).toBe('Hello from the connector');
    expect(event.channel).toBe('rcs');
  });

  it('labels a message whose type says RCS as RCS even with content', () => {
    expect(parseOne<InboundMessage>({ ...connectorInbound, type: 'RCS' }).channel).toBe('rcs');
  });

  it('reads connector attachments (base64) as MMS media', () => {
    const event = parseOne<InboundMessage>({
      ...connectorInbound,
      type: undefined,
      content: '',
      contact_message: undefined,
      attachments: [
        { attachment_type: 'image/png', attachment_content: 'dGVzdA==', attachment_name: 'a.png' },
      ],
    });
    expect(event.channel).toBe('mms');
    expect(event.media[0]).toMatchObject({ contentType: 'image/png', name: 'a.png', size: 4 });
  });

  it('reads a delivery receipt in the connector shape, status_code as the code', () => {
    const body = {
      message_id: '877c19ef-fa2e-4cec-827a-e1df9b5509f7',
      status: 'failed',
      source_address: '+61491570156',
      destination_address: '+61491593156',
      content: 'Hello back',
      type: 'SMS',
      delivery_report_id: '01e1fa0a-6e27-4945-9cdb-18644b4de043',
      status_code: '414',
      submitted_date: '2026-03-01T10:00:00Z',
      date_received: '2026-03-01T10:00:05Z',
      attachments: [],
      metadata: [{ metadata_key: 'tb_message_id', metadata_value: 'ours-2' }],
    };
    const receipt = parseOne<DeliveryReceipt>(body);
    expect(receipt).toMatchObject({
      kind: 'receipt',
      providerMessageId: '877c19ef-fa2e-4cec-827a-e1df9b5509f7',
      receiptId: '01e1fa0a-6e27-4945-9cdb-18644b4de043',
      status: 'failed',
      code: '414',
      reason: 'Destination unreachable.',
      correlationId: 'ours-2',
      at: '2026-03-01T10:00:05.000Z',
    });
  });

  it('lets a default name win over the connector one', () => {
    const event = parseOne<InboundMessage>({ ...connectorInbound, source_number: '+61400000001' });
    expect(event.from).toBe('+61400000001');
  });
});
