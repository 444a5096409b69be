import { describe, expect, it } from 'vitest';
import { ProviderValidationError } from '../../../adapters/errors.ts';
import type { RetarusJob, RetarusJobOptions, RetarusRecipient } from '../../../adapters/retarus/job.ts';
import { isIsoDateTime, isIsoInterval, validateRetarusJob } from '../../../adapters/retarus/validate.ts';

function job(options?: RetarusJobOptions, recipient: Partial<RetarusRecipient> = {}): RetarusJob {
  return {
    ...(options ? { options } : {}),
    messages: [
      {
        text: 'Hallo',
        recipients: [
          { dst: '+4917600000001' },
          { dst: '+4917600000002' },
          { dst: '+4917600000003', ...recipient },
        ],
      },
    ],
  };
}

function problem(value: RetarusJob): string {
  try {
    validateRetarusJob(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err).toMatchObject({ provider: 'retarus' });
    return (err as Error).message.replace(/^Retarus job: /, '');
  }
  throw new Error('expected a ProviderValidationError');
}

const BAD_OPTIONS: Array<[RetarusJobOptions, string]> = [
  [
    { src: '123456789012345678901' },
    'options.src must be a number of at most 20 digits (optional +) or at most 11 letters, digits, spaces or punctuation, got "123456789012345678901"',
  ],
  [{ src: 'Contoso GmbH' }, 'options.src must be a number'],
  [{ src: 'Grüße' }, 'options.src must be a number'],
  [{ src: '' }, 'options.src must be a number'],
  [{ encoding: 'UTF-8' as never }, 'options.encoding must be one of STANDARD, UTF-16, got "UTF-8"'],
  [{ encoding: 'standard' as never }, 'options.encoding must be one of STANDARD, UTF-16, got "standard"'],
  [{ billcode: 'b'.repeat(71) }, 'options.billcode must be at most 70 characters, got 71'],
  [{ billcode: 7 as never }, 'options.billcode must be a string, got 7'],
  [{ statusRequested: 'yes' as never }, 'options.statusRequested must be true or false, got "yes"'],
  [{ flash: 1 as never }, 'options.flash must be true or false, got 1'],
  [{ customerRef: 'c'.repeat(65) }, 'options.customerRef must be at most 64 characters, got 65'],
  [{ validityMin: 3 }, 'options.validityMin must be 0 or 5..2880, got 3'],
  [{ validityMin: 2881 }, 'options.validityMin must be 0 or 5..2880, got 2881'],
  [{ validityMin: -1 }, 'options.validityMin must be 0 or 5..2880, got -1'],
  [{ validityMin: 7.5 }, 'options.validityMin must be 0 or 5..2880, got 7.5'],
  [{ maxParts: 0 }, 'options.maxParts must be an integer 1..20, got 0'],
  [{ maxParts: 21 }, 'options.maxParts must be an integer 1..20, got 21'],
  [{ maxParts: 2.5 }, 'options.maxParts must be an integer 1..20, got 2.5'],
  [
    { invalidCharacters: 'DROP' as never },
    'options.invalidCharacters must be one of REFUSE, REPLACE, TO_UTF16, TRANSLITERATE, got "DROP"',
  ],
  [{ qos: 'express' as never }, 'options.qos must be one of EXPRESS, NORMAL, got "express"'],
  [{ jobPeriod: 'tomorrow' }, 'options.jobPeriod must be an ISO-8601 date-time with a zone, got "tomorrow"'],
  [{ jobPeriod: '2030-01-01T08:00' }, 'options.jobPeriod must be an ISO-8601 date-time with a zone'],
  [{ jobPeriod: '2030-02-30T08:00Z' }, 'options.jobPeriod must be an ISO-8601 date-time with a zone'],
  [{ duplicateDetection: 'true' as never }, 'options.duplicateDetection must be true or false, got "true"'],
  [
    { blackoutPeriods: ['2030-01-01T20:00Z/2030-01-02T07:00Z', '2030-01-02T07:00Z'] },
    'options.blackoutPeriods[1] must be an ISO-8601 interval start/end such as 2018-10-25T18:00Z/2018-10-26T07:00Z, got "2030-01-02T07:00Z"',
  ],
  [
    { blackoutPeriods: ['2030-01-02T07:00Z/2030-01-01T20:00Z'] },
    'options.blackoutPeriods[0] must be an ISO-8601',
  ],
  [{ blackoutPeriods: ['2030-01-01T20:00Z/PT11H'] }, 'options.blackoutPeriods[0] must be an ISO-8601'],
  [
    { blackoutPeriods: '2030-01-01T20:00Z/2030-01-02T07:00Z' as never },
    'options.blackoutPeriods must be a list',
  ],
];

