import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../manifest/build-manifest.ts';
import { encodePng, parseHexColor, renderColorIcon, renderOutlineIcon } from '../../manifest/icons.ts';
import { chunks, decodePng, readHeader } from './png.ts';

const MANIFEST_DIR = path.resolve(import.meta.dirname, '../../manifest');
const color = readFileSync(path.join(MANIFEST_DIR, 'color.png'));
const outline = readFileSync(path.join(MANIFEST_DIR, 'outline.png'));

describe('color.png', () => {
  it('is a 192×192 full-colour PNG', () => {
    expect(readHeader(color)).toMatchObject({ width: 192, height: 192, bitDepth: 8, interlace: 0 });
    expect([2, 6]).toContain(readHeader(color).colorType);
    expect(chunks(color).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('is a white mark on the manifest accent colour', () => {
    const png = decodePng(color);
    const at = (x: number, y: number) => [
      ...png.pixels.subarray((y * 192 + x) * png.channels, (y * 192 + x) * png.channels + 3),
    ];
    const accent = parseHexColor((readTemplate() as { accentColor: string }).accentColor);
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
    ] as const) {
      expect(at(x, y)).toEqual(accent);
    }
    expect(at(96, 60)).toEqual([255, 255, 255]); // inside the bubble
    let white = 0;
    for (let y = 0; y < 192; y++) for (let x = 0; x < 192; x++) if (at(x, y).every((v) => v === 255)) white++;
    expect(white / (192 * 192)).toBeGreaterThan(0.15);
    expect(white / (192 * 192)).toBeLessThan(0.6);
  });
});

describe('outline.png', () => {
  it('is a 32×32 PNG with an alpha channel', () => {
    expect(readHeader(outline)).toEqual({ width: 32, height: 32, bitDepth: 8, colorType: 6, interlace: 0 });
  });

  it('has only white or fully transparent pixels, and both', () => {
    const png = decodePng(outline);
    expect(png.channels).toBe(4);
    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const [r, g, b, a] = png.pixels.subarray(i, i + 4);
      if (a === 0) {
        transparent++;
        continue;
      }
      expect([r, g, b], `pixel ${i / 4} is visible but not white`).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(50);
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    // Transparent around the edge.
    for (let x = 0; x < 32; x++) {
      expect(png.pixels[x * 4 + 3]).toBe(0);
      expect(png.pixels[(31 * 32 + x) * 4 + 3]).toBe(0);
    }
  });
});

describe('manifest/icons.ts', () => {
  it('renders exactly the committed icons', () => {
    const committedColor = decodePng(color);
    const committedOutline = decodePng(outline);
    const freshColor = renderColorIcon();
    const freshOutline = renderOutlineIcon();
    expect(committedColor.channels).toBe(freshColor.channels);
    expect(Buffer.from(committedColor.pixels).equals(Buffer.from(freshColor.data))).toBe(true);
    expect(committedOutline.channels).toBe(freshOutline.channels);
    expect(Buffer.from(committedOutline.pixels).equals(Buffer.from(freshOutline.data))).toBe(true);
  });

  it('encodes PNGs that decode to the same pixels', () => {
    const data = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) & 0xff);
    const png = encodePng({ width: 3, height: 2, channels: 4, data });
    const decoded = decodePng(png);
    expect(decoded).toMatchObject({ width: 3, height: 2, colorType: 6 });
    expect([...decoded.pixels]).toEqual([...data]);
    expect(() => encodePng({ width: 3, height: 3, channels: 4, data })).toThrow();
  });
});
