/**
 * The budgets that several instances share, kept in PostgreSQL (bot/budget/shared-counters.ts):
 * a row per operation and key in `budget_ops`, a row per paused key in `budget_pauses`.
 *
 * A take checks and counts in one transaction under an advisory lock per key (taken in key order,
 * so two takes never wait for each other in a circle): two instances cannot both see the last
 * free place of a window. Times are the database's clock, so instances whose clocks differ agree.
 * Rows out of every window (an hour, the longest Teams has) are deleted as takes go by.
 */
import { type Kysely, sql } from 'kysely';
import type { KeyWindows, SharedCounters, TakeResult } from '../budget/shared-counters.ts';
import type { RateWindow } from '../budget/windows.ts';
import type { Database } from './schema.ts';
import type { Trx } from './store-core.ts';

const HOUR = 3_600_000;
const PRUNE_EVERY_MS = 60_000;
/**
 * A window full of operations still in flight (here or on another instance) has room once one
 * ends; nobody tells this instance when another's does, so it looks again this soon.
 */
export const IN_FLIGHT_RECHECK_MS = 200;

/** The database's clock in epoch milliseconds. */
const CLOCK_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export class PostgresBudgetCounters implements SharedCounters {
  private lastPrune = 0;

  constructor(private readonly db: Kysely<Database>) {}

  take(keys: readonly KeyWindows[], inFlightMs: number): Promise<TakeResult> {
    for (const k of keys) {
      if (k.windows.some((w) => w.windowMs > HOUR))
        throw new RangeError(`budget key ${k.key}: windows longer than an hour are not kept`);
    }
    return this.db.transaction().execute(async (trx) => {
      for (const key of [...new Set(keys.map((k) => k.key))].sort()) {
        await sql`select pg_advisory_xact_lock(hashtext(${`textbridge-budget:${key}`}))`.execute(trx);
      }
      const now = await clock(trx);
      const blocked = await firstBlock(trx, keys, now);
      if (blocked) return { ok: false, ...blocked };
      const rows = await trx
        .insertInto('budget_ops')
        .values(keys.map((k) => ({ key: k.key, ends_at: now + inFlightMs })))
        .returning('id')
        .execute();
      await this.prune(trx, now);
      return { ok: true, ids: rows.map((r) => r.id) };
    });
  }

  async settle(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('budget_ops').set({ ends_at: CLOCK_MS }).where('id', 'in', ids).execute();
  }

  async cancel(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('budget_ops').where('id', 'in', ids).execute();
  }

  async pause(key: string, ms: number): Promise<void> {
    const until = sql<number>`${CLOCK_MS} + ${Math.max(0, Math.ceil(ms))}`;
    await this.db
      .insertInto('budget_pauses')
      .values({ key, until })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ until: sql<number>`greatest(budget_pauses.until, excluded.until)` }),
      )
      .execute();
  }

  async usage(prefix: string, windowsMs: readonly number[]): Promise<Map<string, number[]>> {
    const now = await clock(this.db);
    const rows = await this.db
      .selectFrom('budget_ops')
      .select('key')
      .select(windowsMs.map((w, i) => countSince(now - w).as(`w${i}`)))
      .where('key', 'like', `${escapeLike(prefix)}%`)
      .where('ends_at', '>', now - Math.max(...windowsMs))
      .groupBy('key')
      .execute();
    const counts = rows as unknown as Array<Record<string, number> & { key: string }>;
    return new Map(counts.map((r) => [r.key, windowsMs.map((_, i) => Number(r[`w${i}`] ?? 0))]));
  }

  /** Rows out of every window, and pauses over, go: once a minute per instance, inside a take. */
  private async prune(trx: Trx, now: number): Promise<void> {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await trx
      .deleteFrom('budget_ops')
      .where('ends_at', '<=', now - HOUR)
      .execute();
    await trx.deleteFrom('budget_pauses').where('until', '<=', now).execute();
  }
}

async function clock(db: Kysely<Database> | Trx): Promise<number> {
  const { rows } = await sql<{ now: number }>`select ${CLOCK_MS} as now`.execute(db);
  return Number(rows[0]?.now);
}

function countSince(since: number) {
  return sql<number>`count(*) filter (where ends_at > ${since})`;
}

/** The key that holds the operation back the longest, and until when; undefined when it fits. */
async function firstBlock(
  trx: Trx,
  keys: readonly KeyWindows[],
  now: number,
): Promise<{ key: string; waitMs: number } | undefined> {
  let worst: { key: string; waitMs: number } | undefined;
  const hold = (key: string, waitMs: number) => {
    if (waitMs > 0 && (!worst || waitMs > worst.waitMs)) worst = { key, waitMs };
  };
  const pauses = await trx
    .selectFrom('budget_pauses')
    .select(['key', 'until'])
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .where('until', '>', now)
    .execute();
  for (const p of pauses) hold(p.key, Number(p.until) - now);
  for (const k of keys) hold(k.key, await windowWait(trx, k, now));
  return worst;
}

/** How long until one more operation fits every window of `k` (0: now). */
async function windowWait(trx: Trx, k: KeyWindows, now: number): Promise<number> {
  const longest = Math.max(...k.windows.map((w) => w.windowMs));
  const row = await trx
    .selectFrom('budget_ops')
    .select(k.windows.map((w, i) => countSince(now - w.windowMs).as(`w${i}`)))
    .where('key', '=', k.key)
    .where('ends_at', '>', now - longest)
    .executeTakeFirst();
  const counts = (row ?? {}) as Record<string, number>;
  let wait = 0;
  for (const [i, w] of k.windows.entries()) {
    const inWindow = Number(counts[`w${i}`] ?? 0);
    const over = inWindow - w.limit + 1;
    if (over > 0) wait = Math.max(wait, await leavingWait(trx, k.key, w, over, now));
  }
  return wait;
}

/** The window has room once its `over` earliest-ending operations left it. */
async function leavingWait(trx: Trx, key: string, w: RateWindow, over: number, now: number): Promise<number> {
  const row = await trx
    .selectFrom('budget_ops')
    .select('ends_at')
    .where('key', '=', key)
    .where('ends_at', '>', now - w.windowMs)
    .orderBy('ends_at')
    .offset(over - 1)
    .limit(1)
    .executeTakeFirst();
  const leaving = Number(row?.ends_at ?? now);
  // Still in flight: it leaves a window after it ends, and it may end any moment.
  if (leaving > now) return IN_FLIGHT_RECHECK_MS;
  return Math.max(1, leaving + w.windowMs - now);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
