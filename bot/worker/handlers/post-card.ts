/**
 * post-card: puts the waiting messages of a customer thread in Teams, oldest first, spending as
 * few operations of the channel's budget as it can. The token is taken first and what to post is
 * read after it: messages that came while the job waited go out in the same call. Customer
 * messages that wait together go out as one card (the first ones as the thread's root card); a
 * message may join the customer's latest card by an update while that card is the last thing in
 * the thread. An agent's message gets a card of its own (its delivery status shows there).
 * Without a route the job parks until `link` releases it.
 */
import type { Logger } from 'pino';
import { cardBytes, MAX_CARD_BYTES } from '../../../cards/fit.ts';
import type { AdaptiveCard } from '../../../cards/types.ts';
import type { TeamsOp } from '../../budget/teams-budget.ts';
import { updateCardJob } from '../../store/job-queries.ts';
import type { Job, Message, Route, Store, Thread } from '../../store/types.ts';
import { cardState, inboundCard, messageCard, rootCard } from '../../teams/message-cards.ts';
import { channelOf, type TeamsOutbound } from '../../teams/outbound.ts';
import { ParkJob, PermanentJobError } from '../job-errors.ts';
import type { JobHandler } from '../runner.ts';

/** A card younger than this may take the customer's next messages; an older one gets a new card. */
export const APPEND_WITHIN_MS = 2 * 60_000;

/** The job's thread: its ref is the thread (or, for jobs queued before migration waiting_once, one of its messages). */
async function threadOfJob(store: Store, ref: string): Promise<Thread | undefined> {
  const thread = await store.getThread(ref);
  if (thread) return thread;
  const message = await store.getMessage(ref);
  return message ? store.getThread(message.threadId) : undefined;
}

/** The largest count of `items` (at least one) whose card stays within MAX_CARD_BYTES. */
export function fitting<T>(
  items: readonly T[],
  render: (shown: readonly T[]) => AdaptiveCard,
  least = 1,
): number {
  let count = items.length;
  while (count > least && cardBytes(render(items.slice(0, count))) > MAX_CARD_BYTES) {
    count -= 1;
  }
  return count;
}

/** The customer messages at the head of the waiting ones, up to the first agent's message. */
function customerRun(waiting: readonly Message[]): Message[] {
  const end = waiting.findIndex((m) => m.direction !== 'inbound');
  return end < 0 ? [...waiting] : waiting.slice(0, end);
}

