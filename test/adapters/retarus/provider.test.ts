import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderError,
  ProviderNotSupportedError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../../adapters/errors.ts';
import {
  createRetarusProvider,
  RETARUS_WEBHOOK_CONTENT_TYPES,
  type RetarusProviderOptions,
  retarusDefaultUrls,
} from '../../../adapters/retarus/index.ts';
import type { DeliveryReceipt, OutboundRequest, Provider, WebhookEvent } from '../../../adapters/types.ts';
import { type FakeRetarus, startFakeRetarus } from '../../fakes/retarus.ts';
import { rejection } from '../../helpers/rejection.ts';

let fake: FakeRetarus;
let retarus: Provider;

beforeEach(async () => {
  fake = await startFakeRetarus({ username: 'tb', password: 'secret', dataCentre: 'de1' });
  retarus = provider();
});

afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<RetarusProviderOptions> = {}): Provider {
  return createRetarusProvider({
    username: 'tb',
    password: 'secret',
    sendUrl: fake.sendUrl,
    statusUrls: fake.statusUrls,
    sender: 'Contoso',
    timeoutMs: 2000,
    ...overrides,
  });
}

function outbound(n: number, overrides: Partial<OutboundRequest> = {}): OutboundRequest {
  return {
    provider: 'retarus',
    to: `+49176${String(n).padStart(8, '0')}`,
    text: 'Your order has shipped.',
    channel: 'sms',
    correlationId: `6c1f2a4e-0000-4000-8000-${String(n).padStart(12, '0')}`,
    idempotencyKey: `idem-${n}`,
    ...overrides,
  };
}

const postedJobs = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/jobs');

describe('createRetarusProvider', () => {
  it('describes itself', () => {
    expect(retarus).toMatchObject({ id: 'retarus', maxBatch: 3000, defaultSender: 'Contoso' });
    expect(Object.keys(retarus.capabilities).sort()).toEqual(['jobs', 'reconcile', 'version']);
    expect(retarusDefaultUrls).toEqual({
      send: 'https://sms4a.eu.retarus.com/rest/v1',
      status: ['https://sms4a.de2.retarus.com/rest/v1', 'https://sms4a.de1.retarus.com/rest/v1'],
    });
    expect(RETARUS_WEBHOOK_CONTENT_TYPES).toEqual(['application/json', 'application/xml', 'text/xml']);
  });

  it.each([
    [{ password: '' }, 'Retarus needs both username and password'],
    [{ sendUrl: 'not a url' }, 'Retarus sendUrl is not a URL: not a url'],
    [{ statusUrls: [] }, 'Retarus needs at least one status URL'],
    [{ statusUrls: ['https://ok.example', 'nope'] }, 'Retarus status URL is not a URL: nope'],
    [{ sender: 'Far too long sender' }, 'Retarus sender must be up to 20 digits or 11 characters'],
  ])('refuses %j', (overrides, message) => {
    expect(() => provider(overrides)).toThrow(message);
  });
});

