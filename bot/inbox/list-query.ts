/**
 * The conversation lists of the Inbox: a page of one state, newest activity first, and the count
 * of every state, for what a caller may see. Plain Kysely reads on the store's read connection.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../store/schema.ts';
import { decodeCursor, encodeCursor, type PageCursor } from './cursor.ts';
import { inScope, type Scope } from './scope.ts';
import { matches, planSearch } from './search.ts';
import { hasFailed, lastAt, lastDirection } from './thread-columns.ts';
import type { InboxCounts, InboxState } from './wire.ts';

type Eb = ExpressionBuilder<Database & { t: Database['threads'] }, 't'>;

export interface ListRequest {
  state: InboxState;
  q?: string;
  cursor?: string;
  limit: number;
}

/** Who is asking: "Mine" compares their Entra object id. */
export interface Viewer {
  id: string;
  name: string;
}

function stateFilter(eb: Eb, state: InboxState, viewer: Viewer): Expression<SqlBool> {
  switch (state) {
    case 'resolved':
      return eb('t.state', '=', 'resolved');
    case 'mine':
      return eb.and([eb('t.state', '=', 'open'), eb('t.assignee_id', '=', viewer.id)]);
    case 'unassigned':
      return eb.and([eb('t.state', '=', 'open'), eb('t.assignee', 'is', null)]);
    case 'failed':
      return eb.and([eb('t.state', '=', 'open'), hasFailed(eb)]);
    case 'waiting':
      return eb.and([eb('t.state', '=', 'open'), eb(lastDirection(eb), '=', 'inbound')]);
  }
}

/** Ids of one page, newest activity first, and the cursor of the next page. */
export async function listPage(
  db: Kysely<Database>,
  scope: Scope,
  viewer: Viewer,
  req: ListRequest,
): Promise<{ ids: string[]; nextCursor?: string }> {
  const after: PageCursor | undefined = req.cursor ? decodeCursor(req.cursor) : undefined;
  const search = req.q?.trim() ? await planSearch(db, req.q) : undefined;
  const inner = db
    .selectFrom('threads as t')
    .select((eb) => ['t.id as id', lastAt(eb).as('last_at')])
    // Cheapest first: the scope, then the list's own condition, the search words last.
    .where((eb) =>
      eb.and([
        inScope(eb, scope),
        stateFilter(eb, req.state, viewer),
        ...(search ? [matches(eb, search)] : []),
      ]),
    );
  let q = db.selectFrom(inner.as('x')).select(['x.id', 'x.last_at']);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('x.last_at', '<', after.at),
        eb.and([eb('x.last_at', '=', after.at), eb('x.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('x.last_at', 'desc')
    .orderBy('x.id', 'desc')
    .limit(req.limit + 1)
    .execute();
  const page = rows.slice(0, req.limit);
  const last = page.at(-1);
  return {
    ids: page.map((r) => r.id),
    ...(rows.length > req.limit && last
      ? { nextCursor: encodeCursor({ at: String(last.last_at), id: last.id }) }
      : {}),
  };
}

/** How many conversations each list holds for this caller. */
export async function countStates(db: Kysely<Database>, scope: Scope, viewer: Viewer): Promise<InboxCounts> {
  const row = await db
    .selectFrom('threads as t')
    .select((eb) => {
      const count = (state: InboxState) =>
        eb.fn.sum<number>(
          eb
            .case()
            .when(stateFilter(eb, state, viewer))
            .then(1)
            .else(0)
            .end(),
        );
      return [
        count('waiting').as('waiting'),
        count('mine').as('mine'),
        count('unassigned').as('unassigned'),
        count('failed').as('failed'),
        count('resolved').as('resolved'),
      ];
    })
    .where((eb) => inScope(eb, scope))
    .executeTakeFirst();
  return {
    waiting: Number(row?.waiting ?? 0),
    mine: Number(row?.mine ?? 0),
    unassigned: Number(row?.unassigned ?? 0),
    failed: Number(row?.failed ?? 0),
    resolved: Number(row?.resolved ?? 0),
  };
}
