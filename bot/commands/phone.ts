/** Customer phone numbers typed by agents, normalised to E.164 (adapters/phone-numbers.ts). */
import { customerNumber, type NumberCheck, printable } from '../../adapters/phone-numbers.ts';
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
 * a fictional one marked, so nobody takes a sandbox customer for a real one.
 */
export function displayNumber(e164: string): string {
  const fictional = customerNumber(e164, 'form') !== undefined && customerNumber(e164, 'valid') === undefined;
  return fictional ? `${e164} (sandbox number)` : e164;
}
