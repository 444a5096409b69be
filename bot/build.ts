/**
 * Builds the bot for `npm start` (npm run build): bot/main.ts as one ESM bundle in dist/ (npm
 * packages stay in node_modules). Plain node runs it without the TypeScript loader, which costs
 * memory and start-up time.
 *
 * Modules that find files next to themselves with `new URL(…, import.meta.url)` (card templates,
 * package.json) keep finding them: in the bundle, their import.meta.url is their source file's.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { writeTab } from './build-tab.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist');
const posix = (p: string) => p.split(path.sep).join('/');

const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const fromBundle = posix(path.relative(OUT, args.path));
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' } as const;

await rm(OUT, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(ROOT, 'bot/main.ts')],
  outfile: path.join(OUT, 'main.js'),
  format: 'esm',
  packages: 'external',
  plugins: [sourceUrls],
  define: {
    // tab-route.ts serves the Inbox tab's bundle from this file instead of building it.
    TAB_BUNDLE: JSON.stringify(
      posix(path.relative(path.join(ROOT, 'bot/inbox'), path.join(OUT, 'tab/app.js'))),
    ),
  },
});
await writeTab(OUT);
