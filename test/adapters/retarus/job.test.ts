import { describe, expect, it } from 'vitest';
import { isGsm7 } from '../../../adapters/retarus/gsm7.ts';
import {
  countRetarusSms,
  type RetarusJob,
  type RetarusRecipient,
  serializeRetarusJob,
  splitRetarusJob,
  toWireJob,
} from '../../../adapters/retarus/job.ts';

function recipients(n: number, from = 0): RetarusRecipient[] {
  return Array.from({ length: n }, (_, i) => ({ dst: `+49176${String(from + i).padStart(8, '0')}` }));
}

const FULL: RetarusJob = {
  options: {
    src: 'Contoso',
    encoding: 'UTF-16',
    billcode: 'team-a',
    statusRequested: true,
    flash: false,
    customerRef: 'campaign-7',
    validityMin: 60,
    maxParts: 3,
    invalidCharacters: 'TO_UTF16',
    qos: 'EXPRESS',
    jobPeriod: '2030-01-01T08:00Z',
    duplicateDetection: true,
    blackoutPeriods: ['2030-01-01T20:00Z/2030-01-02T07:00Z'],
  },
  messages: [
    {
      text: 'Hallo',
      recipients: [
        {
          dst: '+4917600000001',
          customerRef: 'm-1',
          blackoutPeriods: ['2030-01-01T22:00Z/2030-01-02T06:00Z'],
        },
      ],
    },
  ],
};

describe('serializeRetarusJob', () => {
  it('writes every field in one fixed order, whatever order the input had', () => {
    const shuffled = {
      messages: [
        {
          recipients: [
            {
              blackoutPeriods: ['2030-01-01T22:00Z/2030-01-02T06:00Z'],
              customerRef: 'm-1',
              dst: '+4917600000001',
            },
          ],
          text: 'Hallo',
        },
      ],
      options: Object.fromEntries(Object.entries(FULL.options!).reverse()),
    } as RetarusJob;
    expect(serializeRetarusJob(shuffled)).toBe(serializeRetarusJob(FULL));
    expect(serializeRetarusJob(FULL)).toBe(
      '{"options":{"src":"Contoso","encoding":"UTF-16","billcode":"team-a","statusRequested":true,"flash":false,' +
        '"customerRef":"campaign-7","validityMin":60,"maxParts":3,"invalidCharacters":"TO_UTF16","qos":"EXPRESS",' +
        '"jobPeriod":"2030-01-01T08:00Z","duplicateDetection":true,' +
        '"blackoutPeriods":["2030-01-01T20:00Z/2030-01-02T07:00Z"]},' +
        '"messages":[{"text":"Hallo","recipients":[{"dst":"+4917600000001","customerRef":"m-1",' +
        '"blackoutPeriods":["2030-01-01T22:00Z/2030-01-02T06:00Z"]}]}]}',
    );
  });

  it('leaves out undefined fields, unknown keys and an empty options object', () => {
    const job = {
      options: { src: undefined, flash: undefined },
      messages: [{ text: 'x', recipients: [{ dst: '+4917600000001', customerRef: undefined, extra: 1 }] }],
      extra: true,
    } as unknown as RetarusJob;
    expect(serializeRetarusJob(job)).toBe(
      '{"messages":[{"text":"x","recipients":[{"dst":"+4917600000001"}]}]}',
    );
  });

  it('does not share arrays with the input', () => {
    const wire = toWireJob(FULL);
    wire.options!.blackoutPeriods!.push('changed');
    expect(FULL.options!.blackoutPeriods).toHaveLength(1);
  });
});

describe('splitRetarusJob', () => {
  it('keeps a job of 3,000 SMS whole', () => {
    const job: RetarusJob = { messages: [{ text: 'a', recipients: recipients(3000) }] };
    expect(splitRetarusJob(job)).toEqual([job]);
  });

  it('splits 3,001 recipients into jobs of 3,000 and 1 with the same options and text', () => {
    const job: RetarusJob = {
      options: { src: 'Contoso' },
      messages: [{ text: 'a', recipients: recipients(3001) }],
    };
    const parts = splitRetarusJob(job);
    expect(parts.map(countRetarusSms)).toEqual([3000, 1]);
    expect(parts.every((part) => part.options === job.options)).toBe(true);
    expect(parts[1]!.messages).toEqual([{ text: 'a', recipients: [{ dst: '+4917600003000' }] }]);
  });

  it('counts messages × recipients and carries a straddling message into the next job', () => {
    const job: RetarusJob = {
      messages: [
        { text: 'a', recipients: recipients(2000) },
        { text: 'b', recipients: recipients(1500, 2000) },
        { text: 'c', recipients: recipients(10, 3500) },
      ],
    };
    expect(countRetarusSms(job)).toBe(3510);
    const parts = splitRetarusJob(job, 3000);
    expect(parts.map((part) => part.messages.map((m) => [m.text, m.recipients.length]))).toEqual([
      [
        ['a', 2000],
        ['b', 1000],
      ],
      [
        ['b', 500],
        ['c', 10],
      ],
    ]);
    const all = parts.flatMap((part) => part.messages.flatMap((m) => m.recipients.map((r) => r.dst)));
    expect(all).toEqual(job.messages.flatMap((m) => m.recipients.map((r) => r.dst)));
  });

  it('splits by a smaller limit too', () => {
    const job: RetarusJob = { messages: [{ text: 'a', recipients: recipients(5) }] };
    expect(splitRetarusJob(job, 2).map(countRetarusSms)).toEqual([2, 2, 1]);
  });
});

describe('isGsm7', () => {
  it('accepts the default alphabet and its extension table', () => {
    expect(isGsm7('Hello @ £5, Grüße! {[~]} €')).toBe(true);
    expect(isGsm7('')).toBe(true);
  });

  it('refuses anything else', () => {
    expect(isGsm7('Thanks 😊')).toBe(false);
    expect(isGsm7('ç')).toBe(false);
    expect(isGsm7('Привет')).toBe(false);
    expect(isGsm7('“quotes”')).toBe(false);
  });
});
