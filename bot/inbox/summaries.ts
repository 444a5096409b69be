/** The list rows of the Inbox for a page of thread ids: each thread with its latest message. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ThreadsTable } from '../store/schema.ts';
import type { Route } from '../store/types.ts';
import type { Viewer } from './list-query.ts';
import { channelOfConversation } from './scope.ts';
import { hasFailed, lastDirection } from './thread-columns.ts';
import type { ConversationSummary } from './wire.ts';

/** How much of the latest message the list shows. */
const PREVIEW_CHARS = 160;

type SummaryRow = Selectable<ThreadsTable> & {
  last_body: string | null;
  last_at: string | null;
  last_direction: string | null;
  failed: number | boolean | null;
};

export async function summaries(
  db: Kysely<Database>,
  ids: readonly string[],
  viewer: Viewer,
  routes: readonly Route[],
): Promise<ConversationSummary[]> {
  if (ids.length === 0) return [];
  const rows = (await db
    .selectFrom('threads as t')
    .selectAll('t')
    .select((eb) => [
      eb
        .selectFrom('messages as m')
        .select('m.body')
        .whereRef('m.thread_id', '=', 't.id')
        .orderBy('m.created_at', 'desc')
        .limit(1)
        .as('last_body'),
      eb
        .selectFrom('messages as m')
        .select('m.created_at')
        .whereRef('m.thread_id', '=', 't.id')
        .orderBy('m.created_at', 'desc')
        .limit(1)
        .as('last_at'),
      lastDirection(eb).as('last_direction'),
      hasFailed(eb).as('failed'),
    ])
    .where('t.id', 'in', ids)
    .execute()) as SummaryRow[];
  const names = channelNames(routes);
  const byId = new Map(rows.map((r) => [r.id, toSummary(r, viewer, names)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Channel id → its name, as `link` recorded it. */
export function channelNames(routes: readonly Route[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of routes) if (r.channelName) names.set(r.teamsChannelId, r.channelName);
  return names;
}

function toSummary(r: SummaryRow, viewer: Viewer, names: Map<string, string>): ConversationSummary {
  const body = r.last_body ?? '';
  const channelId = channelOfConversation(r.conversation_id);
  const direction = r.last_direction === 'outbound' ? 'outbound' : 'inbound';
  const open = r.state !== 'resolved';
  return {
    id: r.id,
    provider: r.provider,
    businessNumber: r.business_number,
    customerNumber: r.customer_number,
    channel: r.channel,
    state: open ? 'open' : 'resolved',
    ...(r.assignee ? { assignee: r.assignee } : {}),
    assignedToMe: r.assignee_id !== null && r.assignee_id === viewer.id,
    optedOut: r.opted_out === 1,
    lastAt: r.last_at ?? r.created_at,
    lastDirection: direction,
    preview: body.length > PREVIEW_CHARS ? `${body.slice(0, PREVIEW_CHARS - 1)}…` : body,
    failed: Boolean(r.failed),
    waiting: open && r.last_direction === 'inbound',
    ...(channelId ? { teamsChannelId: channelId } : {}),
    ...(channelId && names.get(channelId) ? { channelName: names.get(channelId) } : {}),
  };
}
