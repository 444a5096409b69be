/** Retarus writes ISO-8601 with various zones; one form (UTC, `Z`) keeps ordering and display simple. */
export function retarusTime(value: string | null | undefined, now: () => Date): string {
  if (!value) return now().toISOString();
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}
