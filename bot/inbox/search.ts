/**
 * Search of the Inbox: by number (digits as typed, spaces and dashes ignored), by agent name, or
 * by words in the messages and notes. Case-insensitive on both dialects (lower() on each side);
 * the user's % and _ are literal.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

type Eb = ExpressionBuilder<Database & { t: Database['threads'] }, 't'>;

/** The longest search the API takes; longer ones are refused with 400. */
export const MAX_QUERY_LENGTH = 100;

const like = (column: Expression<unknown>, pattern: string) =>
  sql<SqlBool>`${column} like ${pattern} escape '\\'`;

function pattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function matches(eb: Eb, query: string): Expression<SqlBool> {
  const text = pattern(query.trim());
  const conditions: Expression<SqlBool>[] = [
    like(eb.ref('t.assignee'), text),
    // One pass over the messages (an IN list the database collects once): a per-thread EXISTS
    // would walk the thread index for every thread, which costs far more for a rare word.
    eb(
      't.id',
      'in',
      eb
        .selectFrom('messages as m')
        .select('m.thread_id')
        .where((e) => like(e.ref('m.body'), text)),
    ),
    eb(
      't.id',
      'in',
      eb
        .selectFrom('notes as n')
        .select('n.thread_id')
        .where((e) => like(e.ref('n.body'), text)),
    ),
  ];
  const digits = query.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  if (/^\d{3,}$/.test(digits)) {
    conditions.push(eb('t.customer_number', 'like', `%${digits}%`));
    conditions.push(eb('t.business_number', 'like', `%${digits}%`));
  }
  return eb.or(conditions);
}
