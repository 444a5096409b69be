/**
 * Typed reads of one environment map that collect every problem instead of stopping at the
 * first, so the operator sees all mistakes at once.
 */
export interface ConfigProblem {
  variable: string;
  message: string;
}

export type Env = Record<string, string | undefined>;

export class EnvReader {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value; empty counts as unset. */
  get(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  problem(variable: string, message: string): void {
    this.problems.push({ variable, message });
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problem(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  /** An http(s) URL without its trailing slash. */
  url(name: string, fallback?: string): string | undefined {
    const raw = this.get(name);
    if (raw === undefined) return fallback;
    const parsed = parseHttpUrl(raw);
    if (!parsed) this.problem(name, `must be an http(s) URL, got "${raw}"`);
    return parsed ?? fallback;
  }

  /** A comma-separated list of http(s) URLs. */
  urls(name: string, fallback: string[]): string[] {
    const raw = this.get(name);
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const parsed = items.map(parseHttpUrl);
    const bad = items.filter((_, i) => !parsed[i]);
    if (bad.length > 0 || items.length === 0) {
      this.problem(name, `must be a comma-separated list of http(s) URLs, got "${raw}"`);
      return fallback;
    }
    return parsed as string[];
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.get(name);
    if (raw === undefined) return fallback;
    const found = choices.find((c) => c.toLowerCase() === raw.toLowerCase());
    if (!found) this.problem(name, `must be one of ${choices.join(', ')}, got "${raw}"`);
    return found ?? fallback;
  }

  /** An SMS sender: an E.164 number, or an alphanumeric sender id of at most 11 characters. */
  sender(name: string, example: string): string | undefined {
    const value = this.get(name);
    if (value !== undefined && !/^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/.test(value)) {
      this.problem(
        name,
        `must be an E.164 number (${example}) or an alphanumeric sender of at most 11 characters, got "${value}"`,
      );
    }
    return value;
  }

  /** A webhook secret: required when its provider is enabled, long enough to resist guessing. */
  secret(name: string, provider: string, route: string): string | undefined {
    const value = this.get(name);
    if (!value) {
      this.problem(
        name,
        `is required when ${provider} is enabled, so that ${route} only accepts ${provider}'s calls (at least ${MIN_SECRET_LENGTH} characters)`,
      );
    } else if (value.length < MIN_SECRET_LENGTH) {
      this.problem(name, `must be at least ${MIN_SECRET_LENGTH} characters long`);
      return undefined;
    }
    return value;
  }
}

export const MIN_SECRET_LENGTH = 16;

function parseHttpUrl(raw: string): string | undefined {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return raw.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
