/** update-card: re-renders a message's card from its current state and replaces it in place. */
import type { Job, Store } from '../../store/types.ts';
import { messageCard } from '../../teams/message-cards.ts';
import type { TeamsOutbound } from '../../teams/outbound.ts';
import { PermanentJobError } from '../job-errors.ts';
import type { JobHandler } from '../runner.ts';

export function updateCardHandler(store: Store, teams: TeamsOutbound): JobHandler {
  return {
    async run(job: Job) {
      const message = await store.getMessage(job.ref);
      if (!message) throw new PermanentJobError(`message ${job.ref} no longer exists`);
      const thread = await store.getThread(message.threadId);
      // The card is posted by a job of the same lane that ran before this one; if it failed for
      // good there is no card to update.
      if (!thread?.conversationRef || !message.teamsActivityId) return;
      await teams.update(thread.conversationRef, message.teamsActivityId, messageCard(thread, message));
    },
  };
}
