/**
 * Preloaded into the bot by `BENCH_SQL_STATS=1 npm run bench` (in every thread: the SQLite writer
 * thread runs the writes): times every better-sqlite3 prepare and statement execution by SQL
 * text, and writes each thread's totals to BENCH_SQL_STATS_FILE.<thread id> on exit.
 * An autocommit write's time includes its commit (and fsync); so does the time of "commit".
 */
import { writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

export interface SqlStat {
  sql: string;
  prepares: number;
  prepareMs: number;
  calls: number;
  execMs: number;
  /** The slowest single execution. */
  maxMs: number;
}

const stats = new Map<string, SqlStat>();
const entry = (sql: string): SqlStat => {
  let s = stats.get(sql);
  if (!s) {
    s = { sql, prepares: 0, prepareMs: 0, calls: 0, execMs: 0, maxMs: 0 };
    stats.set(sql, s);
  }
  return s;
};
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

type Method = (this: { source: string }, ...args: unknown[]) => unknown;

// Statements share one native prototype; take it from a throwaway statement.
const probe = new Sqlite(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, Method>;
probe.close();
for (const name of ['run', 'get', 'all', 'iterate'] as const) {
  const original = statementProto[name];
  if (typeof original !== 'function') continue;
  statementProto[name] = function (this: { source: string }, ...args: unknown[]) {
    const t0 = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const ms = since(t0);
      const s = entry(this.source);
      s.calls += 1;
      s.execMs += ms;
      if (ms > s.maxMs) s.maxMs = ms;
    }
  };
}

const dbProto = Sqlite.prototype as unknown as { prepare: (this: unknown, sql: string) => unknown };
const prepare = dbProto.prepare;
dbProto.prepare = function (this: unknown, sql: string) {
  const t0 = process.hrtime.bigint();
  try {
    return prepare.call(this, sql);
  } finally {
    const s = entry(sql);
    s.prepares += 1;
    s.prepareMs += since(t0);
  }
};

const file = process.env['BENCH_SQL_STATS_FILE'];
if (file) {
  process.on('exit', () => {
    writeFileSync(`${file}.${threadId}`, JSON.stringify([...stats.values()]));
  });
}
