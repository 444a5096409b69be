import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderError,
  ProviderNotFoundError,
  ProviderRateLimitError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '../../../adapters/errors.ts';
import {
  describeRetarusVersion,
  getRetarusJob,
  getRetarusRecipients,
  getRetarusVersion,
  listRetarusJobs,
  postRetarusJob,
  RetarusDuplicateJobError,
  sendRetarusJob,
} from '../../../adapters/retarus/api.ts';
import type { RetarusConnection } from '../../../adapters/retarus/client.ts';
import { type RetarusJob, serializeRetarusJob } from '../../../adapters/retarus/job.ts';
import { type FakeRetarus, startFakeRetarus } from '../../fakes/retarus.ts';
import { rejection } from '../../helpers/rejection.ts';

let fake: FakeRetarus;
let connection: RetarusConnection;

beforeEach(async () => {
  fake = await startFakeRetarus({ username: 'api-user', password: 'api-pass', dataCentre: 'de1' });
  connection = {
    username: 'api-user',
    password: 'api-pass',
    sendUrl: fake.sendUrl,
    statusUrls: fake.statusUrls,
    timeoutMs: 2000,
  };
});

afterEach(async () => {
  await fake.close();
});

function job(options: RetarusJob['options'] = {}, count = 1, text = 'Hallo'): RetarusJob {
  const recipients = Array.from({ length: count }, (_, i) => ({
    dst: `+49176${String(i).padStart(8, '0')}`,
    customerRef: `m-${i}`,
  }));
  return { options, messages: [{ text, recipients }] };
}

describe('sendRetarusJob', () => {
  it('posts the canonical body to the send URL with Basic auth and returns the job id', async () => {
    const full = job({ src: 'Contoso', statusRequested: true, duplicateDetection: true, validityMin: 60 });
    const [jobId] = await sendRetarusJob(connection, full);
    expect(jobId).toMatch(/^J\..{18,38}$/);
    expect(jobId).toBe(fake.jobs[0]!.jobId);
    const [req] = fake.requests;
    expect(req).toMatchObject({ host: 'eu', method: 'POST', path: '/jobs' });
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from('api-user:api-pass').toString('base64')}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.raw).toBe(serializeRetarusJob(full));
  });

  it('accepts a 200 answer as well as 201', async () => {
    fake.failNext(1, 200, { jobId: 'J.20240101-000000.000-abcdefghijklmnopqr' });
    expect(await sendRetarusJob(connection, job())).toEqual(['J.20240101-000000.000-abcdefghijklmnopqr']);
  });

  it('splits 3,001 recipients into two jobs', async () => {
    const jobIds = await sendRetarusJob(connection, job({ src: 'Contoso' }, 3001));
    expect(jobIds).toHaveLength(2);
    expect(fake.jobs.map((j) => j.recipients.length)).toEqual([3000, 1]);
    expect(fake.jobs.map((j) => j.jobId)).toEqual(jobIds);
    expect(fake.jobs[1]!.request.options).toEqual({ src: 'Contoso' });
  });

  it('validates before calling', async () => {
    const err = await rejection(sendRetarusJob(connection, job({ validityMin: 3 })));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toBe('Retarus job: options.validityMin must be 0 or 5..2880, got 3');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses to post more than 3,000 SMS in one job', async () => {
    const err = await rejection(postRetarusJob(connection, job({}, 3001)));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toMatch(/messages add up to 3001 SMS/);
    expect(fake.requests).toHaveLength(0);
  });

  it('turns 409 on a duplicate job into RetarusDuplicateJobError', async () => {
    const same = job({ duplicateDetection: true });
    await sendRetarusJob(connection, same);
    const err = await rejection(sendRetarusJob(connection, same));
    expect(err).toBeInstanceOf(RetarusDuplicateJobError);
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err).toMatchObject({ status: 409, provider: 'retarus', acceptedJobIds: [] });
    expect(err.message).toMatch(/already accepted an identical job in the last 10 minutes/);
    expect(fake.jobs).toHaveLength(1);
  });

  it('says which parts went out before a duplicate part', async () => {
    const first = job({ duplicateDetection: true }, 3001);
    await sendRetarusJob(connection, first);
    // Other first part, but the same second part (recipient 3000 alone, same text and options).
    const second: RetarusJob = {
      options: first.options,
      messages: [{ text: 'Hallo', recipients: [...first.messages[0]!.recipients.slice(1)] }],
    };
    second.messages[0]!.recipients.unshift({ dst: '+4917699999999', customerRef: 'other' });
    const err = (await rejection(sendRetarusJob(connection, second))) as RetarusDuplicateJobError;
    expect(err).toBeInstanceOf(RetarusDuplicateJobError);
    expect(err.acceptedJobIds).toEqual([fake.jobs[2]!.jobId]);
  });

  it('maps 422 for refused characters to ProviderValidationError with Retarus’s message and code', async () => {
    const err = await rejection(
      sendRetarusJob(connection, job({ invalidCharacters: 'REFUSE' }, 1, 'Thanks 😊')),
    );
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err).toMatchObject({ status: 422 });
    expect(err.message).toBe(
      'retarus rejected the request (HTTP 422): The text contains characters that are not allowed in the chosen encoding (Retarus code 422)',
    );
  });

  it('maps the fake’s own 400 for an invalid blackout period to ProviderValidationError', async () => {
    // Bypasses validation to see what Retarus itself answers.
    const err = await rejection(postRetarusJob(connection, job({ blackoutPeriods: ['tonight'] })));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toContain('options.blackoutPeriods is invalid');
  });
});

