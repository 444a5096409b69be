/** Prints what BENCH_SQL_STATS=1 collected (bench/sql-stats.ts): the SQL the bot spent its time on. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlStat } from './sql-stats.ts';

/** The statements that took the most time in the bot (all threads), with prepare and execution apart. */
export function formatSqlStats(file: string, saturatedMs: number): string {
  const merged = new Map<string, SqlStat>();
  const files = readdirSync(path.dirname(file)).filter((f) => f.startsWith(`${path.basename(file)}.`));
  for (const f of files) {
    for (const s of JSON.parse(readFileSync(path.join(path.dirname(file), f), 'utf8')) as SqlStat[]) {
      const m = merged.get(s.sql);
      if (!m) merged.set(s.sql, { ...s });
      else {
        m.prepares += s.prepares;
        m.prepareMs += s.prepareMs;
        m.calls += s.calls;
        m.execMs += s.execMs;
        m.maxMs = Math.max(m.maxMs, s.maxMs);
      }
    }
  }
  if (files.length === 0) return `no SQL statistics next to ${file}`;
  const stats = [...merged.values()];
  const prepareMs = stats.reduce((n, s) => n + s.prepareMs, 0);
  const execMs = stats.reduce((n, s) => n + s.execMs, 0);
  const prepares = stats.reduce((n, s) => n + s.prepares, 0);
  const calls = stats.reduce((n, s) => n + s.calls, 0);
  const top = [...stats].sort((a, b) => b.prepareMs + b.execMs - (a.prepareMs + a.execMs)).slice(0, 20);
  const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 150);
  return [
    `SQL in the bot over its whole life (saturated run alone: ${(saturatedMs / 1000).toFixed(1)} s):`,
    `  ${prepares} prepares, ${prepareMs.toFixed(0)} ms; ${calls} executions, ${execMs.toFixed(0)} ms`,
    '     calls   exec ms  avg µs  max ms   prepares  prep ms  statement',
    ...top.map(
      (s) =>
        `  ${String(s.calls).padStart(8)} ${s.execMs.toFixed(0).padStart(9)} ${((s.execMs * 1000) / Math.max(1, s.calls)).toFixed(0).padStart(7)} ${(s.maxMs ?? 0).toFixed(1).padStart(7)} ` +
        `${String(s.prepares).padStart(10)} ${s.prepareMs.toFixed(0).padStart(8)}  ${oneLine(s.sql)}`,
    ),
  ].join('\n');
}
