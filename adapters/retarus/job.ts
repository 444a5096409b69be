/**
 * The Retarus send job (POST /jobs, providers README §2.3) with every option, its canonical JSON
 * form and the split into jobs Retarus accepts.
 */

export type RetarusEncoding = 'STANDARD' | 'UTF-16';
export type RetarusInvalidCharacters = 'REFUSE' | 'REPLACE' | 'TO_UTF16' | 'TRANSLITERATE';
export type RetarusQos = 'EXPRESS' | 'NORMAL';

export interface RetarusJobOptions {
  /** Sender id: up to 20 digits with an optional '+', or up to 11 letters, digits, spaces, punctuation. */
  src?: string;
  /** STANDARD is GSM-7 (160 characters, 153 per part); UTF-16 fits 70, 67 per part. */
  encoding?: RetarusEncoding;
  /** At most 70 characters. */
  billcode?: string;
  /** Asks for a handset delivery notification; the final success is then SUC_FIN, else SUC_ACC. */
  statusRequested?: boolean;
  flash?: boolean;
  /** At most 64 characters (the documented recommendation). */
  customerRef?: string;
  /** Minutes: 0 is the provider default, otherwise 5..2880. */
  validityMin?: number;
  /** 1..20; a longer text is truncated. */
  maxParts?: number;
  invalidCharacters?: RetarusInvalidCharacters;
  qos?: RetarusQos;
  /** ISO-8601 date-time at which the job starts. */
  jobPeriod?: string;
  /** Refuses a byte-identical job within 10 minutes with 409 (README §2.5). */
  duplicateDetection?: boolean;
  /** ISO-8601 intervals, e.g. `2018-10-25T18:00Z/2018-10-26T07:00Z`. */
  blackoutPeriods?: string[];
}

export interface RetarusRecipient {
  dst: string;
  /** Echoed in every report; Retarus uses the recipient number when it is absent. */
  customerRef?: string;
  /** Replaces the job's blackoutPeriods for this recipient. */
  blackoutPeriods?: string[];
}

export interface RetarusMessage {
  text: string;
  recipients: RetarusRecipient[];
}

export interface RetarusJob {
  options?: RetarusJobOptions;
  messages: RetarusMessage[];
}

/** maxParts' upper bound; Retarus cuts a longer text, so the bot never sends one. */
export const RETARUS_MAX_PARTS = 20;

/** "Requests which result in more than 3.000 SMS … will be rejected" (messages × recipients). */
export const RETARUS_MAX_SMS_PER_JOB = 3000;

/** The option keys in the order they are written; the order makes the JSON canonical. */
const OPTION_KEYS = [
  'src',
  'encoding',
  'billcode',
  'statusRequested',
  'flash',
  'customerRef',
  'validityMin',
  'maxParts',
  'invalidCharacters',
  'qos',
  'jobPeriod',
  'duplicateDetection',
  'blackoutPeriods',
] as const satisfies ReadonlyArray<keyof RetarusJobOptions>;

/**
 * A copy with a fixed key order and without undefined fields, whatever order or extra keys the
 * caller's objects had. duplicateDetection compares request bodies, so a retry must serialize to
 * the same bytes as the first attempt.
 */
export function toWireJob(job: RetarusJob): RetarusJob {
  const options: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    const value = job.options?.[key];
    if (value !== undefined) options[key] = Array.isArray(value) ? [...value] : value;
  }
  return {
    ...(Object.keys(options).length > 0 ? { options: options as RetarusJobOptions } : {}),
    messages: job.messages.map((message) => ({
      text: message.text,
      recipients: message.recipients.map((recipient) => ({
        dst: recipient.dst,
        ...(recipient.customerRef !== undefined ? { customerRef: recipient.customerRef } : {}),
        ...(recipient.blackoutPeriods !== undefined
          ? { blackoutPeriods: [...recipient.blackoutPeriods] }
          : {}),
      })),
    })),
  };
}

/** The exact request body: same job in, same bytes out. */
export function serializeRetarusJob(job: RetarusJob): string {
  return JSON.stringify(toWireJob(job));
}

export function countRetarusSms(job: RetarusJob): number {
  return job.messages.reduce((sum, message) => sum + message.recipients.length, 0);
}

/**
 * Cuts a job into jobs of at most `max` SMS, in order, each with the same options; a message
 * whose recipients straddle the cut is carried on in the next job with the same text.
 */
export function splitRetarusJob(job: RetarusJob, max = RETARUS_MAX_SMS_PER_JOB): RetarusJob[] {
  const parts: RetarusJob[] = [];
  let current: RetarusMessage[] = [];
  let room = max;
  const close = () => {
    if (current.length > 0)
      parts.push({ ...(job.options ? { options: job.options } : {}), messages: current });
    current = [];
    room = max;
  };
  for (const message of job.messages) {
    let rest = message.recipients;
    while (rest.length > 0) {
      if (room === 0) close();
      current.push({ text: message.text, recipients: rest.slice(0, room) });
      const taken = Math.min(room, rest.length);
      rest = rest.slice(taken);
      room -= taken;
    }
  }
  close();
  return parts;
}
