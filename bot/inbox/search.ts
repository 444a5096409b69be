/**
 * Search of the Inbox: by number (digits as typed, spaces and dashes ignored), by agent name, or
 * by words in the messages and notes. The user's % and _ are literal. Case is ignored: SQLite's
 * LIKE does so for ASCII, PostgreSQL needs ILIKE (the plan carries the operator, dialect.ts).
 *
 * Words are looked up in two ways, chosen per search. One pass over the messages collects the
 * conversations that contain them, stopping after RARE_LIMIT messages: a rare word (the
 * usual search: a name, an order number) ends with the complete list, which the page query then
 * takes as ids. A common word stops early, and the page query checks the conversations it looks
 * at one by one instead (EXISTS, through the thread index: most have the word in a message or
 * two). Collecting every hit of a common word first costs more than either.
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { type CaseInsensitiveLike, dialectOf, POSTGRES, SQLITE } from '../store/dialect.ts';
import type { Database } from '../store/schema.ts';

type Eb = ExpressionBuilder<Database & { t: Database['threads'] }, 't'>;

/** The longest search the API takes; longer ones are refused with 400. */
export const MAX_QUERY_LENGTH = 100;

/** Up to this many matching messages, a word's conversations are passed as a list of ids (a
 * few thousand at most: fine as parameters on SQLite and PostgreSQL). */
const RARE_LIMIT = 20_000;

export type SearchPlan = { text: string; digits?: string; op: CaseInsensitiveLike } & (
  | { words: 'ids'; threadIds: string[] }
  | { words: 'each' }
);

const like = (column: Expression<unknown>, pattern: string, op: CaseInsensitiveLike) =>
  sql<SqlBool>`${column} ${sql.raw(op)} ${pattern} escape '\\'`;

function pattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Looks the words up once and decides how the page and count queries match them. */
export async function planSearch(
  db: Kysely<Database>,
  query: string,
  rareLimit = RARE_LIMIT,
): Promise<SearchPlan> {
  const text = pattern(query.trim());
  const digits = query.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  const op =
    dialectOf(db as Kysely<unknown>) === 'postgres'
      ? POSTGRES.caseInsensitiveLike
      : SQLITE.caseInsensitiveLike;
  const base = { text, op, ...(/^\d{3,}$/.test(digits) ? { digits } : {}) };
  // No DISTINCT: it would walk the thread index (and look up every row's text) instead of
  // reading the table once. Matching messages are counted; their conversations deduplicated here.
  const inMessages = await db
    .selectFrom('messages as m')
    .select('m.thread_id')
    .where((e) => like(e.ref('m.body'), text, op))
    .limit(rareLimit + 1)
    .execute();
  if (inMessages.length > rareLimit) return { ...base, words: 'each' };
  const inNotes = await db
    .selectFrom('notes as n')
    .select('n.thread_id')
    .where((e) => like(e.ref('n.body'), text, op))
    .limit(rareLimit + 1)
    .execute();
  if (inNotes.length > rareLimit) return { ...base, words: 'each' };
  const threadIds = [...new Set([...inMessages, ...inNotes].map((r) => r.thread_id))];
  return { ...base, words: 'ids', threadIds };
}

export function matches(eb: Eb, plan: SearchPlan): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [like(eb.ref('t.assignee'), plan.text, plan.op)];
  if (plan.words === 'ids') {
    if (plan.threadIds.length > 0) conditions.push(eb('t.id', 'in', plan.threadIds));
  } else {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('messages as m')
          .select('m.id')
          .whereRef('m.thread_id', '=', 't.id')
          .where((e) => like(e.ref('m.body'), plan.text, plan.op)),
      ),
      eb.exists(
        eb
          .selectFrom('notes as n')
          .select('n.id')
          .whereRef('n.thread_id', '=', 't.id')
          .where((e) => like(e.ref('n.body'), plan.text, plan.op)),
      ),
    );
  }
  if (plan.digits) {
    conditions.push(eb('t.customer_number', 'like', `%${plan.digits}%`));
    conditions.push(eb('t.business_number', 'like', `%${plan.digits}%`));
  }
  return eb.or(conditions);
}
