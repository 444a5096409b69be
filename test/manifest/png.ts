/** A minimal PNG reader for the tests: IHDR fields and, for 8-bit non-interlaced images, the pixels. */
import zlib from 'node:zlib';

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

export interface DecodedPng extends PngHeader {
  channels: number;
  /** Unfiltered samples, row after row. */
  pixels: Uint8Array;
}

const SIGNATURE = '89504e470d0a1a0a';

/** The chunks of a PNG, in order, with their CRCs checked. */
export function chunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  if (png.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG signature');
  const out: Array<{ type: string; data: Buffer }> = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    if (zlib.crc32(typeAndData) !== crc) throw new Error(`bad CRC at offset ${offset}`);
    out.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  return out;
}

/** Width and height straight from the IHDR bytes (offsets 16 and 20 of the file). */
export function readHeader(png: Buffer): PngHeader {
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('IHDR is not the first chunk');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24]!,
    colorType: png[25]!,
    interlace: png[28]!,
  };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Inflates the IDAT data and undoes the five row filters. */
export function decodePng(png: Buffer): DecodedPng {
  const header = readHeader(png);
  const channels = CHANNELS[header.colorType];
  if (header.bitDepth !== 8 || header.interlace !== 0 || channels === undefined) {
    throw new Error('only 8-bit, non-interlaced, non-palette PNGs are supported');
  }
  const all = chunks(png);
  const idat = Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const raw = zlib.inflateSync(idat);
  const stride = header.width * channels;
  if (raw.length !== (stride + 1) * header.height) throw new Error('IDAT has the wrong size');
  const pixels = new Uint8Array(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`unknown filter ${filter} on row ${y}`);
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { ...header, channels, pixels };
}
