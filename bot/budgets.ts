/**
 * The budgets every call out of the bot spends: the Teams budget (teams.md §2) and one limiter
 * per provider connection (<PROVIDER>_RATE_LIMIT calls per minute). One process on a SQLite file
 * keeps them in memory; instances sharing a PostgreSQL database keep them there, so together they
 * spend one budget, not one each.
 */
import type { Logger } from 'pino';
import type { ProviderId } from '../adapters/types.ts';
import { LocalTeamsBudget } from './budget/local-teams-budget.ts';
import { type CallLimiter, RateLimiter } from './budget/rate-limiter.ts';
import { SharedRateLimiter } from './budget/shared-rate-limiter.ts';
import { SharedTeamsBudget } from './budget/shared-teams-budget.ts';
import type { TeamsBudget } from './budget/teams-budget.ts';
import { teamsLimits } from './budget/teams-limits.ts';
import type { Config } from './config.ts';
import { PostgresBudgetCounters } from './store/budget-counters.ts';
import type { KyselyStore } from './store/kysely-store.ts';
import { isShared } from './store/open-store.ts';

export interface Budgets {
  teams: TeamsBudget;
  limiters: Partial<Record<ProviderId, CallLimiter>>;
}

const MINUTE = 60_000;

export function createBudgets(
  store: KyselyStore,
  config: Config,
  ratePerMinute: Partial<Record<ProviderId, number>>,
  log: Logger,
): Budgets {
  const limits = teamsLimits(config.teamsRatePer30s, config.teamsAppRatePerSecond);
  const perMinute = (limit: number | undefined) => [{ limit: limit ?? 100, windowMs: MINUTE }];
  const entries = Object.entries(ratePerMinute) as Array<[ProviderId, number | undefined]>;
  if (!isShared(store)) {
    return {
      teams: new LocalTeamsBudget(limits),
      limiters: Object.fromEntries(entries.map(([id, limit]) => [id, new RateLimiter(perMinute(limit))])),
    };
  }
  const counters = new PostgresBudgetCounters(store.db);
  return {
    teams: new SharedTeamsBudget(counters, limits, (err) =>
      log.warn({ err }, 'the shared Teams budget could not reach the database; calls to Teams wait'),
    ),
    limiters: Object.fromEntries(
      entries.map(([id, limit]) => [id, new SharedRateLimiter(counters, perMinute(limit))]),
    ),
  };
}
