import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeRetarus, startFakeRetarus } from './retarus.ts';

const AUTH = `Basic ${Buffer.from('user:pass').toString('base64')}`;
const JOB_ID = /^J\.\d{8}-\d{6}\.\d{3}-[A-Za-z0-9]{18}$/;
const SMS_ID = /^S\.\d{8}-\d{6}\.\d{3}-[A-Za-z0-9]{18}$/;

let clock: Date;
let fake: FakeRetarus;

beforeEach(async () => {
  clock = new Date('2026-03-01T10:00:00.000Z');
  fake = await startFakeRetarus({ username: 'user', password: 'pass', dataCentre: 'de1', now: () => clock });
});

afterEach(async () => {
  await fake.close();
});

async function call(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; auth?: string | null } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.auth !== null) headers['authorization'] = init.auth ?? AUTH;
  const res = await request(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

const job = (overrides: Record<string, unknown> = {}, recipients = [{ dst: '+4917600000001' }]) => ({
  options: { statusRequested: true, ...overrides },
  messages: [{ text: 'Hallo', recipients }],
});

async function send(body: unknown = job()): Promise<string> {
  const res = await call(`${fake.sendUrl}/jobs`, { body });
  expect(res.status).toBe(201);
  return (res.body as { jobId: string }).jobId;
}

describe('fake Retarus: POST /jobs', () => {
  it('answers 201 with a job id in Retarus format and stores the job on the chosen data centre', async () => {
    const jobId = await send(
      job({}, [{ dst: '+4917600000001' }, { dst: '+4917600000002', customerRef: 'm-2' } as never]),
    );
    expect(jobId).toMatch(JOB_ID);
    expect(fake.jobs).toHaveLength(1);
    const [stored] = fake.jobs;
    expect(stored).toMatchObject({ jobId, dataCentre: 'de1', receiptTs: '2026-03-01T10:00:00.000Z' });
    expect(stored!.recipients.map((r) => [r.dst, r.customerRef, r.processStatus, r.status])).toEqual([
      ['+4917600000001', '+4917600000001', 'OPEN', ''],
      ['+4917600000002', 'm-2', 'OPEN', ''],
    ]);
    expect(stored!.recipients[0]!.smsId).toMatch(SMS_ID);
    expect(fake.requests[0]).toMatchObject({ host: 'eu', method: 'POST', path: '/jobs' });
  });

  it('puts jobs sent straight to a data centre on that one, and spreads eu jobs when random', async () => {
    await call(`${fake.de2Url}/jobs`, { body: job() });
    expect(fake.jobs[0]!.dataCentre).toBe('de2');
    fake.dataCentre = 'random';
    for (let i = 0; i < 40; i += 1)
      await send(job({}, [{ dst: `+49176000000${String(i).padStart(2, '0')}` }]));
    const placed = new Set(fake.jobs.slice(1).map((j) => j.dataCentre));
    expect(placed).toEqual(new Set(['de1', 'de2']));
  });

  it('refuses wrong credentials with 401 and a Basic challenge', async () => {
    const res = await call(`${fake.sendUrl}/jobs`, { body: job(), auth: `Basic ${btoa('user:wrong')}` });
    expect(res).toMatchObject({ status: 401, body: { message: 'Unauthorized', code: 401 } });
    expect(res.headers['www-authenticate']).toBe('Basic realm="sms4a"');
    expect((await call(`${fake.de1Url}/version`, { auth: null })).status).toBe(401);
  });

  it.each([
    ['no messages', { messages: [] }, 'messages is required'],
    [
      'a missing text',
      { messages: [{ recipients: [{ dst: '+4917600000001' }] }] },
      'messages[0].text is required',
    ],
    [
      'a missing dst',
      { messages: [{ text: 'a', recipients: [{ customerRef: 'x' }] }] },
      'messages[0].recipients[0].dst',
    ],
    [
      'an invalid job blackout period',
      { ...job({ blackoutPeriods: ['2026-03-01T20:00Z'] }) },
      'options.blackoutPeriods is invalid',
    ],
    [
      'an invalid recipient blackout period',
      job({}, [{ dst: '+4917600000001', blackoutPeriods: ['x/y'] } as never]),
      'messages[0].recipients[0].blackoutPeriods is invalid',
    ],
  ])('answers 400 for %s', async (_name, body, message) => {
    const res = await call(`${fake.sendUrl}/jobs`, { body });
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toContain(message);
    expect(fake.jobs).toHaveLength(0);
  });

  it('answers 400 for a body that is not JSON', async () => {
    expect((await call(`${fake.sendUrl}/jobs`, { body: '{nope' })).status).toBe(400);
  });

  it('answers 400 for more than 3,000 SMS counted over messages × recipients', async () => {
    const recipients = Array.from({ length: 1500 }, (_, i) => ({
      dst: `+49176${String(i).padStart(8, '0')}`,
    }));
    const body = {
      messages: [
        { text: 'a', recipients },
        { text: 'b', recipients: [...recipients, { dst: '+491' }] },
      ],
    };
    const res = await call(`${fake.sendUrl}/jobs`, { body });
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toMatch(/more than 3\.000 SMS .*\(got 3001\)/);
    body.messages[1]!.recipients = recipients;
    expect((await call(`${fake.sendUrl}/jobs`, { body })).status).toBe(201);
  });

  it('answers 400 for an option outside its enum or of the wrong type, naming it', async () => {
    for (const [options, named] of [
      [{ qos: 'FAST' }, 'options.qos'],
      [{ encoding: 'utf-8' }, 'options.encoding'],
      [{ invalidCharacters: 'DROP' }, 'options.invalidCharacters'],
      [{ flash: 'yes' }, 'options.flash'],
      [{ billcode: 'b'.repeat(71) }, 'options.billcode'],
      [{ validityMin: 'ten' }, 'options.validityMin'],
    ] as const) {
      const res = await call(`${fake.sendUrl}/jobs`, { body: job(options) });
      expect(res.status, JSON.stringify(options)).toBe(400);
      expect((res.body as { message: string }).message).toContain(named);
    }
  });

  it('clamps validityMin and maxParts out of range, as Retarus documents', async () => {
    const jobId = await send(job({ validityMin: 3, maxParts: 50, qos: 'EXPRESS', flash: true }));
    const stored = fake.jobs.find((j) => j.jobId === jobId)!;
    const base = stored.dataCentre === 'de1' ? fake.de1Url : fake.de2Url;
    const report = await call(`${base}/jobs/${jobId}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ validityMin: 5, qos: 'EXPRESS', flash: true });
  });

  it('answers 422 for non-GSM text with REFUSE, unless the encoding is UTF-16', async () => {
    const body = {
      options: { invalidCharacters: 'REFUSE' },
      messages: [{ text: 'Hi 😊', recipients: [{ dst: '+491' }] }],
    };
    expect((await call(`${fake.sendUrl}/jobs`, { body })).status).toBe(422);
    body.options = { invalidCharacters: 'REFUSE', encoding: 'UTF-16' } as never;
    expect((await call(`${fake.sendUrl}/jobs`, { body })).status).toBe(201);
    const gsm = {
      options: { invalidCharacters: 'REFUSE' },
      messages: [{ text: 'Grüße {€}', recipients: [{ dst: '+491' }] }],
    };
    expect((await call(`${fake.sendUrl}/jobs`, { body: gsm })).status).toBe(201);
  });

  it('answers 409 for an identical body within 10 minutes when duplicateDetection is on', async () => {
    const body = job({ duplicateDetection: true });
    await send(body);
    expect((await call(`${fake.sendUrl}/jobs`, { body })).status).toBe(409);
    // Judged on the bytes: the same job with another key order is a different body.
    const reordered = { messages: body.messages, options: body.options };
    expect((await call(`${fake.sendUrl}/jobs`, { body: reordered })).status).toBe(201);
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await call(`${fake.sendUrl}/jobs`, { body })).status).toBe(201);
  });

  it('accepts identical bodies without duplicateDetection', async () => {
    await send();
    await send();
    expect(fake.jobs).toHaveLength(2);
  });
});

describe('fake Retarus: lookups', () => {
  it('answers job and recipient lookups only on the job’s data centre', async () => {
    const jobId = await send();
    const report = await call(`${fake.de1Url}/jobs/${jobId}`);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      jobId,
      src: 'retarusREST',
      encoding: 'standard',
      statusRequested: true,
      flash: false,
      validityMin: 0,
      qos: 'NORMAL',
      receiptTs: '2026-03-01T10:00:00.000Z',
      recipientIds: [fake.jobs[0]!.recipients[0]!.smsId],
    });
    expect((await call(`${fake.de1Url}/sms?jobId=${jobId}`)).body).toEqual([
      {
        smsId: fake.jobs[0]!.recipients[0]!.smsId,
        dst: '+4917600000001',
        customerRef: '+4917600000001',
        processStatus: 'OPEN',
        status: '',
      },
    ]);
    expect((await call(`${fake.de2Url}/jobs/${jobId}`)).status).toBe(404);
    expect((await call(`${fake.de2Url}/sms?jobId=${jobId}`)).status).toBe(404);
    expect((await call(`${fake.sendUrl}/jobs/${jobId}`)).status).toBe(404);
    expect((await call(`${fake.sendUrl}/version`)).status).toBe(404);
  });

  it('echoes the encoding in lower case', async () => {
    await send({ options: { encoding: 'UTF-16' }, messages: [{ text: 'x', recipients: [{ dst: '+491' }] }] });
    expect((await call(`${fake.de1Url}/jobs/${fake.jobs[0]!.jobId}`)).body).toMatchObject({
      encoding: 'utf-16',
    });
  });

  it('checks the jobId pattern of GET /sms', async () => {
    const res = await call(`${fake.de1Url}/sms?jobId=J.short`);
    expect(res.status).toBe(400);
  });

  it('answers GET /version', async () => {
    expect((await call(`${fake.de2Url}/version`)).body).toMatchObject({
      majorVersion: 2016,
      buildNumber: 4711,
    });
  });
});

describe('fake Retarus: progress', () => {
  it('moves OPEN → RUNNING → DONE/SUC_FIN and sets finishedTs only when final', async () => {
    const jobId = await send();
    const recipient = fake.jobs[0]!.recipients[0]!;
    clock = new Date('2026-03-01T10:00:05.000Z');
    fake.advance(jobId);
    expect(recipient).toMatchObject({ processStatus: 'RUNNING', sentTs: '2026-03-01T10:00:05.000Z' });
    expect(recipient).not.toHaveProperty('finishedTs');
    expect((await call(`${fake.de1Url}/jobs/${jobId}`)).body).not.toHaveProperty('finishedTs');
    clock = new Date('2026-03-01T10:00:09.000Z');
    fake.advance(jobId);
    expect(recipient).toMatchObject({
      processStatus: 'DONE',
      status: 'SUC_FIN',
      reason: expect.stringMatching(/^message_state:DELIVERED/),
      finishedTs: '2026-03-01T10:00:09.000Z',
    });
    expect((await call(`${fake.de1Url}/jobs/${jobId}`)).body).toMatchObject({
      finishedTs: '2026-03-01T10:00:09.000Z',
    });
    fake.advance(jobId);
    expect(recipient.status).toBe('SUC_FIN');
  });

  it('ends in SUC_ACC without statusRequested', async () => {
    const jobId = await send(job({ statusRequested: false }));
    fake.advance(jobId);
    fake.advance(jobId);
    expect(fake.jobs[0]!.recipients[0]).toMatchObject({ processStatus: 'DONE', status: 'SUC_ACC' });
  });

  it.each(['FAILED_FIN', 'TIMEOUT', 'SEND_ERR'] as const)(
    'finishes with %s at once, with a sent time',
    async (status) => {
      const jobId = await send();
      fake.advance(jobId, { status });
      expect(fake.jobs[0]!.recipients[0]).toMatchObject({
        processStatus: 'DONE',
        status,
        sentTs: clock.toISOString(),
      });
      expect(fake.jobs[0]!.finishedTs).toBe(clock.toISOString());
    },
  );

  it('finishes INVALID_DST without a sent time, with a custom reason', async () => {
    const jobId = await send();
    fake.advance(jobId, { status: 'INVALID_DST', reason: 'no such number' });
    expect(fake.jobs[0]!.recipients[0]).toMatchObject({ status: 'INVALID_DST', reason: 'no such number' });
    expect(fake.jobs[0]!.recipients[0]).not.toHaveProperty('sentTs');
  });

  it('refuses unknown jobs', () => {
    expect(() => fake.advance('J.nope')).toThrow(/no job J.nope/);
  });
});

describe('fake Retarus: GET /jobs', () => {
  const list = (query: string, base = fake.de1Url) => call(`${base}/jobs?jobIdsOnly=true&${query}`);
  const window = 'fromTs=2026-03-01T00:00:00Z&toTs=2026-03-02T00:00:00Z';

  it('lists the data centre’s own jobs in the window, honouring open, offset and limit', async () => {
    const ids = [await send(), await send(), await send()];
    fake.dataCentre = 'de2';
    const other = await send();
    fake.advance(ids[0]!, { status: 'SUC_FIN' });
    expect((await list(window)).body).toEqual(ids.map((jobId) => ({ jobId })));
    expect((await list(window, fake.de2Url)).body).toEqual([{ jobId: other }]);
    expect((await list(`${window}&open=true`)).body).toEqual(ids.slice(1).map((jobId) => ({ jobId })));
    expect((await list(`${window}&offset=1&limit=1`)).body).toEqual([{ jobId: ids[1] }]);
    expect((await list('fromTs=2026-03-02T00:00:00Z&toTs=2026-03-03T00:00:00Z')).body).toEqual([]);
    fake.listShape = 'strings';
    expect((await list(`${window}&limit=2`)).body).toEqual(ids.slice(0, 2));
  });

  it.each([
    ['a span over 30 days', 'fromTs=2026-01-01T00:00:00Z&toTs=2026-01-31T00:00:01Z'],
    ['a missing toTs', 'fromTs=2026-01-01T00:00:00Z'],
    ['a limit over 1000', `fromTs=2026-03-01T00:00:00Z&toTs=2026-03-02T00:00:00Z&limit=1001`],
    ['a negative offset', `fromTs=2026-03-01T00:00:00Z&toTs=2026-03-02T00:00:00Z&offset=-1`],
  ])('answers 400 for %s', async (_name, query) => {
    expect((await list(query)).status).toBe(400);
  });

  it('accepts exactly 30 days and requires jobIdsOnly=true', async () => {
    expect((await list('fromTs=2026-01-01T00:00:00Z&toTs=2026-01-31T00:00:00Z')).status).toBe(200);
    expect((await call(`${fake.de1Url}/jobs?${window}`)).status).toBe(400);
  });
});

describe('fake Retarus: failure injection', () => {
  it('fails the next requests, optionally only those a match selects', async () => {
    fake.failNext(1, 503, undefined, { 'retry-after': '3' });
    const res = await call(`${fake.de1Url}/version`);
    expect(res).toMatchObject({ status: 503, body: { message: 'Service Unavailable', code: 503 } });
    expect(res.headers['retry-after']).toBe('3');
    fake.failNext(1, 500, 'upstream broke', {}, 'de1');
    expect((await call(`${fake.de2Url}/version`)).status).toBe(200);
    const text = await request(`${fake.de1Url}/version`, { headers: { authorization: AUTH } });
    expect(text.headers['content-type']).toBe('text/plain');
    expect(await text.body.text()).toBe('upstream broke');
    fake.failNext(1, 400, undefined, {}, { method: 'POST', after: 1 });
    expect((await call(`${fake.sendUrl}/jobs`, { body: job() })).status).toBe(201);
    expect((await call(`${fake.de1Url}/version`)).status).toBe(200);
    expect((await call(`${fake.sendUrl}/jobs`, { body: job() })).status).toBe(400);
  });

  it('leaves hung requests unanswered', async () => {
    fake.hangNext(1, 'de2');
    const hung = request(`${fake.de2Url}/version`, {
      headers: { authorization: AUTH },
      signal: AbortSignal.timeout(150),
    });
    await expect(hung).rejects.toThrow();
    expect((await call(`${fake.de2Url}/version`)).status).toBe(200);
  });
});

describe('fake Retarus: pushes', () => {
  interface Received {
    headers: IncomingHttpHeaders;
    body: string;
  }
  async function receiver(statuses: number[]) {
    const received: Received[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(statuses.shift() ?? 200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/retarus`;
    const close = () => new Promise<void>((done) => server.close(() => done()));
    return { url, received, close };
  }

  it('pushes the job report with recipients[] and Basic auth, retrying on non-2xx', async () => {
    const target = await receiver([503, 200]);
    try {
      const jobId = await send();
      fake.advance(jobId, { status: 'SUC_FIN' });
      expect(await fake.push(jobId, target.url, { basicAuth: ['retarus', 'secret'], retries: 2 })).toBe(200);
      expect(target.received).toHaveLength(2);
      const [first] = target.received;
      expect(first!.headers.authorization).toBe(`Basic ${btoa('retarus:secret')}`);
      expect(first!.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(first!.body) as Record<string, unknown>;
      expect(body).toMatchObject({ jobId, finishedTs: clock.toISOString() });
      expect(body).not.toHaveProperty('recipientIds');
      expect(body['recipients']).toEqual([
        expect.objectContaining({ processStatus: 'DONE', status: 'SUC_FIN' }),
      ]);
      expect(await fake.push(jobId, target.url)).toBe(200);
      expect(target.received[2]!.headers).not.toHaveProperty('authorization');
    } finally {
      await target.close();
    }
  });

  it('builds and pushes inbound SMS as XML (default) or JSON', async () => {
    const target = await receiver([]);
    try {
      const sms = { src: '+4917622222222', dst: '+4989123456', text: 'a < b & c', smsId: 'S.1' };
      const xml = fake.inboundXml(sms);
      expect(xml).toContain('<sms>');
      expect(xml).toContain('<text>a &lt; b &amp; c</text>');
      expect(fake.inboundXml({ ...sms, root: 'SmsPush' })).toContain('<SmsPush>');
      expect(fake.inboundJson(sms)).toEqual({
        cuNo: '0123456',
        smsId: 'S.1',
        storeTs: clock.toISOString(),
        src: sms.src,
        dst: sms.dst,
        text: sms.text,
      });
      expect(await fake.pushInbound(target.url, sms, { basicAuth: ['retarus', 'secret'] })).toBe(200);
      expect(await fake.pushInbound(target.url, sms, { format: 'json' })).toBe(200);
      expect(target.received[0]!.headers['content-type']).toBe('application/xml; charset=UTF-8');
      expect(target.received[0]!.body).toBe(xml);
      expect(target.received[1]!.headers['content-type']).toBe('application/json; charset=UTF-8');
      expect(JSON.parse(target.received[1]!.body)).toEqual(fake.inboundJson(sms));
    } finally {
      await target.close();
    }
  });
});