describe('send', () => {
  it('sends one job: one message per text, our id as each recipient’s customerRef', async () => {
    const requests = [outbound(1), outbound(2, { text: 'See you at 14:00.' }), outbound(3)];
    const results = await retarus.send(requests);
    expect(postedJobs()).toHaveLength(1);
    expect(postedJobs()[0]!.body).toEqual({
      options: {
        src: 'Contoso',
        encoding: 'STANDARD',
        statusRequested: true,
        invalidCharacters: 'TO_UTF16',
        maxParts: 20,
        duplicateDetection: true,
      },
      messages: [
        {
          text: 'Your order has shipped.',
          recipients: [
            { dst: requests[0]!.to, customerRef: requests[0]!.correlationId },
            { dst: requests[2]!.to, customerRef: requests[2]!.correlationId },
          ],
        },
        {
          text: 'See you at 14:00.',
          recipients: [{ dst: requests[1]!.to, customerRef: requests[1]!.correlationId }],
        },
      ],
    });
    const jobId = fake.jobs[0]!.jobId;
    expect(results).toEqual(
      requests.map((r) => ({ correlationId: r.correlationId, providerMessageId: jobId, status: 'queued' })),
    );
  });

  it('makes one job per sender and encoding, and sends non-GSM text as UTF-16', async () => {
    const requests = [
      outbound(1),
      outbound(2, { text: 'Danke 😊' }),
      outbound(3, { from: '+4989123456' }),
      outbound(4, { text: 'Grüße {€}' }),
    ];
    const results = await retarus.send(requests);
    const bodies = postedJobs().map(
      (r) => r.body as { options: Record<string, unknown>; messages: unknown[] },
    );
    expect(bodies.map((b) => [b.options['src'], b.options['encoding'], b.messages.length])).toEqual([
      ['Contoso', 'STANDARD', 2],
      ['Contoso', 'UTF-16', 1],
      ['+4989123456', 'STANDARD', 1],
    ]);
    const [first, second, third] = fake.jobs.map((j) => j.jobId);
    expect(results.map((r) => r.providerMessageId)).toEqual([first, second, third, first]);
  });

  it('leaves src out when neither the request nor the options name a sender', async () => {
    await provider({ sender: undefined }).send([outbound(1)]);
    expect((postedJobs()[0]!.body as { options: object }).options).not.toHaveProperty('src');
  });

  it('asks for SUC_ACC reports when statusRequested is false', async () => {
    await provider({ statusRequested: false }).send([outbound(1)]);
    expect(fake.jobs[0]!.request.options).toMatchObject({ statusRequested: false });
  });

  it('refuses what Retarus cannot send, and invalid numbers, before any call', async () => {
    expect(await rejection(retarus.send([outbound(1, { channel: 'whatsapp' })]))).toBeInstanceOf(
      ProviderNotSupportedError,
    );
    const mms = await rejection(
      retarus.send([outbound(1, { channel: 'sms', media: ['https://x.example/a.png'] })]),
    );
    expect(mms).toBeInstanceOf(ProviderNotSupportedError);
    expect(mms.message).toBe('Retarus sends SMS text only, not media');
    const bad = await rejection(retarus.send([outbound(1), outbound(2, { to: 'call me' })]));
    expect(bad).toBeInstanceOf(ProviderValidationError);
    expect(bad.message).toBe(
      'Retarus job: messages[0].recipients[1].dst is not a phone number, got "call me"',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('splits more than 3,000 requests into several jobs', async () => {
    const requests = Array.from({ length: 3001 }, (_, i) => outbound(i));
    const results = await retarus.send(requests);
    expect(fake.jobs.map((j) => j.recipients.length)).toEqual([3000, 1]);
    expect(results[2999]!.providerMessageId).toBe(fake.jobs[0]!.jobId);
    expect(results[3000]!.providerMessageId).toBe(fake.jobs[1]!.jobId);
  });

  it('resolves a 409 on a retried send to the job that was accepted, without sending again', async () => {
    const requests = [outbound(1), outbound(2)];
    const first = await retarus.send(requests);
    fake.advance(first[0]!.providerMessageId);
    const retried = await retarus.send(requests);
    expect(fake.jobs).toHaveLength(1);
    expect(retried).toEqual(
      requests.map((r) => ({
        correlationId: r.correlationId,
        providerMessageId: first[0]!.providerMessageId,
        status: 'sent',
        vendorStatus: 'RUNNING',
      })),
    );
    expect(fake.requests.slice(1).map((r) => `${r.method} ${r.host} ${r.path}`)).toEqual([
      'POST eu /jobs',
      'GET de2 /jobs',
      'GET de1 /jobs',
      'GET de1 /sms',
    ]);
  });

  it('asks again later when Retarus says duplicate but lists no such job', async () => {
    fake.failNext(1, 409, { message: 'Duplicate job', code: 409 });
    const err = await rejection(retarus.send([outbound(1)]));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 30_000, status: undefined });
    expect(err.message).toContain(outbound(1).correlationId);
  });

  it('fails retryably, without a status, when a later job fails after an earlier one went out', async () => {
    fake.failNext(1, 400, { message: 'Bad request', code: 400 }, {}, { method: 'POST', after: 1 });
    const err = await rejection(retarus.send([outbound(1), outbound(2, { text: 'Danke 😊' })]));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err).toMatchObject({ status: undefined, retryable: true });
    expect(err.message).toMatch(
      new RegExp(`^Retarus took 1 of 2 jobs of this send \\(${fake.jobs[0]!.jobId}\\)`),
    );
    expect(err.message).toContain('Bad request');
  });

  it('passes a failure of the first job through unchanged', async () => {
    fake.failNext(1, 400, { message: 'Bad request', code: 400 });
    const err = await rejection(retarus.send([outbound(1), outbound(2, { text: 'Danke 😊' })]));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err).toMatchObject({ status: 400 });
  });
});

