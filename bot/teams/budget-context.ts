/**
 * What a call to Teams carries down to the HTTP pipeline (budget-policy.ts) without botbuilder's
 * help: how important it is, and a token taken before the call was built. The worker takes the
 * token first and then reads what to post, so messages that came while it waited go out in the
 * same card; the pipeline spends that token on the first attempt and takes a new one for every
 * retry.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BudgetGrant, Priority, TeamsBudget, TeamsOp } from '../budget/teams-budget.ts';

export interface Prepaid {
  op: TeamsOp;
  grant: BudgetGrant;
  used: boolean;
}

export interface CallContext {
  priority: Priority;
  prepaid?: Prepaid;
}

const context = new AsyncLocalStorage<CallContext>();

export function currentCall(): CallContext | undefined {
  return context.getStore();
}

/** Runs `work` with its Teams calls at `priority` (calls outside any default to 'reply'). */
export function withPriority<T>(priority: Priority, work: () => Promise<T>): Promise<T> {
  return context.run({ priority }, work);
}

/**
 * Waits for a token of `op`, then runs `work`: its first call of that operation spends the token.
 * A token `work` did not spend (it found nothing to post) goes back to the budget.
 */
export async function withToken<T>(
  budget: TeamsBudget,
  op: TeamsOp,
  priority: Priority,
  work: () => Promise<T>,
): Promise<T> {
  const prepaid: Prepaid = { op, grant: await budget.acquire(op, priority), used: false };
  try {
    return await context.run({ priority, prepaid }, work);
  } finally {
    if (!prepaid.used) prepaid.grant.cancel();
  }
}
