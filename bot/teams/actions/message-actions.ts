/** Retry on a failed outbound card. */
import { RETRYABLE } from '../../store/delivery-state.ts';
import { messageCard } from '../message-cards.ts';
import { homeThread } from './thread-actions.ts';
import { type ActionHandler, ActionRefused, field } from './types.ts';

export const retry: ActionHandler = async (ctx) => {
  const id = field(ctx.data, 'messageId');
  const message = await ctx.store.getMessage(id);
  if (message?.direction !== 'outbound') throw new ActionRefused('this message no longer exists');
  await homeThread(ctx, message.threadId);
  await ctx.access.requireMember(ctx.turn, 'send to customers');
  if (!RETRYABLE.has(message.status))
    throw new ActionRefused(`the message is ${message.status}, not failed or unconfirmed`);
  // Idempotent: a second click (or a redelivered invoke) finds the retry already made.
  await ctx.store.retryMessage(id, { authorName: ctx.user.name, authorId: ctx.user.id });
  const after = await ctx.store.getMessage(id);
  const thread = after && (await ctx.store.getThread(after.threadId));
  if (!after || !thread) throw new ActionRefused('this message no longer exists');
  return messageCard(thread, after);
};
