/**
 * What an agent's answer in a customer thread must pass before it is queued, the same for a
 * mention in the thread and for the card's Reply box: it must fit its provider and channel.
 */
import type { Provider, ProviderId } from '../../adapters/types.ts';
import { replyChannel } from '../reply-channel.ts';
import type { Thread } from '../store/types.ts';
import { textProblem } from '../text-fit.ts';

export type ReplyVerdict = { ok: true } | { ok: false; title: string; problem: string };

export function checkAgentReply(
  providers: Partial<Record<ProviderId, Provider>>,
  thread: Thread,
  text: string,
): ReplyVerdict {
  const provider = providers[thread.provider];
  // A provider that is no longer enabled is the send job's to report, on the message's card.
  if (!provider) return { ok: true };
  const problem = textProblem(provider, replyChannel(thread.channel), text);
  return problem ? { ok: false, title: 'Not sent: the answer does not fit', problem } : { ok: true };
}
