/** The customer thread a command was typed in: commands then act on that thread's customer. */
import type { Thread } from '../store/types.ts';
import type { CommandContext } from './types.ts';

export async function threadOf(ctx: Pick<CommandContext, 'turn' | 'store'>): Promise<Thread | undefined> {
  const conversationId = ctx.turn.activity.conversation?.id ?? '';
  if (!conversationId.includes(';messageid=')) return undefined;
  return ctx.store.getThreadByConversation(conversationId);
}

/** The number typed after the command, else the customer of the thread it was typed in. */
export async function numberOrThreadCustomer(
  ctx: Pick<CommandContext, 'turn' | 'store' | 'args'>,
  normalize: (typed: string | undefined) => string,
): Promise<string> {
  const typed = ctx.args.join('');
  if (typed) return normalize(typed);
  const thread = await threadOf(ctx);
  return thread ? thread.customerNumber : normalize(undefined);
}
