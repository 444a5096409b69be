import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderNotSupportedError, ProviderValidationError } from '../../../adapters/errors.ts';
import {
  createSmartDialogProvider,
  SMARTDIALOG_DEFAULT_BASE_URL,
  type SmartDialogProviderOptions,
} from '../../../adapters/smartdialog/index.ts';
import { DUPLICATE_REQUEST } from '../../../adapters/smartdialog/send.ts';
import type { DeliveryReceipt, OutboundRequest, Provider } from '../../../adapters/types.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../../fakes/smartdialog.ts';
import { rejection } from '../../helpers/rejection.ts';

const TOKEN = 'static-token';
const DLR = 'https://bot.example/webhooks/smartdialog?secret=a%2Bb~c';
let fake: FakeSmartDialog;
let smartdialog: Provider;

beforeEach(async () => {
  fake = await startFakeSmartDialog({ tokens: [TOKEN] });
  smartdialog = provider();
});

afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<SmartDialogProviderOptions> = {}): Provider {
  return createSmartDialogProvider({
    baseUrl: fake.baseUrl,
    auth: { accessToken: TOKEN },
    customerId: FAKE_SMARTDIALOG.customerId,
    serviceId: FAKE_SMARTDIALOG.serviceId,
    sender: 'Textbridge',
    dlrUrl: DLR,
    timeoutMs: 2000,
    ...overrides,
  });
}

function outbound(n: number, overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    provider: 'smartdialog',
    to: `+3584012345${String(n).padStart(2, '0')}`,
    text: `Hello number ${n}`,
    channel: 'sms',
    correlationId: `msg-${n}`,
    idempotencyKey: `idem-${n}`,
    ...overrides,
  };
}

