/** `--flag value` parsing for commands, on node:util's parseArgs, with usage errors in plain words. */
import { parseArgs } from 'node:util';
import { UsageError } from './types.ts';

type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export function parseFlags<T extends FlagSpec>(
  args: string[],
  flags: T,
): {
  positionals: string[];
  values: {
    [K in keyof T]?: T[K]['type'] extends 'string'
      ? T[K]['multiple'] extends true
        ? string[]
        : string
      : boolean;
  };
} {
  try {
    const { values, positionals } = parseArgs({ args, options: flags, allowPositionals: true, strict: true });
    return { positionals, values: values as never };
  } catch (err) {
    const known = Object.keys(flags)
      .map((f) => `--${f}`)
      .join(', ');
    throw new UsageError(
      `${(err as Error).message.replace(/\. To specify.*$/s, '')}${known ? ` (known: ${known})` : ''}`,
    );
  }
}

/** An ISO-8601 date or date-time given on the command line. */
export function parseDate(value: string, flag: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--${flag} "${value}" is not a date; write it like 2026-11-23 or 2026-11-23T08:00Z`);
  }
  return date;
}