describe('errors', () => {
  it('maps 401 to ProviderAuthError', async () => {
    const err = await rejection(sendRetarusJob({ ...connection, password: 'wrong' }, job()));
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(err).toMatchObject({ status: 401 });
    expect(err.message).toBe('retarus refused the credentials (HTTP 401): Unauthorized (Retarus code 401)');
  });

  it('maps 429 with Retry-After to ProviderRateLimitError', async () => {
    fake.failNext(1, 429, { message: 'Too many requests' }, { 'retry-after': '4' });
    const err = await rejection(sendRetarusJob(connection, job()));
    expect(err).toBeInstanceOf(ProviderRateLimitError);
    expect(err).toMatchObject({ retryAfterMs: 4000, retryable: true });
  });

  it('maps 5xx to ProviderUnavailableError and keeps a plain-text body', async () => {
    fake.failNext(1, 502, 'Bad gateway from upstream');
    const err = await rejection(sendRetarusJob(connection, job()));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toBe('retarus is unavailable (HTTP 502): Bad gateway from upstream');
  });

  it('maps a hung request to ProviderUnavailableError after timeoutMs', async () => {
    fake.hangNext(1);
    const err = await rejection(sendRetarusJob({ ...connection, timeoutMs: 150 }, job()));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
    expect(err.message).toMatch(/timed out after 150 ms/);
  });

  it('reports an unexpected success body', async () => {
    fake.failNext(1, 201, { id: 'x' });
    const err = await rejection(sendRetarusJob(connection, job()));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toBe('Retarus answered POST /jobs with an unexpected body (jobId: Required)');
  });
});

