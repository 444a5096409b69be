/**
 * POST /api/inbox/conversations/{id}/claim|unassign|resolve|reopen|reply: the same store calls
 * as the customer card's buttons, so the card in Teams updates too.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Store, Thread } from '../store/types.ts';
import { queueReply } from '../teams/actions/thread-actions.ts';
import type { Caller } from './auth/caller.ts';
import { HttpError, type InboxRoute } from './http.ts';
import type { Providers } from './new-conversation-routes.ts';
import { summaries } from './summaries.ts';
import { visibleThread } from './visibility.ts';
import type { ActionResult } from './wire.ts';

export type InboxAction = 'claim' | 'unassign' | 'resolve' | 'reopen' | 'reply';
export const INBOX_ACTIONS: readonly InboxAction[] = ['claim', 'unassign', 'resolve', 'reopen', 'reply'];

type Run = (
  store: Store,
  thread: Thread,
  caller: Caller,
  body: Record<string, unknown>,
  providers: Providers,
) => Promise<unknown>;

const RUN: Record<InboxAction, Run> = {
  claim: (store, thread, caller) =>
    store.setAssignee(thread.id, { name: caller.viewer.name, id: caller.viewer.id }),
  unassign: (store, thread) => store.setAssignee(thread.id, undefined),
  resolve: (store, thread) => store.setThreadState(thread.id, 'resolved'),
  reopen: (store, thread) => store.setThreadState(thread.id, 'open'),
  reply: (store, thread, caller, body, providers) => {
    const text = body['text'];
    const nonce = body['nonce'];
    if (typeof text !== 'string') throw new HttpError(400, 'the body needs "text": the reply');
    if (typeof nonce !== 'string' || !/^[\w-]{8,64}$/.test(nonce)) {
      throw new HttpError(400, 'the body needs "nonce": 8 to 64 letters, digits, - or _, new for each reply');
    }
    // One message per (caller, nonce): a resent request after a lost answer sends nothing more.
    const key = createHash('sha256').update(`${caller.viewer.id}\n${nonce}`).digest('hex').slice(0, 32);
    // The same checks as a card reply: it must fit its provider and channel, and WhatsApp's window.
    return queueReply(store, thread, text, caller.viewer, `inbox-reply:${key}`, providers);
  },
};

export function actionRoute(
  store: Store,
  db: Kysely<Database>,
  action: InboxAction,
  providers: Providers = {},
): InboxRoute {
  return async (req, res, caller) => {
    const thread = await visibleThread(store, caller, String(req.params['id']));
    const body = (req.body ?? {}) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'the body must be a JSON object');
    }
    await RUN[action](store, thread, caller, body as Record<string, unknown>, providers);
    const [conversation] = await summaries(db, [thread.id], caller.viewer, caller.routes);
    if (!conversation) throw new HttpError(404, 'no such conversation');
    res.send(200, { conversation } satisfies ActionResult);
  };
}
