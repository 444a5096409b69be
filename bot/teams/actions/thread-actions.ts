/** Reply, Claim/Unassign and Resolve/Reopen on the customer card. */
import { createHash } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import type { Provider, ProviderId } from '../../../adapters/types.ts';
import { REPLY_INPUT_ID } from '../../../cards/actions.ts';
import { toAttachment } from '../../../cards/attachment.ts';
import { MAX_AGENT_TEXT } from '../../../cards/limits.ts';
import type { AdaptiveCard } from '../../../cards/types.ts';
import type { IngestOutcome, Store, Thread } from '../../store/types.ts';
import { rootCardOf } from '../message-cards.ts';
import { checkAgentReply } from '../reply-gate.ts';
import { type ActionContext, type ActionHandler, ActionRefused, field } from './types.ts';

/** The card's thread, if it is one of this team's (a card of another team names a thread that is not). */
export async function homeThread(ctx: ActionContext, threadId: string): Promise<Thread> {
  const thread = await ctx.store.getThread(threadId);
  if (!thread || !ctx.access.sameHome(ctx.turn, thread))
    throw new ActionRefused('this conversation no longer exists');
  return thread;
}

const threadOf = (ctx: ActionContext) => homeThread(ctx, field(ctx.data, 'threadId'));

async function refreshed(ctx: ActionContext, threadId: string) {
  const card = await rootCardOf(ctx.store, threadId);
  if (!card) throw new ActionRefused('this conversation no longer exists');
  return card;
}

/** A reply that was not queued, with the template picker when WhatsApp's window held it. */
export class ReplyHeld extends ActionRefused {
  constructor(
    message: string,
    readonly picker?: AdaptiveCard,
  ) {
    super(message);
  }
}

/**
 * An agent's reply to the customer, from the card's Reply box or the Inbox: checked, then queued
 * once per `key` (the same click or submit arriving twice sends one message).
 */
export async function queueReply(
  store: Store,
  thread: Thread,
  rawText: string,
  user: { id: string; name: string },
  key: string,
  /** The enabled providers: with them the reply must also fit its provider and channel. */
  providers?: Partial<Record<ProviderId, Provider>>,
): Promise<IngestOutcome> {
  const text = rawText.trim();
  if (!text) throw new ActionRefused('write the reply in the box first');
  if (text.length > MAX_AGENT_TEXT)
    throw new ActionRefused(`the reply has ${text.length} characters; at most ${MAX_AGENT_TEXT} fit`);
  if (thread.optedOut)
    throw new ActionRefused(`${thread.customerNumber} has opted out (STOP); nothing was sent`);
  if (providers) {
    const verdict = await checkAgentReply({ store, providers }, thread, text);
    if (!verdict.ok) throw new ReplyHeld(verdict.problem, verdict.picker);
  }
  return store.recordAgentReply({
    activityId: key,
    threadId: thread.id,
    text,
    authorName: user.name,
    authorId: user.id,
  });
}

export const reply: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx);
  const text =
    typeof ctx.data[REPLY_INPUT_ID] === 'string' ? (ctx.data[REPLY_INPUT_ID] as string).trim() : '';
  await ctx.access.requireMember(ctx.turn, 'send to customers');
  // A double click sends the same text from the same rendering of the card twice: one message.
  // Each rendering carries a new nonce, so the same text sent again later is a new message.
  const card = ctx.turn.activity.replyToId ?? ctx.turn.activity.id ?? '';
  const nonce = typeof ctx.data['replyNonce'] === 'string' ? ctx.data['replyNonce'] : '';
  const digest = createHash('sha256')
    .update(`${card}\n${nonce}\n${ctx.user.id}\n${text}`)
    .digest('hex')
    .slice(0, 32);
  try {
    await queueReply(ctx.store, thread, text, ctx.user, `card-reply:${digest}`, ctx.providers);
  } catch (err) {
    // The template picker goes into the thread; the clicked card stays as it was.
    if (err instanceof ReplyHeld && err.picker) {
      await ctx.turn.sendActivity(MessageFactory.attachment(toAttachment(err.picker)));
    }
    throw err;
  }
  return refreshed(ctx, thread.id);
};

export const claim: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx);
  await ctx.store.setAssignee(thread.id, { name: ctx.user.name, id: ctx.user.id });
  return refreshed(ctx, thread.id);
};

export const unassign: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx);
  await ctx.store.setAssignee(thread.id, undefined);
  return refreshed(ctx, thread.id);
};

export const resolve: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx);
  await ctx.store.setThreadState(thread.id, 'resolved');
  return refreshed(ctx, thread.id);
};

export const reopen: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx);
  await ctx.store.setThreadState(thread.id, 'open');
  return refreshed(ctx, thread.id);
};