describe('findSent', () => {
  it('finds the job whose recipient carries our id', async () => {
    const since = new Date();
    await retarus.send([outbound(1)]);
    fake.dataCentre = 'de2';
    const [sent] = await retarus.send([outbound(2), outbound(3)]);
    await retarus.send([outbound(4)]);
    expect(await retarus.findSent!(outbound(2), since)).toEqual({
      correlationId: outbound(2).correlationId,
      providerMessageId: sent!.providerMessageId,
      status: 'queued',
      vendorStatus: 'OPEN',
    });
    expect(await retarus.findSent!(outbound(1), since)).toMatchObject({
      providerMessageId: fake.jobs[0]!.jobId,
    });
  });

  it('answers undefined when no job carries our id', async () => {
    await retarus.send([outbound(1)]);
    expect(await retarus.findSent!(outbound(9), new Date(Date.now() - 60_000))).toBeUndefined();
  });

  it('keeps the window within 30 days for an old `since`', async () => {
    await retarus.send([outbound(1)]);
    expect(await retarus.findSent!(outbound(1), new Date('2020-01-01T00:00:00Z'))).toBeDefined();
  });

  it('refuses to guess when the window holds more jobs than it searches', async () => {
    for (let i = 0; i < 101; i += 1) await retarus.send([outbound(i)]);
    const err = await rejection(retarus.findSent!(outbound(999), new Date(Date.now() - 60_000)));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ retryable: false });
    expect(err.message).toMatch(/Retarus lists 101 jobs .* it is not sent again to avoid a duplicate/);
  });
});

describe('getStatus and pollStatus', () => {
  it('reads the first recipient’s status as it progresses', async () => {
    const [sent] = await retarus.send([outbound(1)]);
    const jobId = sent!.providerMessageId;
    expect(await retarus.getStatus(jobId)).toMatchObject({
      providerMessageId: jobId,
      status: 'queued',
      vendorStatus: 'OPEN',
    });
    fake.advance(jobId);
    expect(await retarus.getStatus(jobId)).toMatchObject({ status: 'sent', vendorStatus: 'RUNNING' });
    fake.advance(jobId, { status: 'FAILED_FIN' });
    expect(await retarus.getStatus(jobId)).toMatchObject({
      status: 'failed',
      vendorStatus: 'DONE/FAILED_FIN',
      reason: 'Not delivered, according to the delivery notification.',
    });
  });

  it('polls receipts for every recipient of each job, final or not, and skips unknown jobs', async () => {
    const [a, b] = await retarus.send([outbound(1), outbound(2)]);
    fake.advance(a!.providerMessageId, { status: 'INVALID_DST' });
    const receipts = await retarus.capabilities.reconcile!.pollStatus([
      a!.providerMessageId,
      b!.providerMessageId,
      'J.20240101-000000.000-unknownunknownunk',
    ]);
    const [r1, r2] = fake.jobs[0]!.recipients;
    expect(receipts).toEqual<DeliveryReceipt[]>([
      {
        kind: 'receipt',
        provider: 'retarus',
        providerMessageId: a!.providerMessageId,
        recipient: r1!.smsId,
        receiptId: `${r1!.smsId}:DONE:INVALID_DST`,
        status: 'rejected',
        vendorStatus: 'DONE/INVALID_DST',
        reason: 'The number is invalid. (Invalid destination address)',
        at: r1!.finishedTs!,
        correlationId: outbound(1).correlationId,
        raw: expect.objectContaining({ smsId: r1!.smsId }),
      },
      expect.objectContaining({
        recipient: r2!.smsId,
        receiptId: `${r2!.smsId}:DONE:INVALID_DST`,
        correlationId: outbound(2).correlationId,
      }),
    ]);
  });

  it('gives a receipt id per status pair, so a poll and a push of the same state dedupe', async () => {
    const [sent] = await retarus.send([outbound(1)]);
    const jobId = sent!.providerMessageId;
    const poll = () => retarus.capabilities.reconcile!.pollStatus([jobId]);
    const open = await poll();
    expect(await poll()).toEqual([expect.objectContaining({ receiptId: open[0]!.receiptId })]);
    fake.advance(jobId);
    const running = await poll();
    expect(running[0]!.receiptId).not.toBe(open[0]!.receiptId);
    fake.advance(jobId);
    const [polled] = await poll();
    const [pushed] = parsePush(fake.reportBody(jobId));
    expect(pushed).toEqual(polled);
  });
});

