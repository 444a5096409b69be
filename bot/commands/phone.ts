/** Customer phone numbers typed by agents, normalised to E.164 with libphonenumber-js. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { UsageError } from './types.ts';

export function normalizePhone(input: string | undefined): string {
  if (!input) throw new UsageError('Name the phone number, in international format: +358401234567.');
  const number = toE164(input);
  if (!number) throw new UsageError(`${phoneProblem(input)}.`);
  return number;
}

/** The number in E.164, or undefined when it is not a valid international number. */
export function toE164(input: string): string | undefined {
  const compact = input.replace(/[\s().-]/g, '').replace(/^00/, '+');
  const phone = parsePhoneNumberFromString(compact);
  return compact.startsWith('+') && phone?.isValid() ? phone.number : undefined;
}

export function phoneProblem(input: string): string {
  return `"${input}" is not a valid phone number. Write it in international format: +358401234567`;
}
