/** Reply, Claim/Unassign and Resolve/Reopen on the customer card. */
import { createHash } from 'node:crypto';
import { REPLY_INPUT_ID } from '../../../cards/actions.ts';
import type { Store, Thread } from '../../store/types.ts';
import { rootCardOf } from '../../worker/message-cards.ts';
import { type ActionContext, type ActionHandler, ActionRefused, field } from './types.ts';

async function threadOf(store: Store, data: Record<string, unknown>): Promise<Thread> {
  const thread = await store.getThread(field(data, 'threadId'));
  if (!thread) throw new ActionRefused('this conversation no longer exists');
  return thread;
}

async function refreshed(ctx: ActionContext, threadId: string) {
  const card = await rootCardOf(ctx.store, threadId);
  if (!card) throw new ActionRefused('this conversation no longer exists');
  return card;
}

export const reply: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx.store, ctx.data);
  const text =
    typeof ctx.data[REPLY_INPUT_ID] === 'string' ? (ctx.data[REPLY_INPUT_ID] as string).trim() : '';
  if (!text) throw new ActionRefused('write the reply in the box first');
  if (thread.optedOut)
    throw new ActionRefused(`${thread.customerNumber} has opted out (STOP); nothing was sent`);
  // A double click sends the same text from the same rendering of the card twice: one message.
  // Each rendering carries a new nonce, so the same text sent again later is a new message.
  const card = ctx.turn.activity.replyToId ?? ctx.turn.activity.id ?? '';
  const nonce = typeof ctx.data['replyNonce'] === 'string' ? ctx.data['replyNonce'] : '';
  const digest = createHash('sha256')
    .update(`${card}\n${nonce}\n${ctx.user.id}\n${text}`)
    .digest('hex')
    .slice(0, 32);
  await ctx.store.recordAgentReply({
    activityId: `card-reply:${digest}`,
    threadId: thread.id,
    text,
    authorName: ctx.user.name,
    authorId: ctx.user.id,
  });
  return refreshed(ctx, thread.id);
};

export const claim: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx.store, ctx.data);
  await ctx.store.setAssignee(thread.id, ctx.user.name);
  return refreshed(ctx, thread.id);
};

export const unassign: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx.store, ctx.data);
  await ctx.store.setAssignee(thread.id, undefined);
  return refreshed(ctx, thread.id);
};

export const resolve: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx.store, ctx.data);
  await ctx.store.setThreadState(thread.id, 'resolved');
  return refreshed(ctx, thread.id);
};

export const reopen: ActionHandler = async (ctx) => {
  const thread = await threadOf(ctx.store, ctx.data);
  await ctx.store.setThreadState(thread.id, 'open');
  return refreshed(ctx, thread.id);
};
