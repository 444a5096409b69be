/** Customer phone numbers typed by agents, normalised to E.164 (adapters/phone-numbers.ts). */
import { customerNumber, type NumberCheck, printable } from '../../adapters/phone-numbers.ts';
import type { ProviderId } from '../../adapters/types.ts';
import { UsageError } from './types.ts';

/**
 * `check` is `valid` for real providers; the sandbox's fictional numbers (+1 555 01xx) need only
 * the right form.
 */
export function normalizePhone(input: string | undefined, check: NumberCheck = 'valid'): string {
  if (!input) throw new UsageError('Name the phone number, in international format: +358401234567.');
  const number = toE164(input, check);
  if (!number) throw new UsageError(`${phoneProblem(input)}.`);
  return number;
}

/** The number in E.164, or undefined when it is not one (typed with its + or 00). */
export function toE164(input: string, check: NumberCheck = 'valid'): string | undefined {
  if (!/^\s*(\+|00)/.test(input)) return undefined;
  return customerNumber(input, check);
}

export function phoneProblem(input: string): string {
  return `"${printable(input)}" is not a valid phone number. Write it in international format: +358401234567`;
}

/**
 * A stored number as cards show it: E.164 as typed into commands (so it can be copied into one),
 * and a sandbox thread's numbers marked, so nobody takes a pretend customer for a real one. The
 * thread's provider decides, not the number: a real customer whose range libphonenumber does not
 * know yet is still real, and a card is drawn without parsing a number again.
 */
export function displayNumber(number: string, provider: ProviderId): string {
  return provider === 'sandbox' && number !== '' ? `${number} (sandbox number)` : number;
}
