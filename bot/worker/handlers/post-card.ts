/**
 * post-card: puts the cards of a customer thread's waiting messages in Teams, oldest first. The
 * first message of a customer starts a thread in the routed channel; later ones (and agents'
 * answers) are replies in it. Without a route the job parks until `link` releases it.
 */

import type { Logger } from 'pino';
import type { Job, Message, Store, Thread } from '../../store/types.ts';
import { messageCard, rootCard } from '../../teams/message-cards.ts';
import type { TeamsOutbound } from '../../teams/outbound.ts';
import { ParkJob, PermanentJobError } from '../job-errors.ts';
import type { JobHandler } from '../runner.ts';

/** The job's thread: its ref is the thread (or, for jobs queued before migration waiting_once, one of its messages). */
async function threadOfJob(store: Store, ref: string): Promise<Thread | undefined> {
  const thread = await store.getThread(ref);
  if (thread) return thread;
  const message = await store.getMessage(ref);
  return message ? store.getThread(message.threadId) : undefined;
}

export function postCardHandler(store: Store, teams: TeamsOutbound, log: Logger): JobHandler {
  const postOne = async (thread: Thread, message: Message) => {
    const markStarted = () => store.markCardStarted(message.id);
    if (message.cardStartedAt) {
      // Teams has no idempotency key: a post interrupted by a crash may have landed.
      log.warn(
        { messageId: message.id },
        'card post was interrupted earlier; posting again may show it twice',
      );
    }
    if (!thread.conversationId) {
      const route = await store.findRoute(thread.provider, thread.businessNumber);
      if (!route)
        throw new ParkJob(`no channel is linked to ${thread.provider} ${thread.businessNumber} yet`);
      const created = await teams.createThread(
        route.conversationRef,
        route.teamsChannelId,
        rootCard(thread, message),
        markStarted,
      );
      // An agent's first message (text, a WhatsApp template) also gets its own card in the new
      // thread, so its delivery status shows: it stays waiting, and the next round posts it. A
      // customer's first message is the root card.
      await store.setThreadPosted(
        thread.id,
        created.conversationId,
        created.rootActivityId,
        created.ref,
        message.direction === 'outbound' ? undefined : message.id,
      );
      return;
    }
    if (!thread.conversationRef) throw new PermanentJobError(`thread ${thread.id} has no Teams reference`);
    const activityId = await teams.post(thread.conversationRef, messageCard(thread, message), markStarted);
    await store.setMessageCard(message.id, activityId);
  };

  return {
    async run(job: Job) {
      const first = await threadOfJob(store, job.ref);
      if (!first) throw new PermanentJobError(`thread ${job.ref} no longer exists`);
      for (;;) {
        // Read again each time: the first post makes the thread, later messages may have come.
        const thread = await store.getThread(first.id);
        if (!thread) throw new PermanentJobError(`thread ${first.id} no longer exists`);
        const [next] = await store.listUncarded(thread.id);
        if (!next) return;
        await postOne(thread, next);
      }
    },
  };
}
