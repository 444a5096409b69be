/** GET /api/inbox/conversations (a list page with counts), one conversation, its CSV. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { conversationCsv, csvFileName } from './export-csv.ts';
import { HttpError, type InboxRoute, queryOf } from './http.ts';
import { countStates, listPage } from './list-query.ts';
import { MAX_QUERY_LENGTH } from './search.ts';
import { summaries } from './summaries.ts';
import { teamsLink, transcript } from './transcript.ts';
import { narrowTo, visibleThread } from './visibility.ts';
import { type ConversationDetail, type ConversationPage, INBOX_STATES, type InboxState } from './wire.ts';

const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;

function listParams(query: Record<string, string | undefined>) {
  const state = query['state'] ?? 'waiting';
  if (!(INBOX_STATES as readonly string[]).includes(state)) {
    throw new HttpError(400, `state must be one of ${INBOX_STATES.join(', ')}, got "${state}"`);
  }
  const q = query['q']?.trim() || undefined;
  if (q && q.length > MAX_QUERY_LENGTH)
    throw new HttpError(400, `q is longer than ${MAX_QUERY_LENGTH} characters`);
  const rawLimit = query['limit'];
  const limit = rawLimit === undefined ? PAGE_DEFAULT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
    throw new HttpError(400, `limit must be a whole number from 1 to ${PAGE_MAX}`);
  }
  const counts = query['counts'] !== '0';
  return { state: state as InboxState, q, limit, cursor: query['cursor'], channel: query['channel'], counts };
}

export function listRoute(db: Kysely<Database>): InboxRoute {
  return async (req, res, caller) => {
    const params = listParams(queryOf(req));
    const scope = narrowTo(caller.scope, params.channel);
    const page = await listPage(db, scope, caller.viewer, params);
    // The counts are of the lists, not of the search: the tabs keep their numbers while searching.
    const body: ConversationPage = {
      items: await summaries(db, page.ids, caller.viewer, caller.routes),
      ...(params.counts ? { counts: await countStates(db, scope, caller.viewer) } : {}),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
    res.send(200, body);
  };
}

export function detailRoute(store: Store, db: Kysely<Database>): InboxRoute {
  return async (req, res, caller) => {
    const thread = await visibleThread(store, caller, String(req.params['id']));
    const [summary] = await summaries(db, [thread.id], caller.viewer, caller.routes);
    if (!summary) throw new HttpError(404, 'no such conversation');
    const entries = transcript(await store.listMessages(thread.id), await store.listNotes(thread.id));
    const link = teamsLink(thread, caller.routes);
    const body: ConversationDetail = { conversation: summary, entries, ...(link ? { teamsLink: link } : {}) };
    res.send(200, body);
  };
}

export function csvRoute(store: Store): InboxRoute {
  return async (req, res, caller) => {
    const thread = await visibleThread(store, caller, String(req.params['id']));
    const entries = transcript(await store.listMessages(thread.id), await store.listNotes(thread.id));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${csvFileName(thread)}"`);
    // A byte-order mark, so spreadsheet programs read the UTF-8 (names, emoji) as UTF-8.
    res.sendRaw(200, `\uFEFF${conversationCsv(thread, entries)}`);
  };
}
