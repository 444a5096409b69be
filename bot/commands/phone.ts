/** Customer phone numbers typed by agents, normalised to E.164 with libphonenumber-js. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { UsageError } from './types.ts';

export function normalizePhone(input: string | undefined): string {
  if (!input) throw new UsageError('Name the phone number, in international format: +358401234567.');
  const compact = input.replace(/[\s().-]/g, '').replace(/^00/, '+');
  const phone = parsePhoneNumberFromString(compact);
  if (!compact.startsWith('+') || !phone?.isValid()) {
    throw new UsageError(
      `"${input}" is not a valid phone number. Write it in international format: +358401234567.`,
    );
  }
  return phone.number;
}
