/** Writes a zip whose entries all sit at its root (Teams wants manifest.json and the icons there). */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface ZipEntry {
  /** A plain file name: no folder. */
  name: string;
  data: Buffer;
}

/** Writes `entries` to `zipPath` (through a temporary file, so a failed write leaves no half zip). */
export async function writeZip(zipPath: string, entries: readonly ZipEntry[]): Promise<void> {
  const names = new Set<string>();
  for (const { name } of entries) {
    if (!name || /[\\/]/.test(name)) throw new Error(`zip entry "${name}" must be a file name at the root`);
    if (names.has(name)) throw new Error(`zip entry "${name}" appears twice`);
    names.add(name);
  }
  const zip = new yazl.ZipFile();
  for (const { name, data } of entries) zip.addBuffer(data, name);
  zip.end();
  const tmp = `${zipPath}.tmp`;
  try {
    await pipeline(zip.outputStream, createWriteStream(tmp));
    await rename(tmp, zipPath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
