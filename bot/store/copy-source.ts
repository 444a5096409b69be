/**
 * The SQLite store as db:copy reads it: opened read-only (the copy never changes it), inside one
 * read transaction, so every table is read as of one moment even while a bot still writes.
 */
import Sqlite from 'better-sqlite3';
import { migrations } from './migrations.ts';

export type Cell = string | number | bigint | Buffer | null;

export interface SourceTable {
  name: string;
  columns: string[];
  rows: number;
}

/** The source cannot be copied as it is: the message says why and what to do. */
export class CopySourceError extends Error {
  override name = 'CopySourceError';
}

export class SqliteSource {
  private readonly db: Sqlite.Database;

  constructor(readonly file: string) {
    try {
      this.db = new Sqlite(file, { readonly: true, fileMustExist: true });
      this.db.exec('begin');
      // The snapshot starts with the first read.
      this.db.prepare('select count(*) from sqlite_master').get();
    } catch (err) {
      throw new CopySourceError(`cannot open the SQLite store ${file}: ${(err as Error).message}`);
    }
  }

  /** Throws unless the source has had every migration: the target gets them all. */
  async checkMigrated(): Promise<void> {
    const known = Object.keys(await migrations.getMigrations());
    const table = this.db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
      .get();
    if (!table)
      throw new CopySourceError(`${this.file} is not a textbridge store (it has no migrations table)`);
    const applied = new Set(
      (this.db.prepare('select name from kysely_migration').all() as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    );
    const missing = known.filter((name) => !applied.has(name));
    const unknown = [...applied].filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new CopySourceError(
        `${this.file} was migrated by a newer textbridge (${unknown.join(', ')}): copy it with that version`,
      );
    }
    if (missing.length > 0) {
      throw new CopySourceError(
        `${this.file} has not had ${missing.length} migration${missing.length === 1 ? '' : 's'} (${missing.join(', ')}): run \`npm run migrate\` with DATABASE_URL unset (or start the bot on it once), then copy`,
      );
    }
  }

  /** The store's tables in the order they were created (a referenced table before its references). */
  tables(): SourceTable[] {
    const names = this.db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by rowid",
      )
      .pluck()
      .all() as string[];
    return names.map((name) => ({
      name,
      columns: (this.db.prepare(`pragma table_info(${quote(name)})`).all() as Array<{ name: string }>).map(
        (c) => c.name,
      ),
      rows: this.db
        .prepare(`select count(*) from ${quote(name)}`)
        .pluck()
        .get() as number,
    }));
  }

  /** The rows of `table`, `size` at a time, in the order they were written. */
  *batches(table: SourceTable, size: number): Generator<Cell[][]> {
    const select = this.db
      .prepare(`select ${table.columns.map(quote).join(', ')} from ${quote(table.name)} order by rowid`)
      .raw(true);
    let batch: Cell[][] = [];
    for (const row of select.iterate() as Iterable<Cell[]>) {
      batch.push(row);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  close(): void {
    this.db.exec('rollback');
    this.db.close();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
