/** Parsing of the `<provider> [number]` arguments shared by link and unlink. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ProviderId } from '../../adapters/types.ts';
import { UsageError } from './types.ts';

export const PROVIDER_IDS: readonly ProviderId[] = [
  'sinch',
  'sinch-conversation',
  'retarus',
  'smartdialog',
  'sandbox',
];

export function parseProvider(word: string | undefined, allowAll: boolean): ProviderId | '*' {
  const value = word?.toLowerCase();
  if (value === 'all' && allowAll) return '*';
  if (value && (PROVIDER_IDS as readonly string[]).includes(value)) return value as ProviderId;
  const choices = [...PROVIDER_IDS, ...(allowAll ? ['all'] : [])].join(', ');
  throw new UsageError(
    value ? `"${word}" is not a provider. Choose one of: ${choices}.` : `Name a provider: ${choices}.`,
  );
}

/** A business number in E.164, or an alphanumeric sender id as the provider reports it. */
export function parseBusinessNumber(word: string | undefined): string {
  if (!word || word === '*') return '*';
  const compact = word.replace(/[\s().-]/g, '');
  if (compact.startsWith('+') || /^00\d/.test(compact)) {
    const phone = parsePhoneNumberFromString(compact.replace(/^00/, '+'));
    if (!phone?.isPossible())
      throw new UsageError(`"${word}" is not a valid phone number. Write it as +61491570156.`);
    return phone.number;
  }
  // A short code, or an alphanumeric sender id (it has a letter: a long bare number is more likely
  // a phone number without its country code, which would never match what providers report).
  if (/^\d{3,8}$/.test(compact) || (/^[A-Za-z0-9]{1,11}$/.test(compact) && /[A-Za-z]/.test(compact)))
    return compact;
  throw new UsageError(
    `"${word}" is not a phone number in international format (+61491570156), a short code or a sender id.`,
  );
}
