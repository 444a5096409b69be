import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebhookParseError } from '../../../adapters/errors.ts';
import { parseRetarusWebhook } from '../../../adapters/retarus/webhook.ts';
import type { DeliveryReceipt, InboundMessage, WebhookRequest } from '../../../adapters/types.ts';

const FIXTURES = new URL('../../fixtures/retarus/', import.meta.url);
const NOW = new Date('2026-01-02T03:04:05.000Z');

const fixtureText = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const fixture = (name: string) => JSON.parse(fixtureText(name)) as Record<string, unknown>;

function webhook(body: unknown, contentType = 'application/json'): WebhookRequest {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST',
    url: '/webhooks/retarus',
    headers: { 'content-type': contentType },
    query: {},
    contentType,
    rawBody: Buffer.from(raw),
  };
}

const parse = (body: unknown, contentType?: string) =>
  parseRetarusWebhook(webhook(body, contentType), () => NOW);

function parseError(body: unknown, contentType?: string): string {
  try {
    parse(body, contentType);
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookParseError);
    return (err as Error).message;
  }
  throw new Error('expected a WebhookParseError');
}

describe('status push', () => {
  it('reads the documented example: one receipt per recipient', () => {
    const body = fixture('status-push.json');
    const recipients = body['recipients'] as unknown[];
    expect(parse(body)).toEqual<DeliveryReceipt[]>([
      {
        kind: 'receipt',
        provider: 'retarus',
        providerMessageId: 'J.20170213-182659.160-0iz4dgsx5Yc9JH3rEx',
        recipient: 'S.20170213-182659.179-0iz4dgsx9BOF8KNY0@',
        receiptId: 'S.20170213-182659.179-0iz4dgsx9BOF8KNY0@:DONE:SUC_FIN',
        status: 'delivered',
        vendorStatus: 'DONE/SUC_FIN',
        at: '2017-02-13T17:27:05.712Z',
        // customerRef is the recipient number (Retarus's default), not one of our ids.
        raw: recipients[0],
      },
    ]);
  });

  it('reads a failed push with our ids, carrier reasons and times in UTC', () => {
    const [failed, invalid] = parse(fixture('status-push-failed.json')) as DeliveryReceipt[];
    expect(failed).toMatchObject({
      providerMessageId: 'J.20240311-091502.417-7Qm2LxVb0dKe4TzRw9',
      recipient: 'S.20240311-091502.431-Yb3sP0aQw8NcVt6Rk1',
      receiptId: 'S.20240311-091502.431-Yb3sP0aQw8NcVt6Rk1:DONE:FAILED_FIN',
      status: 'failed',
      vendorStatus: 'DONE/FAILED_FIN',
      reason:
        'Not delivered, according to the delivery notification. ' +
        '(message_state:UNDELIVERABLE [00000005] (Final) (Message is undeliverable.))',
      at: '2024-03-11T08:20:44.002Z',
      correlationId: '5f0c2a8e-3b71-4d2f-9c1e-8a6b4d2e7f10',
    });
    expect(invalid).toMatchObject({
      status: 'rejected',
      reason: 'The number is invalid. (Invalid destination address)',
      // No sentTs: the number was refused before sending.
      at: '2024-03-11T08:15:02.980Z',
      correlationId: '9d4e6f1a-2c83-4b5e-a7d0-1f3c5e7a9b24',
    });
  });

  it('dedupes a repeated push but not progress', () => {
    const body = fixture('status-push-failed.json');
    const first = parse(body) as DeliveryReceipt[];
    expect((parse(body) as DeliveryReceipt[]).map((r) => r.receiptId)).toEqual(first.map((r) => r.receiptId));
    const recipients = body['recipients'] as Array<Record<string, unknown>>;
    recipients[0] = { ...recipients[0], processStatus: 'RUNNING', status: '' };
    expect((parse(body) as DeliveryReceipt[])[0]!.receiptId).toBe(
      'S.20240311-091502.431-Yb3sP0aQw8NcVt6Rk1:RUNNING:',
    );
  });

  it('falls back to sentTs, then receiptTs, then now for the time', () => {
    const base = { jobId: 'J.20240311-091502.417-7Qm2LxVb0dKe4TzRw9', receiptTs: '2024-03-11T09:00:00Z' };
    const recipient = { smsId: 'S.1', dst: '+491', processStatus: 'RUNNING', status: '' };
    const at = (body: object) => (parse(body)[0] as DeliveryReceipt).at;
    expect(at({ ...base, recipients: [{ ...recipient, sentTs: '2024-03-11T09:00:01Z' }] })).toBe(
      '2024-03-11T09:00:01.000Z',
    );
    expect(at({ ...base, recipients: [recipient] })).toBe('2024-03-11T09:00:00.000Z');
    expect(at({ jobId: base.jobId, recipients: [recipient] })).toBe(NOW.toISOString());
  });

  it('does not take numbers in customerRef for our ids', () => {
    const body = {
      jobId: 'J.20240311-091502.417-7Qm2LxVb0dKe4TzRw9',
      recipients: [
        {
          smsId: 'S.1',
          dst: '004917600000001',
          processStatus: 'DONE',
          status: 'SUC_FIN',
          customerRef: '004917600000001',
        },
        { smsId: 'S.2', dst: '+491', processStatus: 'DONE', status: 'SUC_FIN', customerRef: '4917600000002' },
        {
          smsId: 'S.3',
          dst: '+491',
          processStatus: 'DONE',
          status: 'SUC_FIN',
          customerRef: '+4917600000003',
        },
        { smsId: 'S.4', dst: '+491', processStatus: 'DONE', status: 'SUC_FIN', customerRef: 'msg-4' },
        { smsId: 'S.5', dst: '+491', processStatus: 'DONE', status: 'SUC_FIN' },
      ],
    };
    expect((parse(body) as DeliveryReceipt[]).map((r) => r.correlationId)).toEqual([
      undefined,
      undefined,
      undefined,
      'msg-4',
      undefined,
    ]);
  });

  it('accepts an empty recipients list and a null status word', () => {
    expect(parse({ jobId: 'J.x', recipients: [] })).toEqual([]);
    const [receipt] = parse({
      jobId: 'J.x',
      recipients: [{ smsId: 'S.1', processStatus: 'CANCELED', status: null }],
    }) as DeliveryReceipt[];
    expect(receipt).toMatchObject({
      status: 'cancelled',
      vendorStatus: 'CANCELED',
      receiptId: 'S.1:CANCELED:',
    });
  });
});

