/**
 * `npm run migrate`: brings the store's schema to the latest version and says what it applied,
 * without starting the bot: PostgreSQL at DATABASE_URL, else the SQLite file under DATA_DIR. The
 * bot migrates at every start too; running this first (before a rolling update, say) keeps the
 * migration out of the instances' start.
 */
import { MigrationError, migrateToLatest } from '../store/migrate.ts';
import { errorText, openDataDb } from './data-db.ts';
import { CliError, cliDataConfig, runCli } from './settings.ts';

const USAGE = `Usage: npm run migrate

Applies the migrations the store has not had yet: PostgreSQL at DATABASE_URL, or the SQLite file
under DATA_DIR when DATABASE_URL is unset. Safe to run while instances run or start.`;

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length > 0) throw new CliError(`unexpected argument ${args.join(' ')}\n\n${USAGE}`);
  const config = cliDataConfig();
  for (const w of config.warnings) console.warn(`warning: ${w}`);
  const { db, where, close } = await openDataDb(config.store);
  try {
    const report = await migrateToLatest(db);
    if (report.applied.length === 0) {
      console.log(`${where}: up to date (latest migration ${report.latest}); nothing applied`);
    } else {
      console.log(
        `${where}: applied ${report.applied.length} migration${report.applied.length === 1 ? '' : 's'}: ${report.applied.join(', ')}`,
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof MigrationError) throw new CliError(`${where}: ${err.message}`);
    throw new CliError(`${where}: cannot migrate: ${errorText(err)}`);
  } finally {
    await close();
  }
}

runCli(main);
