import { describe, expect, it } from 'vitest';
import { isoTime } from '../../adapters/time.ts';

const now = () => new Date('2026-11-28T12:00:00.000Z');

describe('isoTime', () => {
  it.each([
    ['ISO-8601 with an offset', '2026-11-28T14:30:00+02:00', '2026-11-28T12:30:00.000Z'],
    ['ISO-8601 in UTC', '2026-11-28T12:30:00Z', '2026-11-28T12:30:00.000Z'],
    ['Unix seconds', '1795869000', '2026-11-28T12:30:00.000Z'],
    ['Unix milliseconds', '1795869000000', '2026-11-28T12:30:00.000Z'],
    ['no time', undefined, '2026-11-28T12:00:00.000Z'],
    ['an empty time', '', '2026-11-28T12:00:00.000Z'],
    ['an unreadable time', 'yesterday-ish', '2026-11-28T12:00:00.000Z'],
  ])('reads %s as UTC ISO-8601', (_name, value, expected) => {
    expect(isoTime(value, now)).toBe(expected);
  });
});
