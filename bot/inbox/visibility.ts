/** One conversation as a caller may see it: 404 for one that does not exist or is not theirs. */
import type { Store, Thread } from '../store/types.ts';
import type { Caller } from './auth/caller.ts';
import { HttpError } from './http.ts';
import { channelOfConversation, type Scope } from './scope.ts';

const NOT_FOUND = 'no such conversation (or it is in a channel of a team you are not a member of)';

export function sees(scope: Scope, conversationId: string | null | undefined): boolean {
  if (scope.kind === 'all') return true;
  const channel = channelOfConversation(conversationId);
  return channel !== undefined && scope.channelIds.includes(channel);
}

export async function visibleThread(store: Store, caller: Caller, id: string): Promise<Thread> {
  if (id.length > 100) throw new HttpError(404, NOT_FOUND);
  const thread = await store.getThread(id);
  if (!thread || !sees(caller.scope, thread.conversationId)) throw new HttpError(404, NOT_FOUND);
  return thread;
}

/** The caller's scope narrowed to one channel (a channel tab); 404 for a channel they cannot see. */
export function narrowTo(scope: Scope, channelId: string | undefined): Scope {
  if (!channelId) return scope;
  if (scope.kind === 'channels' && !scope.channelIds.includes(channelId)) {
    throw new HttpError(404, 'no such channel (or it is in a team you are not a member of)');
  }
  return { kind: 'channels', channelIds: [channelId] };
}
