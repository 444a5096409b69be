/**
 * What the log may say about customers: above debug, a phone number shows its country, its first
 * digit and its last three (`+61 4•• ••• 111`), enough to tell two customers apart and to find a
 * thread, not enough to text them. Secrets in strings (a `secret=` query, a bearer token) are
 * masked at every level; fields that hold secrets are removed by the logger's redaction.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const PHONE = /\+[1-9]\d{6,14}\b/g;
const SECRET_IN_QUERY = /([?&](?:secret|sig|token|access_token|code)=)[^&\s"']+/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** Fields whose value is a customer's number even when it is written without a `+`. */
const NUMBER_FIELDS = new Set([
  'from',
  'to',
  'number',
  'customer',
  'customerNumber',
  'recipient',
  'destination_number',
  'source_number',
  'src',
  'dst',
  'sender',
  'identity',
]);

/** `+61491570111` → `+61 4•• ••• 111`. */
export function maskNumber(e164: string): string {
  const phone = parsePhoneNumberFromString(e164.startsWith('+') ? e164 : `+${e164}`);
  const country = phone ? phone.countryCallingCode : e164.replace(/^\+/, '').slice(0, 2);
  const national = phone ? String(phone.nationalNumber) : e164.replace(/^\+/, '').slice(country.length);
  if (national.length < 5) return `+${country} •••`;
  const hidden = `${national[0]}${'•'.repeat(national.length - 4)}${national.slice(-3)}`;
  // In threes from the end, so the last three digits stand alone.
  const groups: string[] = [];
  for (let end = hidden.length; end > 0; end -= 3) groups.unshift(hidden.slice(Math.max(0, end - 3), end));
  return `+${country} ${groups.join(' ')}`;
}

/** Secrets in a string, masked at every level. */
export function maskSecrets(text: string): string {
  return text.replace(SECRET_IN_QUERY, '$1•••').replace(BEARER, '$1 •••');
}

/** Numbers and secrets in a string. */
export function maskText(text: string): string {
  return maskSecrets(text).replace(PHONE, (n) => maskNumber(n));
}

/**
 * A copy of a log argument with numbers and secrets masked, at most `depth` levels deep; errors
 * keep their type, message and stack (masked) for pino's serializer.
 */
export function maskValue(value: unknown, numbers: boolean, depth = 6, key = ''): unknown {
  if (typeof value === 'string') {
    if (numbers && NUMBER_FIELDS.has(key) && /^\+?\d{7,15}$/.test(value)) return maskNumber(value);
    return numbers ? maskText(value) : maskSecrets(value);
  }
  if (!value || typeof value !== 'object' || depth === 0) return value;
  if (value instanceof Error) {
    const copy = Object.create(Object.getPrototypeOf(value)) as Error & Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) copy[k] = maskValue(v, numbers, depth - 1, k);
    copy.message = maskValue(value.message, numbers) as string;
    copy.stack = value.stack === undefined ? undefined : (maskValue(value.stack, numbers) as string);
    if (value.cause !== undefined) copy.cause = maskValue(value.cause, numbers, depth - 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, numbers, depth - 1, key));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, numbers, depth - 1, k);
  return out;
}
