/**
 * One budget for every call the bot makes to Teams. A call takes a token of its thread's windows
 * (for its kind of operation) and of the app's before it is made, retries included
 * (teams-pipeline.ts puts this in front of every HTTP attempt of the Bot Framework client).
 *
 * The interface is what several bot instances sharing one database would implement there
 * (issue 11); LocalTeamsBudget is the one for a single process.
 */
import type { TeamsOpKind } from './teams-limits.ts';

/** A thread as Teams counts it: a channel (for its threads too), a group chat, a personal chat. */
export interface TeamsOp {
  thread: string;
  kind: TeamsOpKind;
}

/**
 * Order of importance, first first: new customer messages and an agent's own card, then
 * anything else the bot says in Teams (answers to commands, notices), then status updates.
 */
export type Priority = 'conversation' | 'reply' | 'status';

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { conversation: 0, reply: 1, status: 2 };

export interface BudgetGrant {
  /** The call was made and has ended: it counts from now. */
  settle(): void;
  /** The call was not made after all: the token goes back. */
  cancel(): void;
}

export interface KindUsage {
  /** Operations in the last hour, and the hour's limit. */
  hour: number;
  hourLimit: number;
  /** Operations in the last 30 s, and that window's limit. */
  halfMinute: number;
  halfMinuteLimit: number;
  /** Calls of this kind waiting for a token. */
  waiting: number;
}

export interface ThreadUsage {
  thread: string;
  send: KindUsage;
  create: KindUsage;
  /** Calls waiting for a token. */
  waiting: number;
}

export interface TeamsBudget {
  /** Resolves with a token once one more `op` fits every window of its thread and the app. */
  acquire(op: TeamsOp, priority: Priority): Promise<BudgetGrant>;
  /** Teams answered 429: nothing more goes to the thread (or the app) before `until`. */
  pause(op: TeamsOp, until: number): void;
  /** The use of one thread's budget. */
  usage(thread: string): Promise<ThreadUsage>;
  /** Every thread with calls in the last hour or waiting. */
  usageAll(): Promise<ThreadUsage[]>;
}