export function postCardHandler(store: Store, teams: TeamsOutbound, log: Logger): JobHandler {
  const warnInterrupted = (messages: readonly Message[]) => {
    // Teams has no idempotency key: a post interrupted by a crash may have landed.
    const interrupted = messages.filter((m) => m.cardStartedAt).map((m) => m.id);
    if (interrupted.length > 0)
      log.warn(
        { messageIds: interrupted },
        'card post was interrupted earlier; posting again may show it twice',
      );
  };

  /** The card the customer's next messages may join: their latest, still the last in the thread. */
  const appendTarget = async (thread: Thread) => {
    const last = await store.lastCarded(thread.id);
    if (!last?.teamsActivityId || last.direction !== 'inbound') return undefined;
    const shown = await store.listCardMessages(last.teamsActivityId);
    const postedAt = Math.max(...shown.map((m) => Date.parse(m.cardStartedAt ?? m.createdAt)));
    if (!(Date.now() - postedAt <= APPEND_WITHIN_MS)) return undefined;
    // An agent's note in the thread after the card keeps the card where it is.
    const notes = await store.listNotes(thread.id);
    if (notes.some((n) => Date.parse(n.createdAt) > postedAt)) return undefined;
    return { activityId: last.teamsActivityId, shown };
  };

  const createThread = async (thread: Thread, route: Route, waiting: readonly Message[]) => {
    const head = waiting[0] as Message;
    // An agent's first message (text, a WhatsApp template) heads the root card and gets its own
    // card after it, so its delivery status shows; customer messages are the root card.
    const shown = head.direction === 'inbound' ? customerRun(waiting) : [head];
    const count = fitting(shown, (ms) => rootCard(thread, ms));
    const root = shown.slice(0, count);
    warnInterrupted(root);
    const created = await teams.createThread(
      route.conversationRef,
      route.teamsChannelId,
      rootCard(thread, root),
      () => store.markCardStarted(root.map((m) => m.id)),
    );
    const carded = head.direction === 'inbound' ? root.map((m) => m.id) : [];
    await store.setThreadPosted(
      thread.id,
      created.conversationId,
      created.rootActivityId,
      created.ref,
      carded,
    );
  };

  const postReply = async (thread: Thread, waiting: readonly Message[]) => {
    if (!thread.conversationRef) throw new PermanentJobError(`thread ${thread.id} has no Teams reference`);
    const head = waiting[0] as Message;
    if (head.direction === 'outbound') {
      warnInterrupted([head]);
      const id = await teams.post(thread.conversationRef, messageCard(thread, head), () =>
        store.markCardStarted(head.id),
      );
      await store.setMessageCard(head.id, id, cardState(head));
      // A receipt that came while the card was on its way found no card to update.
      const latest = await store.getMessage(head.id);
      if (latest && cardState(latest) !== cardState(head))
        await store.enqueue(updateCardJob(thread.id, head.id));
      return;
    }
    const run = customerRun(waiting);
    // An opt-out is news for the whole team: it gets a post, not an update nobody is told of.
    const target = run.some((m) => m.optOut) ? undefined : await appendTarget(thread);
    if (target) {
      const isRoot = target.activityId === thread.rootActivityId;
      const render = (ms: readonly Message[]) =>
        isRoot ? rootCard(thread, [...target.shown, ...ms]) : inboundCard(thread, [...target.shown, ...ms]);
      const count = fitting(run, render, 0);
      if (count > 0) {
        const added = run.slice(0, count);
        await store.markCardStarted(added.map((m) => m.id));
        // An update is idempotent: after a crash it is made again with the same messages.
        await teams.update(thread.conversationRef, target.activityId, render(added));
        await store.setMessageCard(
          added.map((m) => m.id),
          target.activityId,
        );
        return;
      }
    }
    const count = fitting(run, (ms) => inboundCard(thread, ms));
    const shown = run.slice(0, count);
    warnInterrupted(shown);
    const id = await teams.post(thread.conversationRef, inboundCard(thread, shown), () =>
      store.markCardStarted(shown.map((m) => m.id)),
    );
    await store.setMessageCard(
      shown.map((m) => m.id),
      id,
    );
  };

  /** One call to Teams with the token taken: whatever waits now, as few cards as fit. */
  const postNext = async (threadId: string, route: Route | undefined) => {
    const thread = await store.getThread(threadId);
    if (!thread) throw new PermanentJobError(`thread ${threadId} no longer exists`);
    const waiting = await store.listUncarded(thread.id);
    if (waiting.length === 0) return;
    if (!thread.conversationId) {
      if (!route) throw new PermanentJobError(`thread ${thread.id} has no route to post to`);
      await createThread(thread, route, waiting);
    } else {
      await postReply(thread, waiting);
    }
  };

  return {
    async run(job: Job) {
      const first = await threadOfJob(store, job.ref);
      if (!first) throw new PermanentJobError(`thread ${job.ref} no longer exists`);
      for (;;) {
        const thread = await store.getThread(first.id);
        if (!thread) throw new PermanentJobError(`thread ${first.id} no longer exists`);
        if ((await store.listUncarded(thread.id)).length === 0) return;
        let route: Route | undefined;
        let op: TeamsOp;
        if (thread.conversationId) {
          op = { thread: channelOf(thread.conversationId), kind: 'send' };
        } else {
          route = await store.findRoute(thread.provider, thread.businessNumber);
          if (!route)
            throw new ParkJob(`no channel is linked to ${thread.provider} ${thread.businessNumber} yet`);
          op = { thread: route.teamsChannelId, kind: 'create' };
        }
        await teams.withToken(op, 'conversation', () => postNext(thread.id, route));
      }
    },
  };
}
