/**
 * What the Inbox derives for each thread from its messages, as SQL expressions over `threads as t`.
 * Plain correlated subqueries that the messages_thread and messages_failed indexes answer: the
 * same on SQLite and PostgreSQL, and no column for the ingest path to keep up to date.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { FAILED_CONDITION } from '../store/migrations.ts';
import type { Database } from '../store/schema.ts';

type Eb = ExpressionBuilder<Database & { t: Database['threads'] }, 't'>;

/** Time of the thread's latest message (the thread's own time while it has none). */
export function lastAt(eb: Eb) {
  return eb.fn.coalesce(
    eb
      .selectFrom('messages as m')
      .select((e) => e.fn.max('m.created_at').as('at'))
      .whereRef('m.thread_id', '=', 't.id'),
    eb.ref('t.created_at'),
  );
}

/** Direction of the latest message. */
export function lastDirection(eb: Eb) {
  return eb
    .selectFrom('messages as m')
    .select('m.direction')
    .whereRef('m.thread_id', '=', 't.id')
    .orderBy('m.created_at', 'desc')
    .limit(1);
}

/** An outbound message failed and was not sent again. */
export function hasFailed(eb: Eb) {
  return eb.exists(
    eb
      .selectFrom('messages as m')
      .select(sql.lit(1).as('one'))
      .whereRef('m.thread_id', '=', 't.id')
      .where(sql.raw<boolean>(FAILED_CONDITION)),
  );
}
