/**
 * Provider times as one form: ISO-8601 in UTC (`Z`), which keeps ordering and display simple.
 * Providers write ISO-8601 with various zones, and some Unix seconds or milliseconds. A time that
 * cannot be read is replaced by ours, so events still order; the event's `raw` keeps the original.
 */
export function isoTime(value: string | null | undefined, now: () => Date): string {
  if (value && /^\d{10}(\d{3})?$/.test(value)) {
    return new Date(Number(value) * (value.length === 10 ? 1000 : 1)).toISOString();
  }
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? now().toISOString() : new Date(ms).toISOString();
}
