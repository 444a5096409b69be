/**
 * The bot as `npm start` runs it: built by bot/build.ts, started with the node flags of the
 * "start" script in package.json (read from there, so the two cannot drift apart).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

export function buildBot(root: string): string {
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), 'bot/build.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`bot/build.ts failed (exit ${result.status ?? result.signal})`);
  return path.join(root, 'dist/main.js');
}

/** The node flags `npm start` gives the built bot, e.g. ["--max-semi-space-size=4", …]. */
export function startFlags(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const start = pkg.scripts?.['start'] ?? '';
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/main\.js\b/.exec(start);
  if (!match) throw new Error(`package.json "start" does not run "node … dist/main.js": ${start}`);
  return (match[1] ?? '').split(/\s+/).filter(Boolean);
}

/**
 * bench/sql-stats.ts as a CommonJS preload for NODE_OPTIONS=--require, which Node also runs in
 * worker threads: the SQLite writer thread is timed too. better-sqlite3 is the bot's own copy.
 */
export async function sqlStatsPreload(root: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'sql-stats.cjs');
  await build({
    entryPoints: [path.join(root, 'bench/sql-stats.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Required by absolute path: the preload runs with the bot's cwd (a temporary directory).
    plugins: [
      {
        name: 'bot-better-sqlite3',
        setup(b) {
          const resolved = createRequire(path.join(root, 'package.json')).resolve('better-sqlite3');
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: resolved, external: true }));
        },
      },
    ],
    logLevel: 'warning',
  });
  return outfile;
}
