/**
 * Reads `text`'s arguments off the raw text: numbers, flags, then the message exactly as typed
 * (spacing and line breaks kept). Per-send options are checked here, with the flag named.
 */

import type { NumberCheck } from '../../adapters/phone-numbers.ts';
import { isIsoInterval } from '../../adapters/retarus/validate.ts';
import type { SendOptions } from '../../adapters/types.ts';
import { phoneProblem, toE164 } from './phone.ts';
import { UsageError } from './types.ts';

export interface TextArgs {
  numbers: string[];
  via?: string;
  from?: string;
  options: SendOptions;
  message: string;
}

/** One command texts at most this many customers (Sinch takes 100 a call). */
export const MAX_RECIPIENTS = 100;

const VALUE_FLAGS = [
  '--via',
  '--from',
  '--meta',
  '--validity',
  '--billcode',
  '--blackout',
  '--qos',
  '--max-parts',
];
const BOOLEAN_FLAGS = ['--flash'];

/** `check`: how strictly the numbers are checked (the sandbox's are fictional: see phone.ts). */
export function parseTextArgs(rest: string, check: NumberCheck = 'valid'): TextArgs {
  const out: TextArgs = { numbers: [], options: {}, message: '' };
  let remaining = rest;
  for (;;) {
    const match = /^(\S+)\s*/.exec(remaining);
    if (!match) break;
    const word = match[1] ?? '';
    if (BOOLEAN_FLAGS.includes(word)) {
      out.options.flash = true;
      remaining = remaining.slice(match[0].length);
    } else if (VALUE_FLAGS.includes(word)) {
      const value = /^\S+\s+(\S+)\s*/.exec(remaining);
      if (!value?.[1]) throw new UsageError(`${word} needs a value`);
      setFlag(out, word, value[1]);
      remaining = remaining.slice(value[0].length);
    } else if (word.startsWith('--')) {
      throw new UsageError(
        `unknown option ${word} (known: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].join(', ')})`,
      );
    } else if (out.numbers.length === 0 || /^(\+|00)\d/.test(word)) {
      // Numbers come first; a word that looks like one (+… or 00…) after them is one more.
      const number = toE164(word, check);
      if (!number) throw new UsageError(`${phoneProblem(word)}.`);
      if (!out.numbers.includes(number)) out.numbers.push(number);
      remaining = remaining.slice(match[0].length);
    } else break;
  }
  if (out.numbers.length > MAX_RECIPIENTS) {
    throw new UsageError(`one command texts at most ${MAX_RECIPIENTS} numbers, not ${out.numbers.length}`);
  }
  out.message = remaining.trim();
  return out;
}

function setFlag(out: TextArgs, flag: string, value: string): void {
  const o = out.options;
  switch (flag) {
    case '--via':
      out.via = value;
      return;
    case '--from':
      out.from = value;
      return;
    case '--meta': {
      const at = value.indexOf('=');
      if (at <= 0) throw new UsageError(`--meta takes key=value, not "${value}"`);
      o.metadata = { ...o.metadata, [value.slice(0, at)]: value.slice(at + 1) };
      return;
    }
    case '--validity':
      o.validityMinutes = whole(value, flag, 0, 2880);
      if (o.validityMinutes > 0 && o.validityMinutes < 5)
        throw new UsageError('--validity takes 0 (the default) or 5 to 2880 minutes');
      return;
    case '--billcode':
      if (value.length > 70) throw new UsageError('--billcode takes at most 70 characters');
      o.billcode = value;
      return;
    case '--blackout':
      if (!isIsoInterval(value)) {
        throw new UsageError(
          `--blackout takes an interval start/end such as 2026-12-24T18:00Z/2026-12-27T07:00Z, not "${value}"`,
        );
      }
      o.blackoutPeriods = [...(o.blackoutPeriods ?? []), value];
      return;
    case '--qos': {
      const qos = value.toUpperCase();
      if (qos !== 'EXPRESS' && qos !== 'NORMAL') throw new UsageError('--qos takes EXPRESS or NORMAL');
      o.qos = qos;
      return;
    }
    case '--max-parts':
      o.maxParts = whole(value, flag, 1, 20);
      return;
  }
}

function whole(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** The flags each option is given with, for messages. */
export const OPTION_FLAGS: Readonly<Record<keyof SendOptions, string>> = {
  metadata: '--meta',
  flash: '--flash',
  validityMinutes: '--validity',
  billcode: '--billcode',
  blackoutPeriods: '--blackout',
  qos: '--qos',
  maxParts: '--max-parts',
};