describe('jobs and version capabilities', () => {
  it('reads a job, its recipients and the job list', async () => {
    const [sent] = await retarus.send([outbound(1)]);
    const jobId = sent!.providerMessageId;
    const jobs = retarus.capabilities.jobs!;
    expect(await jobs.getJob(jobId)).toEqual({
      jobId,
      sender: 'Contoso',
      encoding: 'standard',
      receivedAt: fake.jobs[0]!.receiptTs,
      recipientIds: [fake.jobs[0]!.recipients[0]!.smsId],
      raw: expect.objectContaining({ jobId }),
    });
    fake.advance(jobId);
    fake.advance(jobId);
    const [recipient] = await jobs.getJobRecipients(jobId);
    expect(recipient).toMatchObject({
      to: outbound(1).to,
      status: 'delivered',
      vendorStatus: 'DONE/SUC_FIN',
      customerRef: outbound(1).correlationId,
    });
    expect(recipient).not.toHaveProperty('reason');
    const now = Date.now();
    expect(await jobs.listJobs({ from: new Date(now - 60_000), to: new Date(now + 60_000) })).toEqual([
      jobId,
    ]);
  });

  it('reads the version', async () => {
    expect(await retarus.capabilities.version!.getVersion()).toEqual({
      version: '2016.4 (build 4711)',
      raw: expect.objectContaining({ majorVersion: 2016 }),
    });
  });
});

describe('pushes from the fake through parseWebhook', () => {
  it('turns a pushed status report and an inbound SMS into events', async () => {
    const events: WebhookEvent[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        events.push(...retarus.parseWebhook(webhook(Buffer.concat(chunks), contentType)));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/retarus`;
    try {
      const [sent] = await retarus.send([outbound(1)]);
      fake.advance(sent!.providerMessageId, { status: 'SUC_FIN' });
      expect(await fake.push(sent!.providerMessageId, url, { basicAuth: ['retarus', 'hook-secret'] })).toBe(
        200,
      );
      const sms = { src: '+4917622222222', dst: '+4989123456', text: 'Danke!' };
      expect(await fake.pushInbound(url, sms)).toBe(200);
      expect(await fake.pushInbound(url, sms, { format: 'json' })).toBe(200);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
    expect(events.map((e) => e.kind)).toEqual(['receipt', 'inbound', 'inbound']);
    expect(events[0]).toMatchObject({ status: 'delivered', correlationId: outbound(1).correlationId });
    expect(events[1]).toMatchObject({
      from: '+4917622222222',
      to: '+4989123456',
      text: 'Danke!',
      channel: 'sms',
    });
  });
});

function webhook(body: Buffer, contentType: string) {
  return { method: 'POST', url: '/webhooks/retarus', headers: {}, query: {}, contentType, rawBody: body };
}

function parsePush(body: unknown): WebhookEvent[] {
  return retarus.parseWebhook(webhook(Buffer.from(JSON.stringify(body)), 'application/json'));
}
