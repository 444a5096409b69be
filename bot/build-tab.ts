/**
 * The Inbox tab's browser bundle (tab/ → one ES module): React, Fluent UI and teams-js, minified.
 * `npm run build` writes it to dist/tab/; running from source, the bot builds it in memory once
 * (tabBundle) so tests, the demo and `npm run dev` serve the current code.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../tab/src/main.tsx', import.meta.url));

export interface TabBundle {
  js: string;
  /** Short content hash, for cache-busting URLs. */
  hash: string;
}

const options: BuildOptions = {
  entryPoints: [ENTRY],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Top-level await (the host is connected before the first render) needs ES2022.
  target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
  minify: true,
  jsx: 'automatic',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

export async function buildTab(): Promise<TabBundle> {
  const result = await build({ ...options, write: false, outfile: 'app.js' });
  const js = result.outputFiles?.[0]?.text ?? '';
  return { js, hash: createHash('sha256').update(js).digest('hex').slice(0, 12) };
}

let inMemory: Promise<TabBundle> | undefined;

/** The bundle built from source, once per process. */
export function tabBundle(): Promise<TabBundle> {
  inMemory ??= buildTab();
  return inMemory;
}

/** Writes the bundle for `npm start` (dist/tab/app.js); returns its size in bytes. */
export async function writeTab(outDir: string): Promise<number> {
  const result = await build({ ...options, write: true, outfile: `${outDir}/tab/app.js` });
  return result.outputFiles?.length ?? 0;
}
