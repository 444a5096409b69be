import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../../../adapters/errors.ts';
import { parseSmartDialogWebhook } from '../../../adapters/smartdialog/webhook.ts';
import type { DeliveryReceipt, InboundMessage, WebhookRequest } from '../../../adapters/types.ts';

const NOW = new Date('2025-03-14T12:00:00.000Z');
const now = () => NOW;

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/smartdialog/${name}`, import.meta.url), 'utf8'));
}

function post(body: unknown): WebhookRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST',
    url: '/webhooks/smartdialog?secret=x',
    headers: { 'content-type': 'application/json' },
    query: { secret: 'x' },
    contentType: 'application/json',
    rawBody: Buffer.from(text),
  };
}

function get(query: Record<string, string>): WebhookRequest {
  return {
    method: 'GET',
    url: `/webhooks/smartdialog?${new URLSearchParams(query)}`,
    headers: {},
    query,
    contentType: '',
    rawBody: Buffer.alloc(0),
  };
}

const inbound = (body: unknown) => parseSmartDialogWebhook(post(body), now)[0] as InboundMessage;
const receipt = (query: Record<string, string>) =>
  parseSmartDialogWebhook(get(query), now)[0] as DeliveryReceipt;

function parseError(req: WebhookRequest): string {
  try {
    parseSmartDialogWebhook(req, now);
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookParseError);
    return (err as Error).message;
  }
  throw new Error('expected a WebhookParseError');
}

describe('inbound messages (POST, the "New message" trigger)', () => {
  it('reads an SMS', () => {
    const body = fixture('inbound-sms.json');
    expect(parseSmartDialogWebhook(post(body), now)).toEqual([
      {
        kind: 'inbound',
        provider: 'smartdialog',
        providerMessageId: '2b9d1a3e-6a0c-4f8e-b3f1-0c9a7d5e4b21',
        from: '+358401234501',
        to: '+358451234567',
        channel: 'sms',
        text: 'Hi, is my order 4411 on its way?',
        media: [],
        receivedAt: '2025-03-14T09:26:53.589Z',
        raw: body,
      },
    ]);
  });

  it('reads a WhatsApp message with its attachment by URL, in UTC', () => {
    const msg = inbound(fixture('inbound-whatsapp-with-attachment.json'));
    expect(msg).toMatchObject({
      providerMessageId: '8c4e2f1a-0d3b-4a7c-9e6f-5b1d2c3a4e50',
      channel: 'whatsapp',
      text: 'Here is the photo of the damaged parcel',
      receivedAt: '2025-03-14T08:02:11.000Z',
      media: [
        {
          url: 'https://files.example/smartdialog/attachments/7f3c2a/parcel.jpg',
          contentType: 'image/jpeg',
          name: 'parcel.jpg',
        },
      ],
    });
  });

  it.each([
    ['WHATSAPP', 'whatsapp'],
    ['whatsapp', 'whatsapp'],
    ['WhatsApp Business', 'whatsapp'],
    ['SMS', 'sms'],
    ['RCS', 'sms'],
    [undefined, 'sms'],
  ])('maps protocol %s to %s', (protocol, channel) => {
    expect(inbound({ ...fixture('inbound-sms.json'), protocol }).channel).toBe(channel);
  });

  it('reads the fields in any casing', () => {
    const msg = inbound({
      Sender: '+358401',
      Recipient: '+358402',
      Content: 'hei',
      MessageId: 'm-1',
      Protocol: 'SMS',
    });
    expect(msg).toMatchObject({ providerMessageId: 'm-1', from: '+358401', to: '+358402', text: 'hei' });
  });

  it('takes a message with an attachment and no text', () => {
    const body = fixture('inbound-whatsapp-with-attachment.json');
    expect(inbound({ ...body, content: '' }).text).toBe('');
  });

  it('uses the time of arrival when there is no timestamp', () => {
    const { timestamp: _, ...body } = fixture('inbound-sms.json');
    expect(inbound(body).receivedAt).toBe(NOW.toISOString());
  });

  it.each([
    ['no messageId', { messageId: undefined }, '"messageId" is required'],
    ['an empty sender', { sender: '' }, '"sender" must not be empty'],
    ['a numeric sender', { sender: 358401 }, '"sender" is invalid'],
    ['no text and no attachment', { content: '' }, '"content" is required'],
    ['attachments that are not a list', { attachments: 'x' }, '"attachments" is invalid'],
    [
      'an attachment with a numeric location',
      { attachments: [{ resourceLocation: 1 }] },
      '"attachments.0.resourceLocation" is invalid',
    ],
  ])('refuses %s, naming the field', (_name, change, message) => {
    expect(parseError(post({ ...fixture('inbound-sms.json'), ...change }))).toContain(message);
  });

  it.each([
    ['an empty body', '', 'the body is empty'],
    ['broken JSON', '{"sender":', 'not valid JSON'],
    ['an array', '[]', 'must be a JSON object'],
  ])('refuses %s', (_name, body, message) => {
    expect(parseError(post(body))).toContain(message);
  });
});

describe('delivery reports (GET on our DlrUrl)', () => {
  it('reads the mock names: messageId, recipientId, status', () => {
    const query = fixture('dlr-delivered.json') as Record<string, string>;
    expect(receipt(query)).toEqual({
      kind: 'receipt',
      provider: 'smartdialog',
      providerMessageId: '5d0c3b2a-1e9f-4c8d-b7a6-9f8e7d6c5b4a',
      recipient: 'e4d3c2b1-a09f-4e8d-8c7b-6a5f4e3d2c1b',
      receiptId: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 'delivered',
      vendorStatus: 'delivered',
      at: NOW.toISOString(),
      correlationId: '0195f3a2-7c1e-7d4b-9a8f-2e6c5b4a3d21',
      raw: { ...query, secret: '[redacted]' },
    });
  });

  it('reads SMPP words, snake_case ids, a code, a reason and a Unix time', () => {
    expect(receipt(fixture('dlr-smpp-undeliverable.json') as Record<string, string>)).toMatchObject({
      providerMessageId: '6e1d4c3b-2f0a-4d9e-a8b7-0a9f8e7d6c5b',
      recipient: 'f5e4d3c2-b1a0-4f9e-9d8c-7b6a5f4e3d2c',
      status: 'failed',
      vendorStatus: 'UNDELIV',
      code: '001',
      reason: 'Absent subscriber',
      at: '2025-03-14T09:26:53.000Z',
    });
  });

  it('keeps an unknown status as unknown with the whole query', () => {
    const query = fixture('dlr-unknown-status.json') as Record<string, string>;
    const r = receipt(query);
    expect(r).toMatchObject({
      providerMessageId: '7f2e5d4c-3a1b-4e0f-b9c8-1b0a9f8e7d6c',
      // With a message id present, `Id` is the recipient id of the send answer.
      recipient: 'a6f5e4d3-c2b1-4a0f-8e9d-8c7b6a5f4e3d',
      status: 'unknown',
      vendorStatus: 'Zugestellt',
      raw: query,
    });
    expect(r).not.toHaveProperty('reason');
  });

  it('keeps a report that carries only our correlation id', () => {
    expect(receipt(fixture('dlr-correlation-only.json') as Record<string, string>)).toMatchObject({
      providerMessageId: '',
      correlationId: '0195f3a2-7c1e-7d4b-9a8f-2e6c5b4a3d24',
      status: 'unknown',
      vendorStatus: '',
    });
  });

  it('takes a bare statusCode as the status and `id` as the message id', () => {
    const r = receipt(fixture('dlr-status-code-only.json') as Record<string, string>);
    expect(r).toMatchObject({
      providerMessageId: '8a3f6e5d-4b2c-4f1a-8d0e-2c1b0a9f8e7d',
      status: 'unknown',
      vendorStatus: '2',
    });
    expect(r).not.toHaveProperty('recipient');
    expect(r).not.toHaveProperty('correlationId');
  });

  it.each([
    ['status', 'DELIVRD', 'delivered'],
    ['state', 'expired', 'expired'],
    ['dlrStatus', 'REJECTD', 'rejected'],
    ['DeliveryStatus', 'read', 'read'],
    ['STATUS', 'enroute', 'sent'],
  ])('reads the status from %s=%s', (name, value, status) => {
    expect(receipt({ tb_message_id: 'm', [name]: value }).status).toBe(status);
  });

  it.each(['reason', 'error', 'errorMessage', 'statusText'])('reads the reason from %s', (name) => {
    expect(receipt({ tb_message_id: 'm', status: 'failed', [name]: 'No route' }).reason).toBe('No route');
  });

  it('gives plain words for a failure without a reason', () => {
    expect(receipt({ tb_message_id: 'm', status: 'EXPIRED' }).reason).toBe(
      'The message expired before it could be delivered.',
    );
  });

  it('gives the same receipt id to the same query in any order, and another to another status', () => {
    const a = receipt({ tb_message_id: 'm', messageId: 'x', status: 'sent' });
    const b = receipt({ status: 'sent', messageId: 'x', tb_message_id: 'm' });
    const c = receipt({ tb_message_id: 'm', messageId: 'x', status: 'delivered' });
    expect(a.receiptId).toBe(b.receiptId);
    expect(c.receiptId).not.toBe(a.receiptId);
  });

  it('keeps the receipt id when only the webhook secret changed', () => {
    const a = receipt({ secret: 'old', tb_message_id: 'm', status: 'sent' });
    const b = receipt({ secret: 'new', tb_message_id: 'm', status: 'sent' });
    expect(a.receiptId).toBe(b.receiptId);
  });

  it('refuses a GET without tb_message_id or any message id, saying what it expected', () => {
    const message = parseError(get({ secret: 'x', status: 'delivered' }));
    expect(message).toContain('tb_message_id');
    expect(message).toContain('messageId, message_id, msgId or id');
    expect(message).toContain('parameters received: secret, status');
  });

  it('says so when a GET carries no parameters at all', () => {
    expect(parseError(get({}))).toContain('parameters received: none');
  });
});
