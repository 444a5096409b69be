/** Benchmark settings from the environment (BENCH_*), each checked and named when wrong. */

export function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return n;
}

export const flagEnv = (name: string): boolean => process.env[name] === '1';

export const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export const mb = (bytes: number | undefined): number =>
  bytes === undefined ? Number.NaN : bytes / (1024 * 1024);

export const round = (x: number, digits = 1): number | null =>
  Number.isFinite(x) ? Number(x.toFixed(digits)) : null;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
