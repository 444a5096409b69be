/**
 * Which strings are phone numbers and sender ids, for every provider alike.
 *
 * - A customer's number is E.164: `+`, then 7 to 15 digits. Real providers' numbers must also be
 *   possible in their country's numbering plan (libphonenumber: the length fits). At a webhook the
 *   check stops there: refusing a number that exists because a numbering plan changed would lose
 *   the customer's message. A number an agent types must be valid (a range that is in use).
 * - The sandbox's customers are fictional (+1 555 01xx): the form alone is checked.
 * - A sender id (the business number a customer texted, `--from`) is a phone number, a short code
 *   (3 to 8 digits) or an alphanumeric sender of at most 11 letters, digits and spaces with at least
 *   one letter (GSM 03.40; Retarus and Sinch document the same form).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** How strictly a customer number is checked. */
export type NumberCheck =
  /** The right form only: the sandbox's fictional numbers. */
  | 'form'
  /** Form and a length its country's plan allows: numbers that arrive at a webhook. */
  | 'possible'
  /** A range in use: numbers agents type. */
  | 'valid';

const E164 = /^\+[1-9]\d{6,14}$/;
const SHORT_CODE = /^\d{3,8}$/;
const NUMERIC_SENDER = /^\+?\d{3,20}$/;
const ALPHA_SENDER = /^[A-Za-z0-9 ]{1,11}$/;

/** The E.164 form of a customer number, or undefined when it is not one. */
export function customerNumber(raw: string, check: NumberCheck): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '').replace(/^00/, '+');
  if (!E164.test(compact)) return undefined;
  if (check === 'form') return compact;
  const phone = parsePhoneNumberFromString(compact);
  if (!phone) return undefined;
  const ok = check === 'valid' ? phone.isValid() : phone.isPossible();
  return ok ? phone.number : undefined;
}

/** Whether `raw` is a sender id as providers write it: a number, a short code or an alphanumeric sender. */
export function isSenderId(raw: string): boolean {
  if (SHORT_CODE.test(raw) || NUMERIC_SENDER.test(raw)) return true;
  return ALPHA_SENDER.test(raw) && /[A-Za-z]/.test(raw) && raw.trim() === raw;
}

/** Numbers a webhook brought that were found possible, so a customer's next text is not parsed again. */
const possibleSeen = new Set<string>();
/** Enough for the customers of a busy hour; past it the oldest are forgotten (parsed again). */
const POSSIBLE_SEEN_MAX = 10_000;

/**
 * Whether a number a provider reports as its customer's is one: E.164, the `+` optional (not
 * every provider writes it), and for real providers a length its country allows. Parsing with
 * libphonenumber costs about as much as storing the message, and customers text more than once:
 * a number found possible is remembered.
 */
export function isWebhookCustomerNumber(raw: string, fictional: boolean): boolean {
  if (!/^\+?[1-9]\d{6,14}$/.test(raw)) return false;
  if (fictional || possibleSeen.has(raw)) return true;
  if (customerNumber(raw.startsWith('+') ? raw : `+${raw}`, 'possible') === undefined) return false;
  if (possibleSeen.size >= POSSIBLE_SEEN_MAX)
    possibleSeen.delete(possibleSeen.values().next().value as string);
  possibleSeen.add(raw);
  return true;
}

/**
 * Whether the recipient a receipt names (a number, or the provider's id of it) can be one: it
 * echoes what we sent, which may itself be the invalid number the receipt reports.
 */
export function isPrintableId(raw: string): boolean {
  return raw.length <= 256 && !hasControlCharacter(raw);
}

/** A value as it may be quoted in an answer or a card: control characters shown as `?`, clipped. */
export function printable(value: string, max = 40): string {
  let clean = '';
  for (const ch of value) clean += isControl(ch.charCodeAt(0)) ? '?' : ch;
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i))) return true;
  return false;
}

const isControl = (code: number) => code < 0x20 || code === 0x7f;