describe('validateRetarusJob: options', () => {
  it.each(BAD_OPTIONS)('refuses %j', (options, message) => {
    expect(problem(job(options))).toContain(message);
  });

  it('names the field in the error details too', () => {
    try {
      validateRetarusJob(job({ validityMin: 3 }));
    } catch (err) {
      expect((err as ProviderValidationError).details).toEqual({ field: 'options.validityMin' });
      return;
    }
    throw new Error('expected a ProviderValidationError');
  });

  it('accepts every option at its documented values and edges', () => {
    const good: RetarusJobOptions[] = [
      {},
      { src: '+49176000000000000000' },
      { src: '12345678901234567890' },
      { src: 'Contoso' },
      { src: 'A-B.C_D!?&' },
      { src: 'Shop 24 7' },
      { encoding: 'STANDARD' },
      { encoding: 'UTF-16' },
      { billcode: 'b'.repeat(70) },
      { statusRequested: true, flash: false, duplicateDetection: true },
      { customerRef: 'c'.repeat(64) },
      { validityMin: 0 },
      { validityMin: 5 },
      { validityMin: 2880 },
      { maxParts: 1 },
      { maxParts: 20 },
      { invalidCharacters: 'REFUSE' },
      { invalidCharacters: 'REPLACE' },
      { invalidCharacters: 'TO_UTF16' },
      { invalidCharacters: 'TRANSLITERATE' },
      { qos: 'EXPRESS' },
      { qos: 'NORMAL' },
      { jobPeriod: '2030-01-01T08:00Z' },
      { jobPeriod: '2030-01-01T08:00:00.000+01:00' },
      { blackoutPeriods: [] },
      {
        blackoutPeriods: [
          '2018-10-25T18:00Z/2018-10-26T07:00Z',
          '2030-01-01T20:00:00+01:00/2030-01-02T07:00:00+0100',
        ],
      },
    ];
    for (const options of good) expect(() => validateRetarusJob(job(options))).not.toThrow();
  });
});

describe('validateRetarusJob: messages and recipients', () => {
  it('names the exact recipient field', () => {
    expect(problem(job(undefined, { dst: 'abc' }))).toBe(
      'messages[0].recipients[2].dst is not a phone number, got "abc"',
    );
    expect(problem(job(undefined, { dst: '+49 176 0000' }))).toMatch(/^messages\[0\]\.recipients\[2\]\.dst /);
    expect(problem(job(undefined, { dst: undefined as never }))).toBe(
      'messages[0].recipients[2].dst is not a phone number, got undefined',
    );
    expect(problem(job(undefined, { customerRef: 'r'.repeat(65) }))).toBe(
      'messages[0].recipients[2].customerRef must be at most 64 characters, got 65',
    );
    expect(problem(job(undefined, { blackoutPeriods: ['soon'] }))).toMatch(
      /^messages\[0\]\.recipients\[2\]\.blackoutPeriods\[0\] must be an ISO-8601 interval/,
    );
  });

  it('requires messages, texts and recipients', () => {
    expect(problem({ messages: [] })).toBe('messages must contain at least one message');
    expect(problem({} as RetarusJob)).toBe('messages must contain at least one message');
    expect(problem({ messages: [{ text: '', recipients: [{ dst: '+4917600000001' }] }] })).toBe(
      'messages[0].text is required',
    );
    expect(
      problem({
        messages: [
          { text: 'a', recipients: [{ dst: '+4917600000001' }] },
          { text: 'b', recipients: [] },
        ],
      }),
    ).toBe('messages[1].recipients must contain at least one recipient');
  });

  it('accepts recipients with their own customerRef and blackout periods, and any job size', () => {
    expect(() =>
      validateRetarusJob(
        job(undefined, { customerRef: 'm-1', blackoutPeriods: ['2030-01-01T20:00Z/2030-01-02T07:00Z'] }),
      ),
    ).not.toThrow();
    const large = Array.from({ length: 3001 }, (_, i) => ({ dst: `+49176${String(i).padStart(8, '0')}` }));
    expect(() => validateRetarusJob({ messages: [{ text: 'a', recipients: large }] })).not.toThrow();
  });
});

describe('ISO-8601 helpers', () => {
  it('read date-times with a zone and real calendar dates', () => {
    expect(isIsoDateTime('2018-10-25T18:00Z')).toBe(true);
    expect(isIsoDateTime('2018-10-25T18:00:59.5-05:30')).toBe(true);
    expect(isIsoDateTime('2024-02-29T00:00Z')).toBe(true);
    expect(isIsoDateTime('2023-02-29T00:00Z')).toBe(false);
    expect(isIsoDateTime('2018-10-25 18:00Z')).toBe(false);
    expect(isIsoDateTime('2018-10-25T24:00Z')).toBe(false);
  });

  it('read intervals as start/end with the end after the start', () => {
    expect(isIsoInterval('2018-10-25T18:00Z/2018-10-26T07:00Z')).toBe(true);
    expect(isIsoInterval('2018-10-25T18:00Z/2018-10-25T18:00Z')).toBe(false);
    expect(isIsoInterval('2018-10-25T18:00Z/2018-10-26T07:00Z/2018-10-27T07:00Z')).toBe(false);
  });
});
