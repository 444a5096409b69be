/**
 * `npm run db:copy -- --to "$DATABASE_URL"`: moves the data of the SQLite store under DATA_DIR to
 * an empty PostgreSQL database (bot/store/copy-to-postgres.ts), so the bot carries on there: the
 * same threads in Teams, the same queued work, the same media links. The SQLite file is only read.
 */
import { postgresUrlProblem } from '../config/store.ts';
import { existingMediaKey } from '../http/media-links.ts';
import { CopySourceError, SqliteSource } from '../store/copy-source.ts';
import { CopyError, copyToPostgres } from '../store/copy-to-postgres.ts';
import { MigrationError } from '../store/migrate.ts';
import { errorText, openDataDb } from './data-db.ts';
import { CliError, cliDataConfig, parseCliArgs, runCli } from './settings.ts';

const USAGE = `Usage: npm run db:copy -- --to <postgres url> [--from <sqlite file>]

Copies the SQLite store (DATA_DIR/textbridge.sqlite, or --from) into the empty PostgreSQL
database at <postgres url>: migrations first, then every table in one transaction, with the row
counts checked. A database that holds any row is refused. Stop the bot before copying: what it
stores after the copy started stays in the SQLite file only.

  --to <url>     the PostgreSQL database, e.g. postgres://textbridge@db.example.com/textbridge
  --from <file>  another SQLite store than the one under DATA_DIR`;

async function main(): Promise<number> {
  const parsed = parseCliArgs({ to: { type: 'string' }, from: { type: 'string' } }, USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals.join(' ')}\n\n${USAGE}`);
  if (!values.to) throw new CliError(`name the PostgreSQL database to copy into with --to <url>\n\n${USAGE}`);
  const problem = postgresUrlProblem(values.to);
  if (problem)
    throw new CliError(`--to ${problem.replace(' (unset it to use the embedded SQLite store)', '')}`);
  const config = cliDataConfig();
  const file = values.from ?? config.sqlitePath;
  const source = openSource(file);
  try {
    const target = await openDataDb({ kind: 'postgres', url: values.to, poolSize: 1 });
    try {
      console.log(`copying ${file} to ${target.where}`);
      const report = await copyToPostgres(source, target.db, {
        ...(values.from ? {} : { mediaKey: existingMediaKey(config.dataDir) }),
        onTable: (table, rows) => console.log(`  ${table}: ${rows} rows`),
      });
      const rows = report.tables.reduce((n, t) => n + t.rows, 0);
      console.log(
        `copied ${rows} rows in ${report.tables.length} tables; every count matches the source` +
          (report.requeued > 0 ? `; ${report.requeued} interrupted jobs queued again` : ''),
      );
      console.log('Next: set DATABASE_URL to this database and start the bot (docs/operations.md).');
      return 0;
    } catch (err) {
      if (err instanceof CopyError || err instanceof CopySourceError || err instanceof MigrationError)
        throw new CliError(`nothing was copied: ${err.message}`);
      throw new CliError(`nothing was copied: ${errorText(err)}`);
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}

function openSource(file: string): SqliteSource {
  try {
    return new SqliteSource(file);
  } catch (err) {
    throw new CliError(`${errorText(err)} (check DATA_DIR, or name the file with --from)`);
  }
}

runCli(main);