describe('inbound SMS push', () => {
  it('reads the default XML push', () => {
    const xml = fixtureText('inbound.xml');
    expect(parse(xml, 'application/xml')).toEqual<InboundMessage[]>([
      {
        kind: 'inbound',
        provider: 'retarus',
        providerMessageId: 'S.20240311-101500.250-Kd8fR2mQz4VbN7xTw1',
        from: '+4917622222222',
        to: '+4989123456',
        channel: 'sms',
        text: 'Grüße & danke! Passt 14:00 <Uhr>?',
        media: [],
        receivedAt: '2024-03-11T09:15:00.250Z',
        raw: {
          cuNo: '0123456',
          smsId: 'S.20240311-101500.250-Kd8fR2mQz4VbN7xTw1',
          storeTs: '2024-03-11T10:15:00.250+01:00',
          src: '+4917622222222',
          dst: '+4989123456',
          text: 'Grüße & danke! Passt 14:00 <Uhr>?',
        },
      },
    ]);
  });

  it('reads the JSON variant', () => {
    const body = fixture('inbound.json');
    expect(parse(body)).toEqual<InboundMessage[]>([
      {
        kind: 'inbound',
        provider: 'retarus',
        providerMessageId: 'S.20240311-101712.004-Pq3wE6rTy9UiO2aSd5',
        from: '+4917622222222',
        to: '+4989123456',
        channel: 'sms',
        text: 'Bitte rufen Sie mich an 😊',
        media: [],
        receivedAt: '2024-03-11T09:17:12.004Z',
        raw: body,
      },
    ]);
  });

  it('accepts text/xml, any root element, namespaces and one wrapper level', () => {
    const fields = '<smsId>S.9</smsId><src>+491</src><dst>+492</dst><text>hi</text>';
    const expected = { providerMessageId: 'S.9', from: '+491', to: '+492', text: 'hi' };
    expect(parse(`<InboundSms>${fields}</InboundSms>`, 'text/xml')[0]).toMatchObject(expected);
    expect(parse(`<r:push xmlns:r="urn:retarus">${fields}</r:push>`, 'application/xml')[0]).toMatchObject(
      expected,
    );
    expect(parse(`<smsPush><sms>${fields}</sms></smsPush>`, 'application/xml')[0]).toMatchObject(expected);
    // No usable content type: the first character decides.
    expect(parse(`  <sms>${fields}</sms>`, '')[0]).toMatchObject(expected);
  });

  it('keeps the text verbatim: spaces, numeric references, CDATA, and an empty text', () => {
    const xml = (text: string) =>
      `<sms><smsId>S.9</smsId><src>+491</src><dst>+492</dst><text>${text}</text></sms>`;
    const text = (body: string) => (parse(body, 'application/xml')[0] as InboundMessage).text;
    expect(text(xml('  two  spaces  '))).toBe('  two  spaces  ');
    expect(text(xml('&#x1F600; &#252; &amp;#65;'))).toBe('😀 ü &#65;');
    expect(text(xml('<![CDATA[a < b & c]]>'))).toBe('a < b & c');
    expect(text(xml(''))).toBe('');
    expect(text('<sms><smsId>S.9</smsId><src>+491</src><dst>+492</dst><text/></sms>')).toBe('');
    expect(text(xml('0049'))).toBe('0049');
  });

  it('keeps ids and numbers as text, and uses now without storeTs', () => {
    const [sms] = parse({ smsId: 12, src: 4917600000001, dst: '+492', text: 'x' }) as InboundMessage[];
    expect(sms).toMatchObject({
      providerMessageId: '12',
      from: '4917600000001',
      receivedAt: NOW.toISOString(),
    });
  });
});

