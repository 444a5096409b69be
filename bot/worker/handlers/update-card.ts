/**
 * update-card: re-renders a message's card from its current state and replaces it in place. Status
 * updates go after new messages (priority 'status'); the card is read after the token was taken,
 * so receipts that came while the job waited go out in the same update, and an update that would
 * show nothing new is not made.
 */
import type { Job, Message, Store, Thread } from '../../store/types.ts';
import { cardOf, cardState } from '../../teams/message-cards.ts';
import { channelOf, type TeamsOutbound } from '../../teams/outbound.ts';
import { PermanentJobError } from '../job-errors.ts';
import type { JobHandler } from '../runner.ts';

/** An outbound card whose recorded state is its current one shows everything already. */
const upToDate = (m: Message) => m.direction === 'outbound' && m.cardState === cardState(m);

export function updateCardHandler(store: Store, teams: TeamsOutbound): JobHandler {
  const current = async (id: string): Promise<{ message: Message; thread: Thread } | undefined> => {
    const message = await store.getMessage(id);
    if (!message) throw new PermanentJobError(`message ${id} no longer exists`);
    const thread = await store.getThread(message.threadId);
    // The card is posted by a job of the same lane that ran before this one; if it failed for
    // good there is no card to update.
    if (!thread?.conversationId || !thread.conversationRef || !message.teamsActivityId) return undefined;
    return upToDate(message) ? undefined : { message, thread };
  };

  return {
    async run(job: Job) {
      const before = await current(job.ref);
      if (!before?.thread.conversationId) return;
      const op = { thread: channelOf(before.thread.conversationId), kind: 'send' } as const;
      await teams.withToken(op, 'status', async () => {
        const now = await current(job.ref);
        const ref = now?.thread.conversationRef;
        const activityId = now?.message.teamsActivityId;
        if (!now || !ref || !activityId) return;
        const { message, thread } = now;
        await teams.update(ref, activityId, await cardOf(store, thread, message));
        if (message.direction === 'outbound') await store.setCardState(message.id, cardState(message));
      });
    },
  };
}
