/**
 * Which threads a caller may see, as a condition on `threads as t`: those posted in the Teams
 * channels the caller belongs to (a thread stays in the channel it was posted in, even when its
 * number is linked elsewhere later). Local mode sees every thread.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

export type Scope = { kind: 'all' } | { kind: 'channels'; channelIds: readonly string[] };

export const THREAD_MARKER = ';messageid=';

type Eb = ExpressionBuilder<Database & { t: Database['threads'] }, 't'>;

export function inScope(eb: Eb, scope: Scope): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`1 = 1`;
  if (scope.channelIds.length === 0) return sql<SqlBool>`1 = 0`;
  // A thread's conversation id is `<channel id>;messageid=<root>`: compare its prefix, grouped by
  // length so each group is one IN list (substr is the same function on SQLite and PostgreSQL).
  const byLength = new Map<number, string[]>();
  for (const id of scope.channelIds) {
    const prefix = `${id}${THREAD_MARKER}`;
    byLength.set(prefix.length, [...(byLength.get(prefix.length) ?? []), prefix]);
  }
  return eb.or(
    [...byLength].map(([length, prefixes]) =>
      eb(eb.fn('substr', [eb.ref('t.conversation_id'), eb.val(1), eb.val(length)]), 'in', prefixes),
    ),
  );
}

/** The channel a thread was posted in, from its conversation id. */
export function channelOfConversation(conversationId: string | null | undefined): string | undefined {
  if (!conversationId) return undefined;
  const at = conversationId.indexOf(THREAD_MARKER);
  return at > 0 ? conversationId.slice(0, at) : undefined;
}
