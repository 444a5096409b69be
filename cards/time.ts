/**
 * Times on cards: to the second, with "today" and "yesterday" for the two most recent days.
 *
 * Teams' DATE()/TIME() card functions show the reader's zone but no seconds, and repeat the full
 * date on every line ("Sun, Nov 22, 2026 10:20 AM"): receipts a few seconds apart all read the
 * same. So times are written here, in the bot's zone (TZ, checked by the configuration), and the
 * day words are as of the card's rendering; a card is rendered again on every change.
 */

export interface CardClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** IANA zone; undefined: the process's (TZ). */
  timeZone?: string;
}

let clock: CardClock = { now: () => Date.now() };

/** Fixes the clock, for pictures and tests that must render the same card every time. */
export function setCardClock(next: CardClock): void {
  clock = next;
}

const DAY_MS = 86_400_000;

/** The calendar day of `ms` in the card zone, as days since the epoch. */
function dayNumber(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: clock.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
  return Math.round(Date.parse(`${parts}T00:00:00Z`) / DAY_MS);
}

function timeOfDay(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: clock.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

/** "today", "yesterday", "Sun 22 Nov", or "22 Nov 2025" outside the current year. */
function dayLabel(ms: number): string {
  const days = dayNumber(clock.now()) - dayNumber(ms);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  const sameYear =
    new Intl.DateTimeFormat('en-GB', { timeZone: clock.timeZone, year: 'numeric' }).format(ms) ===
    new Intl.DateTimeFormat('en-GB', { timeZone: clock.timeZone, year: 'numeric' }).format(clock.now());
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: clock.timeZone,
    ...(sameYear ? { weekday: 'short' } : { year: 'numeric' }),
    day: 'numeric',
    month: 'short',
  })
    .format(ms)
    .replace(',', '');
}

/** An ISO-8601 time as "today 10:20:31"; text that is not a time is shown as given. */
export function cardTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso.slice(0, 40);
  return `${dayLabel(ms)} ${timeOfDay(ms)}`;
}

/**
 * Times of a sequence, oldest first: the day only where it changes ("today 10:20:11",
 * "10:20:13", "10:20:58"), so a timeline reads in one glance.
 */
export function sequenceTimes(isos: readonly string[]): string[] {
  let previousDay: number | undefined;
  return isos.map((iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso.slice(0, 40);
    const day = dayNumber(ms);
    const text = day === previousDay ? timeOfDay(ms) : `${dayLabel(ms)} ${timeOfDay(ms)}`;
    previousDay = day;
    return text;
  });
}
