/**
 * The app icons: a speech bubble with three dots. color.png (192×192, white bubble on the
 * manifest's accent colour) and outline.png (32×32, white outline on transparent), as Teams asks.
 * Run `npx tsx manifest/icons.ts` to regenerate both files next to this script.
 *
 * The shapes are signed distance functions sampled 4×4 per pixel, so edges are anti-aliased; only
 * + - * / and sqrt are used, so every machine renders the same pixels.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** An image as 8-bit samples, row after row: RGB (3 per pixel) or RGBA (4 per pixel). */
export interface RawImage {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

// ---- PNG encoding --------------------------------------------------------------------------

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(4 + typeAndData.length + 4);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(typeAndData), 4 + typeAndData.length);
  return out;
}

/** A non-interlaced 8-bit truecolour PNG (colour type 2 for RGB, 6 for RGBA), filter 0 on every row. */
export function encodePng(image: RawImage): Buffer {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) throw new Error('image data does not match its size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const stride = width * channels;
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (stride + 1)] = 0; // filter type None
    rows.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// ---- Shapes (in a 192×192 design space) ----------------------------------------------------

type Vec = readonly [number, number];

const BUBBLE = { left: 32, top: 42, right: 160, bottom: 130, radius: 26 };
const TAIL: readonly [Vec, Vec, Vec] = [
  [52, 118],
  [90, 118],
  [44, 158],
];
const DOTS: readonly Vec[] = [
  [66, 86],
  [96, 86],
  [126, 86],
];
const DOT_RADIUS = 10;

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

function roundedBoxDistance(x: number, y: number): number {
  const { left, top, right, bottom, radius } = BUBBLE;
  const qx = Math.abs(x - (left + right) / 2) - ((right - left) / 2 - radius);
  const qy = Math.abs(y - (top + bottom) / 2) - ((bottom - top) / 2 - radius);
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0) - radius;
}

function triangleDistance(x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY;
  let inside = true;
  const [a, b, c] = TAIL;
  const orientation = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) > 0 ? 1 : -1;
  for (const [p, q] of [
    [a, b],
    [b, c],
    [c, a],
  ] as const) {
    const ex = q[0] - p[0];
    const ey = q[1] - p[1];
    const vx = x - p[0];
    const vy = y - p[1];
    const t = clamp01((vx * ex + vy * ey) / (ex * ex + ey * ey));
    const dx = vx - ex * t;
    const dy = vy - ey * t;
    best = Math.min(best, dx * dx + dy * dy);
    if (orientation * (ex * vy - ey * vx) < 0) inside = false;
  }
  return inside ? -Math.sqrt(best) : Math.sqrt(best);
}

/** Signed distance to the bubble (rounded box and tail): negative inside. */
function bubbleDistance(x: number, y: number): number {
  return Math.min(roundedBoxDistance(x, y), triangleDistance(x, y));
}

function inDot(x: number, y: number): boolean {
  return DOTS.some(([cx, cy]) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= DOT_RADIUS * DOT_RADIUS);
}

const SAMPLES = 4;

/** The share (0..1) of pixel (px, py) of a size×size image that `inside` covers, in design units. */
function coverage(size: number, px: number, py: number, inside: (x: number, y: number) => boolean): number {
  const scale = COLOR_ICON_SIZE / size;
  let hits = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = (px + (sx + 0.5) / SAMPLES) * scale;
      const y = (py + (sy + 0.5) / SAMPLES) * scale;
      if (inside(x, y)) hits++;
    }
  }
  return hits / (SAMPLES * SAMPLES);
}

// ---- The two icons -------------------------------------------------------------------------

/** "#0E7C86" → [14, 124, 134]. */
export function parseHexColor(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16)];
}

/** The accent colour of manifest.template.json, so the icon and the manifest always agree. */
export function templateAccentColor(): string {
  const template = JSON.parse(readFileSync(path.join(HERE, 'manifest.template.json'), 'utf8')) as {
    accentColor: string;
  };
  return template.accentColor;
}

/** 192×192 RGB: a white speech bubble with three accent-coloured dots on the accent colour. */
export function renderColorIcon(accentColor = templateAccentColor()): RawImage {
  const size = COLOR_ICON_SIZE;
  const accent = parseHexColor(accentColor);
  const data = new Uint8Array(size * size * 3);
  const white = (x: number, y: number) => bubbleDistance(x, y) <= 0 && !inDot(x, y);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const c = coverage(size, px, py, white);
      for (let i = 0; i < 3; i++) {
        data[(py * size + px) * 3 + i] = Math.round(accent[i]! + (255 - accent[i]!) * c);
      }
    }
  }
  return { width: size, height: size, channels: 3, data };
}

/** 32×32 RGBA: the bubble as a 2 px white outline with its three dots; every pixel is white, only alpha varies. */
export function renderOutlineIcon(): RawImage {
  const size = OUTLINE_ICON_SIZE;
  const stroke = 2 * (COLOR_ICON_SIZE / size); // 2 px, in design units
  const data = new Uint8Array(size * size * 4);
  const mark = (x: number, y: number) => {
    const d = bubbleDistance(x, y);
    return (d <= 0 && d >= -stroke) || inDot(x, y);
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const o = (py * size + px) * 4;
      data[o] = 255;
      data[o + 1] = 255;
      data[o + 2] = 255;
      data[o + 3] = Math.round(255 * coverage(size, px, py, mark));
    }
  }
  return { width: size, height: size, channels: 4, data };
}

/** The icon files the manifest names, by file name, as PNG bytes. */
export function renderIcons(): Record<'color.png' | 'outline.png', Buffer> {
  return {
    'color.png': encodePng(renderColorIcon()),
    'outline.png': encodePng(renderOutlineIcon()),
  };
}

function main(): void {
  for (const [name, png] of Object.entries(renderIcons())) {
    const file = path.join(HERE, name);
    writeFileSync(file, png);
    console.log(`wrote ${path.relative(process.cwd(), file)} (${png.length} bytes)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