describe('lookups across data centres', () => {
  it('asks de2 first, then finds a de1 job on de1 after the 404', async () => {
    const [jobId] = await sendRetarusJob(connection, job());
    const report = await getRetarusJob(connection, jobId!);
    expect(report).toMatchObject({
      jobId,
      encoding: 'standard',
      recipientIds: [fake.jobs[0]!.recipients[0]!.smsId],
    });
    expect(report).not.toHaveProperty('finishedTs');
    expect(fake.requests.slice(1).map((r) => `${r.host} ${r.path}`)).toEqual([
      `de2 /jobs/${jobId}`,
      `de1 /jobs/${jobId}`,
    ]);
  });

  it('finds a de2 job with one call', async () => {
    fake.dataCentre = 'de2';
    const [jobId] = await sendRetarusJob(connection, job());
    expect(await getRetarusRecipients(connection, jobId!)).toHaveLength(1);
    expect(fake.requests.slice(1).map((r) => r.host)).toEqual(['de2']);
  });

  it('says how many data centres it asked when none knows the job', async () => {
    const err = await rejection(getRetarusJob(connection, 'J.20240101-000000.000-unknownunknownunk'));
    expect(err).toBeInstanceOf(ProviderNotFoundError);
    const [de2, de1] = fake.statusUrls.map((url) => new URL(url).host);
    expect(err.message).toBe(
      `Retarus does not know job J.20240101-000000.000-unknownunknownunk: asked 2 data centres (${de2}, ${de1})`,
    );
  });

  it('goes on to the next data centre when one is unavailable', async () => {
    const [jobId] = await sendRetarusJob(connection, job());
    fake.failNext(1, 503, undefined, {}, 'de2');
    expect(await getRetarusRecipients(connection, jobId!)).toHaveLength(1);
  });

  it('does not call a job missing when a data centre that may hold it did not answer', async () => {
    const [jobId] = await sendRetarusJob(connection, job());
    fake.failNext(1, 503, undefined, {}, 'de1');
    const err = await rejection(getRetarusRecipients(connection, jobId!));
    expect(err).toBeInstanceOf(ProviderUnavailableError);
  });

  it('stops at an auth error instead of asking the next data centre', async () => {
    const err = await rejection(
      getRetarusJob({ ...connection, password: 'x' }, 'J.20240101-000000.000-abcdefghijklmnopqr'),
    );
    expect(err).toBeInstanceOf(ProviderAuthError);
    expect(fake.requests).toHaveLength(1);
  });

  it('checks the job id pattern before calling', async () => {
    const err = await rejection(getRetarusRecipients(connection, 'J.too-short'));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toMatch(/J\\\.\.\{18,38\}/);
    await expect(getRetarusJob(connection, 'X.20240101-000000.000-abcdefghijklmnopqr')).rejects.toThrow(
      ProviderValidationError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('reads recipient reports as they progress', async () => {
    const [jobId] = await sendRetarusJob(connection, job({ statusRequested: true }, 2));
    fake.advance(jobId!);
    fake.advance(jobId!);
    const reports = await getRetarusRecipients(connection, jobId!);
    expect(reports.map((r) => [r.customerRef, r.processStatus, r.status])).toEqual([
      ['m-0', 'DONE', 'SUC_FIN'],
      ['m-1', 'DONE', 'SUC_FIN'],
    ]);
    expect(await getRetarusJob(connection, jobId!)).toHaveProperty('finishedTs');
  });
});

describe('listRetarusJobs', () => {
  const day = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000) };

  it('lists the jobs of every data centre, with the one that holds each', async () => {
    const [onDe1] = await sendRetarusJob(connection, job({}, 1, 'a'));
    fake.dataCentre = 'de2';
    const [onDe2] = await sendRetarusJob(connection, job({}, 1, 'b'));
    expect(await listRetarusJobs(connection, day)).toEqual([
      { jobId: onDe2, baseUrl: fake.de2Url },
      { jobId: onDe1, baseUrl: fake.de1Url },
    ]);
    const query = fake.requests.at(-1)!.query;
    expect(query).toEqual({ jobIdsOnly: 'true', fromTs: day.from.toISOString(), toTs: day.to.toISOString() });
  });

  it('passes open, offset and limit, and reads plain string ids', async () => {
    await sendRetarusJob(connection, job({}, 1, 'a'));
    const [second] = await sendRetarusJob(connection, job({}, 1, 'b'));
    fake.listShape = 'strings';
    const listed = await listRetarusJobs(connection, { ...day, open: true, offset: 1, limit: 5 });
    expect(listed.map((j) => j.jobId)).toEqual([second]);
    expect(fake.requests.at(-1)!.query).toMatchObject({ open: 'true', offset: '1', limit: '5' });
  });

  it.each([
    [
      { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-31T00:00:01Z') },
      'to must be at most 30 days',
    ],
    [
      { from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') },
      'to must not be before from',
    ],
    [{ from: new Date('x'), to: new Date() }, 'from must be a valid date'],
    [{ ...day, limit: 1001 }, 'limit must be a whole number 0..1000, got 1001'],
    [{ ...day, limit: -1 }, 'limit must be a whole number 0..1000, got -1'],
    [{ ...day, offset: 1.5 }, 'offset must be a whole number of at least 0, got 1.5'],
  ])('refuses %j before calling', async (query, message) => {
    const err = await rejection(listRetarusJobs(connection, query));
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toContain(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts a span of exactly 30 days and a limit of 0', async () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-01-31T00:00:00Z');
    expect(await listRetarusJobs(connection, { from, to, limit: 0 })).toEqual([]);
  });
});

describe('getRetarusVersion', () => {
  it('reads the version from the first data centre', async () => {
    const version = await getRetarusVersion(connection);
    expect(version).toMatchObject({ majorVersion: 2016, minorVersion: 4, buildNumber: 4711 });
    expect(describeRetarusVersion(version)).toBe('2016.4 (build 4711)');
    expect(fake.requests.map((r) => `${r.host} ${r.path}`)).toEqual(['de2 /version']);
    expect(describeRetarusVersion({ majorVersion: 2016 })).toBe('2016.?');
  });
});