describe('createSmartDialogProvider', () => {
  it('describes itself', () => {
    expect(SMARTDIALOG_DEFAULT_BASE_URL).toBe('https://api.arena.fi/api-integrations/v1');
    expect(smartdialog).toMatchObject({ id: 'smartdialog', maxBatch: 100, defaultSender: 'Textbridge' });
    expect(Object.keys(smartdialog.capabilities).sort()).toEqual(['discussion', 'optIn', 'templates']);
    expect(provider({ groupServiceId: FAKE_SMARTDIALOG.groupServiceId }).capabilities.contacts).toBeDefined();
  });

  it('refuses settings it cannot work with', () => {
    expect(() => provider({ baseUrl: 'api.arena.fi' })).toThrow('baseUrl is not a URL');
    expect(() => provider({ customerId: '' })).toThrow('customerId and serviceId');
    expect(() => provider({ dlrUrl: '/webhooks/smartdialog' })).toThrow('dlrUrl is not a URL');
  });

  it('has no status lookup', async () => {
    const err = await rejection(smartdialog.getStatus('m-1'));
    expect(err).toBeInstanceOf(ProviderNotSupportedError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('send', () => {
  it('posts one message to /messages in the swagger shape', async () => {
    const [result] = await smartdialog.send([outbound(1)]);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/messages' });
    expect(req!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'customer-id': FAKE_SMARTDIALOG.customerId,
      'service-id': FAKE_SMARTDIALOG.serviceId,
      'content-type': 'application/json',
    });
    expect(req!.body).toEqual({
      Sender: 'Textbridge',
      Content: 'Hello number 1',
      Protocol: 'SMS',
      Recipients: [{ Address: '+358401234501' }],
      DlrUrl: `${DLR}&tb_message_id=msg-1`,
      RequestId: 'idem-1',
    });
    expect(result).toEqual({
      correlationId: 'msg-1',
      providerMessageId: fake.sent[0]!.messageId,
      status: 'queued',
    });
  });

  it('replies through /messages/reply/{ParentMessageId} when the request answers a message', async () => {
    const [result] = await smartdialog.send([outbound(1, { replyTo: 'in/1 2' })]);
    expect(fake.requests[0]!.path).toBe('/messages/reply/in%2F1%202');
    expect(fake.sent[0]).toMatchObject({ operationId: 'SendReplyMessage', parentMessageId: 'in/1 2' });
    expect(result!.providerMessageId).toBe(fake.sent[0]!.messageId);
  });

  it('sends one call per distinct text: the same text to several numbers goes as one message', async () => {
    const same = { text: 'Your parcel is ready' };
    const results = await smartdialog.send([
      outbound(1, same),
      outbound(2),
      outbound(3, same),
      outbound(4, same),
    ]);
    expect(fake.requests).toHaveLength(2);
    const grouped = fake.sent.find((m) => m.recipients.length === 3);
    expect(grouped?.recipients.map((r) => r.address)).toEqual([
      outbound(1).to,
      outbound(3).to,
      outbound(4).to,
    ]);
    // The DlrUrl of a shared message carries no message id of ours: each recipient's id comes back.
    expect(grouped?.dlrUrl).toBe(DLR);
    expect(results.map((r) => r.correlationId)).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-4']);
    expect([results[0], results[2], results[3]].map((r) => r?.providerMessageId)).toEqual(
      grouped?.recipients.map((r) => r.id),
    );
    // An answer threaded under a customer's message goes alone, whatever its text.
    fake.requests.length = 0;
    await smartdialog.send([
      outbound(5, { ...same, replyTo: 'in-5' }),
      outbound(6, { ...same, replyTo: 'in-6' }),
    ]);
    expect(fake.requests).toHaveLength(2);
  });

  it('sends several requests with different texts one call each, results in order', async () => {
    const results = await smartdialog.send([outbound(1), outbound(2), outbound(3)]);
    expect(fake.requests).toHaveLength(3);
    expect(results.map((r) => r.correlationId)).toEqual(['msg-1', 'msg-2', 'msg-3']);
    expect(results.map((r) => r.providerMessageId)).toEqual(fake.sent.map((m) => m.messageId));
  });

  it('uses the request’s sender over the default, and leaves out DlrUrl when none is set', async () => {
    await provider({ dlrUrl: undefined }).send([outbound(1, { from: '+358451234567' })]);
    expect(fake.requests[0]!.body).toMatchObject({ Sender: '+358451234567' });
    expect(fake.requests[0]!.body).not.toHaveProperty('DlrUrl');
  });

  it('puts one attachment in AttachmentUri and sends WhatsApp the same way', async () => {
    await smartdialog.send([outbound(1, { channel: 'whatsapp', media: ['https://cdn.example/a.png'] })]);
    expect(fake.requests[0]!.body).toMatchObject({
      Protocol: 'SMS',
      AttachmentUri: 'https://cdn.example/a.png',
    });
  });

  it.each([
    ['an MMS', outbound(1, { channel: 'mms' }), ProviderNotSupportedError, 'cannot send mms'],
    ['an RCS message', outbound(1, { channel: 'rcs' }), ProviderNotSupportedError, 'cannot send rcs'],
    ['two attachments', outbound(1, { media: ['a', 'b'] }), ProviderNotSupportedError, 'one attachment'],
    ['no text', outbound(1, { text: '' }), ProviderValidationError, 'Content is required'],
    ['no number', outbound(1, { to: ' ' }), ProviderValidationError, 'Recipients[0].Address is required'],
    [
      'a 1001-character idempotency key',
      outbound(1, { idempotencyKey: 'k'.repeat(1001) }),
      ProviderValidationError,
      'RequestId must be at most 1000 characters, got 1001',
    ],
  ])('refuses %s before any call', async (_name, request, type, message) => {
    const err = await rejection(smartdialog.send([request]));
    expect(err).toBeInstanceOf(type);
    expect(err.message).toContain(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a message without any sender, naming Sender', async () => {
    const err = await rejection(provider({ sender: undefined }).send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toContain('Sender is required');
  });
});

describe('RequestId = idempotencyKey', () => {
  it('treats SmartDialog’s duplicate answer as already sent', async () => {
    await smartdialog.send([outbound(1)]);
    const [again] = await smartdialog.send([outbound(1, { correlationId: 'msg-1' })]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.sent).toHaveLength(1);
    expect(again).toEqual({
      correlationId: 'msg-1',
      providerMessageId: '',
      status: 'queued',
      vendorStatus: DUPLICATE_REQUEST,
    });
  });

  it('takes the original message id when the duplicate answer names one', async () => {
    fake.failNext(1, 409, { errorMessage: 'Duplicate RequestId', messageId: 'orig-1' });
    const [result] = await smartdialog.send([outbound(1)]);
    expect(result).toMatchObject({ providerMessageId: 'orig-1', vendorStatus: DUPLICATE_REQUEST });
  });

  it('still fails on other 400 answers', async () => {
    fake.failNext(1, 400, { errorMessage: 'Invalid request id format' });
    const err = await rejection(smartdialog.send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toContain('Invalid request id format');
  });
});

describe('delivery reports come back to our DlrUrl', () => {
  it('carries the secret and tb_message_id, and parses into a receipt for our message', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const dlrUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/smartdialog?secret=a%2Bb~c`;
    try {
      const [result] = await provider({ dlrUrl }).send([outbound(7)]);
      expect(await fake.deliver(result!.providerMessageId, 'DELIVRD')).toBe(200);
      const url = new URL(seen[0]!, 'http://bot');
      expect(seen[0]!.startsWith('/webhooks/smartdialog?secret=a%2Bb~c&tb_message_id=msg-7&')).toBe(true);
      const [receipt] = smartdialog.parseWebhook({
        method: 'GET',
        url: seen[0]!,
        headers: {},
        query: Object.fromEntries(url.searchParams),
        contentType: '',
        rawBody: Buffer.alloc(0),
      }) as DeliveryReceipt[];
      expect(receipt).toMatchObject({
        kind: 'receipt',
        correlationId: 'msg-7',
        providerMessageId: result!.providerMessageId,
        recipient: fake.sent[0]!.recipients[0]!.id,
        status: 'delivered',
        vendorStatus: 'DELIVRD',
      });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