describe('wrong shapes', () => {
  it.each([
    ['an empty body', '', 'application/json', 'the body is empty; a Retarus push carries JSON or XML'],
    ['broken JSON', '{"jobId":', 'application/json', 'the body is not valid JSON'],
    ['a JSON array', [], 'application/json', 'a Retarus push must be a JSON object'],
    [
      'an object of neither kind',
      { jobId: 'J.x' },
      'application/json',
      'the body is neither a Retarus status push ("recipients" is required) nor an inbound SMS ("smsId", "src" and "dst" are required)',
    ],
    ['a push without jobId', { recipients: [] }, 'application/json', '"jobId" is required in a status push'],
    [
      'recipients that are not a list',
      { jobId: 'J.x', recipients: {} },
      'application/json',
      '"recipients" is invalid in a status push: Expected array, received object',
    ],
    [
      'a recipient without smsId',
      { jobId: 'J.x', recipients: [{ smsId: 'S.1', processStatus: 'DONE' }, { processStatus: 'DONE' }] },
      'application/json',
      '"recipients[1].smsId" is required in a status push',
    ],
    [
      'a recipient with an empty processStatus',
      { jobId: 'J.x', recipients: [{ smsId: 'S.1', processStatus: '' }] },
      'application/json',
      '"recipients[0].processStatus" must not be empty in a status push',
    ],
    [
      'an inbound JSON SMS without text',
      { smsId: 'S.1', src: '+491', dst: '+492' },
      'application/json',
      '"text" is required in an inbound SMS',
    ],
    [
      'an inbound JSON SMS with an empty src',
      { smsId: 'S.1', src: '', dst: '+492', text: 'x' },
      'application/json',
      '"src" must not be empty in an inbound SMS',
    ],
    [
      'broken XML',
      '<sms><smsId>S.1</sms>',
      'application/xml',
      'the body is not well-formed XML (line 1, column',
    ],
    [
      'XML without src',
      '<sms><smsId>S.1</smsId><dst>+492</dst><text>x</text></sms>',
      'application/xml',
      'the XML element <sms> is not an inbound SMS: <smsId>, <src> and <dst> are required',
    ],
    [
      'XML without text',
      '<sms><smsId>S.1</smsId><src>+491</src><dst>+492</dst></sms>',
      'text/xml',
      '"text" is required in an inbound SMS',
    ],
    [
      'XML with two texts',
      '<sms><smsId>S.1</smsId><src>+491</src><dst>+492</dst><text>a</text><text>b</text></sms>',
      'application/xml',
      '"text" must appear once in an inbound SMS',
    ],
    ['text that is not XML', 'hello', 'application/xml', 'the body is not well-formed XML'],
  ])('%s names the problem', (_name, body, contentType, message) => {
    expect(parseError(body, contentType)).toContain(message);
  });
});
