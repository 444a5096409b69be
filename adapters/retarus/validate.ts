/**
 * Checks a send job against the limits of providers README §2.3 before it goes out. Retarus
 * silently clamps some out-of-range values (validityMin, maxParts) and answers others with a bare
 * 400, so each problem is reported here with the exact field path instead.
 */
import { ProviderValidationError } from '../errors.ts';
import type { RetarusJob, RetarusJobOptions, RetarusRecipient } from './job.ts';

export function invalidRetarusField(field: string, problem: string): ProviderValidationError {
  return new ProviderValidationError(`Retarus job: ${field} ${problem}`, 'retarus', undefined, { field });
}

/** Throws ProviderValidationError naming the first wrong field, e.g. `options.validityMin`. */
export function validateRetarusJob(job: RetarusJob): void {
  if (!job || typeof job !== 'object') throw invalidRetarusField('job', 'must be an object');
  if (job.options !== undefined) validateOptions(job.options);
  if (!Array.isArray(job.messages) || job.messages.length === 0) {
    throw invalidRetarusField('messages', 'must contain at least one message');
  }
  for (const [m, message] of job.messages.entries()) {
    const at = `messages[${m}]`;
    if (typeof message?.text !== 'string' || message.text === '') {
      throw invalidRetarusField(`${at}.text`, 'is required');
    }
    if (!Array.isArray(message.recipients) || message.recipients.length === 0) {
      throw invalidRetarusField(`${at}.recipients`, 'must contain at least one recipient');
    }
    for (const [r, recipient] of message.recipients.entries())
      validateRecipient(recipient, `${at}.recipients[${r}]`);
  }
}

const NUMERIC_SENDER = /^\+?\d{1,20}$/;
// Letters, digits, space and ASCII punctuation (README §2.3, from the Retarus spec).
const ALPHANUMERIC_SENDER = /^[A-Za-z0-9 !-/:-@[-`{-~]{1,11}$/;
const PHONE_NUMBER = /^\+?\d{3,20}$/;

export function isRetarusSender(src: string): boolean {
  return NUMERIC_SENDER.test(src) || ALPHANUMERIC_SENDER.test(src);
}

function validateOptions(options: RetarusJobOptions): void {
  if (typeof options !== 'object' || options === null)
    throw invalidRetarusField('options', 'must be an object');
  const { src, billcode, customerRef, validityMin, maxParts, jobPeriod, blackoutPeriods } = options;
  if (src !== undefined && !(typeof src === 'string' && isRetarusSender(src))) {
    throw invalidRetarusField(
      'options.src',
      `must be a number of at most 20 digits (optional +) or at most 11 letters, digits, spaces or punctuation, got ${show(src)}`,
    );
  }
  oneOf('options.encoding', options.encoding, ['STANDARD', 'UTF-16']);
  maxLength('options.billcode', billcode, 70);
  boolean('options.statusRequested', options.statusRequested);
  boolean('options.flash', options.flash);
  maxLength('options.customerRef', customerRef, 64);
  if (
    validityMin !== undefined &&
    !(isInteger(validityMin) && (validityMin === 0 || inRange(validityMin, 5, 2880)))
  ) {
    throw invalidRetarusField('options.validityMin', `must be 0 or 5..2880, got ${show(validityMin)}`);
  }
  if (maxParts !== undefined && !(isInteger(maxParts) && inRange(maxParts, 1, 20))) {
    throw invalidRetarusField('options.maxParts', `must be an integer 1..20, got ${show(maxParts)}`);
  }
  oneOf('options.invalidCharacters', options.invalidCharacters, [
    'REFUSE',
    'REPLACE',
    'TO_UTF16',
    'TRANSLITERATE',
  ]);
  oneOf('options.qos', options.qos, ['EXPRESS', 'NORMAL']);
  boolean('options.duplicateDetection', options.duplicateDetection);
  if (jobPeriod !== undefined && !(typeof jobPeriod === 'string' && isIsoDateTime(jobPeriod))) {
    throw invalidRetarusField(
      'options.jobPeriod',
      `must be an ISO-8601 date-time with a zone, got ${show(jobPeriod)}`,
    );
  }
  periods('options.blackoutPeriods', blackoutPeriods);
}

function validateRecipient(recipient: RetarusRecipient, at: string): void {
  if (!recipient || typeof recipient !== 'object') throw invalidRetarusField(at, 'must be an object');
  if (typeof recipient.dst !== 'string' || !PHONE_NUMBER.test(recipient.dst)) {
    throw invalidRetarusField(`${at}.dst`, `is not a phone number, got ${show(recipient.dst)}`);
  }
  maxLength(`${at}.customerRef`, recipient.customerRef, 64);
  periods(`${at}.blackoutPeriods`, recipient.blackoutPeriods);
}

function periods(field: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw invalidRetarusField(field, 'must be a list of ISO-8601 intervals');
  for (const [i, period] of value.entries()) {
    if (!(typeof period === 'string' && isIsoInterval(period))) {
      throw invalidRetarusField(
        `${field}[${i}]`,
        `must be an ISO-8601 interval start/end such as 2018-10-25T18:00Z/2018-10-26T07:00Z, got ${show(period)}`,
      );
    }
  }
}

function oneOf(field: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw invalidRetarusField(field, `must be one of ${allowed.join(', ')}, got ${show(value)}`);
  }
}

function maxLength(field: string, value: unknown, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw invalidRetarusField(field, `must be a string, got ${show(value)}`);
  if (value.length > max)
    throw invalidRetarusField(field, `must be at most ${max} characters, got ${value.length}`);
}

function boolean(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw invalidRetarusField(field, `must be true or false, got ${show(value)}`);
  }
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const inRange = (value: number, min: number, max: number) => value >= min && value <= max;

// Seconds and fractions are optional (Retarus's own example is `2018-10-25T18:00Z`); the zone is
// not, since a time without one means different instants on their side and ours.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

export function isIsoDateTime(value: string): boolean {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.parse rolls 2018-02-30 over into March; a calendar date must survive the round trip.
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `start/end`, the form Retarus documents; the end must come after the start. */
export function isIsoInterval(value: string): boolean {
  const [start, end, extra] = value.split('/');
  if (start === undefined || end === undefined || extra !== undefined) return false;
  if (!isIsoDateTime(start) || !isIsoDateTime(end)) return false;
  return Date.parse(end) > Date.parse(start);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
