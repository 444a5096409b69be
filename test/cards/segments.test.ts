import { describe, expect, it } from 'vitest';
import { countSegments } from '../../cards/segments.ts';

describe('countSegments', () => {
  it.each([
    ['160 GSM characters', 'a'.repeat(160), 'GSM-7', 1],
    ['161 GSM characters', 'a'.repeat(161), 'GSM-7', 2],
    ['306 GSM characters', 'a'.repeat(306), 'GSM-7', 2],
    ['307 GSM characters', 'a'.repeat(307), 'GSM-7', 3],
    ['70 UCS-2 characters', 'ж'.repeat(70), 'UCS-2', 1],
    ['71 UCS-2 characters', 'ж'.repeat(71), 'UCS-2', 2],
    ['134 UCS-2 characters', 'ж'.repeat(134), 'UCS-2', 2],
    ['135 UCS-2 characters', 'ж'.repeat(135), 'UCS-2', 3],
    ['an empty text', '', 'GSM-7', 1],
  ] as const)('%s', (_name, text, encoding, segments) => {
    expect(countSegments(text)).toMatchObject({ encoding, segments });
  });

  it('keeps GSM accents such as é, Ä and £ in GSM-7', () => {
    expect(countSegments('Café £5 Ä ñ § @')).toMatchObject({ encoding: 'GSM-7', units: 15 });
  });

  it('counts each extension character ^{}\\[~]|€ as two septets', () => {
    expect(countSegments('^{}\\[~]|€').units).toBe(18);
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2, units: 162 });
    expect(countSegments(`${'a'.repeat(159)}€`)).toMatchObject({ segments: 2, units: 161 });
  });

  it('never splits an extension character across parts', () => {
    // 152 + 2 + 152 = 306 septets would fit two parts of 153, but the € cannot straddle them.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ segments: 3, units: 306 });
  });

  it('counts emoji as UCS-2 surrogate pairs', () => {
    expect(countSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(countSegments('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', segments: 2, units: 72 });
    expect(countSegments(`${'a'.repeat(69)}😀`)).toMatchObject({ encoding: 'UCS-2', segments: 2, units: 71 });
  });

  it('never splits a surrogate pair across parts', () => {
    // 66 + 2 + 66 = 134 code units would fit two parts of 67, but the emoji cannot straddle them.
    expect(countSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toMatchObject({ segments: 3, units: 134 });
  });
});
