/**
 * `npm run backup -- <file>`: an online copy of the SQLite store under DATA_DIR, taken while the
 * bot runs (SQLite's backup API through better-sqlite3: a consistent snapshot, the bot keeps
 * writing). The copy is written beside the target and renamed into place when complete, so a
 * half-written file never has the target's name. PostgreSQL has its own tools (pg_dump).
 */
import { existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { redactedUrl } from '../store/redacted-url.ts';
import { errorText } from './data-db.ts';
import { CliError, cliDataConfig, parseCliArgs, runCli } from './settings.ts';

const USAGE = `Usage: npm run backup -- [--force] <file>

Copies the SQLite store (DATA_DIR/textbridge.sqlite) to <file> while the bot runs. Restore by
stopping the bot and putting the copy in its place.

  --force  replace <file> when it exists (without it, an existing file is left alone)`;

async function main(): Promise<number> {
  const parsed = parseCliArgs({ force: { type: 'boolean' } }, USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new CliError(
      `${positionals.length === 0 ? 'name the file to write' : 'name one file'}\n\n${USAGE}`,
    );
  }
  const config = cliDataConfig();
  if (config.store.kind === 'postgres') {
    throw new CliError(
      `DATABASE_URL is set (${redactedUrl(config.store.url)}): the store is PostgreSQL, which this command does not copy. Back it up with pg_dump, e.g. pg_dump --format=custom --file=textbridge.dump "$DATABASE_URL" (docs/operations.md)`,
    );
  }
  const source = config.sqlitePath;
  if (!existsSync(source)) throw new CliError(`no SQLite store at ${source}: check DATA_DIR`);
  const target = path.resolve(positionals[0] ?? '');
  if (existsSync(target) && !values.force) {
    throw new CliError(`${target} exists: choose another file, or add --force to replace it`);
  }
  const partial = `${target}.partial-${process.pid}`;
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial);
    // Without --force, link() refuses a file that appeared meanwhile; rename() replaces it.
    if (values.force) renameSync(partial, target);
    else linkSync(partial, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliError(`${target} appeared while copying; it was left alone`);
    throw new CliError(`cannot copy ${source} to ${target}: ${errorText(err)}`);
  } finally {
    db.close();
    rmSync(partial, { force: true });
  }
  console.log(`copied ${source} to ${target} (${statSync(target).size} bytes)`);
  return 0;
}

runCli(main);
