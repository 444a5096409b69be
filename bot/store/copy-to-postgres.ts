/**
 * db:copy: the SQLite store into an empty PostgreSQL database. The target gets the migrations
 * first; then, in one transaction, every table is copied in batches, the generated row ids'
 * sequences are moved past the copied ids, jobs a stopped bot was running are queued again (their
 * leases named a process that is gone), and each table's row count is compared with the source's.
 * Any difference rolls everything back: the target is either a full copy or still empty.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SourceTable, SqliteSource } from './copy-source.ts';
import { releaseRunning } from './job-queries.ts';
import { type MigrationReport, migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000;
const MAX_BATCH = 1_000;

/** The copy was refused or failed; nothing was written to the target (beyond its migrations). */
export class CopyError extends Error {
  override name = 'CopyError';
}

export interface CopyOptions {
  /** The media signing key of the SQLite bot (base64), so links on cards in Teams keep working. */
  mediaKey?: string;
  /** Told after each table. */
  onTable?: (table: string, rows: number) => void;
}

export interface CopyReport {
  migrations: MigrationReport;
  tables: Array<{ table: string; rows: number }>;
  /** Running jobs queued again. */
  requeued: number;
}

type Trx = Transaction<Database>;

export async function copyToPostgres(
  source: SqliteSource,
  target: Kysely<Database>,
  options: CopyOptions = {},
): Promise<CopyReport> {
  await source.checkMigrated();
  const tables = source.tables();
  const migrations = await migrateToLatest(target);
  return target.transaction().execute(async (trx) => {
    const targetTables = await columnsOf(trx);
    await refuseNonEmpty(trx, [...targetTables.keys()]);
    const copied: CopyReport['tables'] = [];
    for (const table of tables) {
      checkShape(table, targetTables.get(table.name));
      await copyTable(trx, source, table);
      await moveSequences(trx, table.name);
      const rows = await countRows(trx, table.name);
      if (rows !== table.rows) {
        throw new CopyError(`${table.name}: ${table.rows} rows in the source, ${rows} in the target`);
      }
      copied.push({ table: table.name, rows });
      options.onTable?.(table.name, rows);
    }
    const requeued = await releaseRunning(trx);
    if (options.mediaKey) {
      await trx
        .insertInto('settings')
        .values({ key: 'media-key', value: options.mediaKey, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    }
    return { migrations, tables: copied, requeued };
  });
}

/** Every table of the target's schema (the migrations' own aside) and its columns. */
async function columnsOf(trx: Trx): Promise<Map<string, Set<string>>> {
  const rows = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely\\_%'`.execute(trx);
  const tables = new Map<string, Set<string>>();
  for (const r of rows.rows) {
    const columns = tables.get(r.table_name) ?? new Set<string>();
    columns.add(r.column_name);
    tables.set(r.table_name, columns);
  }
  return tables;
}

async function refuseNonEmpty(trx: Trx, tables: string[]): Promise<void> {
  const filled: string[] = [];
  for (const table of tables.sort()) {
    const rows = await countRows(trx, table);
    if (rows > 0) filled.push(`${table} ${rows}`);
  }
  if (filled.length > 0) {
    throw new CopyError(
      `the target database is not empty (rows: ${filled.join(', ')}): db:copy only copies into an empty database, so that nothing is mixed or overwritten. Create a new database (createdb textbridge) and copy into it`,
    );
  }
}

function checkShape(table: SourceTable, target: Set<string> | undefined): void {
  if (!target) throw new CopyError(`the target has no table ${table.name}`);
  const missing = table.columns.filter((c) => !target.has(c));
  if (missing.length > 0)
    throw new CopyError(`the target's ${table.name} has no column ${missing.join(', ')}`);
}

async function copyTable(trx: Trx, source: SqliteSource, table: SourceTable): Promise<void> {
  const size = Math.max(1, Math.min(MAX_BATCH, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  for (const batch of source.batches(table, size)) {
    const values = sql.join(batch.map((row) => sql`(${sql.join(row)})`));
    await sql`insert into ${sql.table(table.name)} (${columns}) values ${values}`.execute(trx);
  }
}

/** Serial and identity columns: the next generated id follows the largest copied one. */
async function moveSequences(trx: Trx, table: string): Promise<void> {
  const generated = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
      and (column_default like 'nextval(%' or is_identity = 'YES')`.execute(trx);
  for (const { column_name: column } of generated.rows) {
    await sql`select setval(pg_get_serial_sequence(${quoteIdent(table)}, ${column}),
      coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
  }
}

async function countRows(trx: Trx, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

/** pg_get_serial_sequence takes the table's name as SQL would spell it. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
