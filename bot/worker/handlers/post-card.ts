/**
 * post-card: puts a message's card in Teams. The first message of a customer starts a thread in
 * the routed channel; later ones (and agents' answers) are replies in it. Without a route the job
 * parks until `link` releases it.
 */

import type { Logger } from 'pino';
import type { Job, Store } from '../../store/types.ts';
import type { TeamsOutbound } from '../../teams/outbound.ts';
import { ParkJob, PermanentJobError } from '../job-errors.ts';
import { messageCard, rootCard } from '../message-cards.ts';
import type { JobHandler } from '../runner.ts';

export function postCardHandler(store: Store, teams: TeamsOutbound, log: Logger): JobHandler {
  return {
    async run(job: Job) {
      const message = await store.getMessage(job.ref);
      if (!message) throw new PermanentJobError(`message ${job.ref} no longer exists`);
      if (message.teamsActivityId) return; // posted before a crash, recorded after it
      const markStarted = () => store.markCardStarted(message.id);
      let thread = await store.getThread(message.threadId);
      if (!thread) throw new PermanentJobError(`thread ${message.threadId} no longer exists`);
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
        // thread, so its delivery status shows; a customer's first message is the root card.
        const outboundFirst = message.direction === 'outbound';
        await store.setThreadPosted(
          thread.id,
          created.conversationId,
          created.rootActivityId,
          created.ref,
          outboundFirst ? undefined : message.id,
        );
        if (!outboundFirst) return;
        thread = { ...thread, conversationId: created.conversationId, conversationRef: created.ref };
      }
      if (!thread.conversationRef) throw new PermanentJobError(`thread ${thread.id} has no Teams reference`);
      const activityId = await teams.post(thread.conversationRef, messageCard(thread, message), markStarted);
      await store.setMessageCard(message.id, activityId);
    },
  };
}
