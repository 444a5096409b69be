/**
 * What an agent's answer in a customer thread must pass before it is queued, the same for a
 * mention in the thread and for the card's Reply box: it must fit its provider and channel, and a
 * free-text WhatsApp answer must fall within WhatsApp's 24-hour customer service window (counted
 * from the customer's last message); outside it only an approved template may be sent.
 */
import type { Provider, ProviderId } from '../../adapters/types.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import { templatePicker } from '../commands/whatsapp.ts';
import { replyChannel } from '../reply-channel.ts';
import type { Store, Thread } from '../store/types.ts';
import { textProblem } from '../text-fit.ts';

/** WhatsApp's customer service window. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;

export type ReplyVerdict =
  | { ok: true }
  | { ok: false; title: string; problem: string; picker?: AdaptiveCard };

export async function checkAgentReply(
  deps: { store: Store; providers: Partial<Record<ProviderId, Provider>> },
  thread: Thread,
  text: string,
  now = Date.now(),
): Promise<ReplyVerdict> {
  const provider = deps.providers[thread.provider];
  // A provider that is no longer enabled is the send job's to report, on the message's card.
  if (!provider) return { ok: true };
  const channel = replyChannel(thread.channel);
  const problem = textProblem(provider, channel, text);
  if (problem) return { ok: false, title: 'Not sent: the answer does not fit', problem };
  if (channel !== 'whatsapp') return { ok: true };
  const last = await lastInboundAt(deps.store, thread.id);
  if (last !== undefined && now - last <= WHATSAPP_WINDOW_MS) return { ok: true };
  const since =
    last === undefined
      ? 'The customer has not written yet'
      : `The customer last wrote ${Math.floor((now - last) / 3600_000)} hours ago`;
  const why = `${since}; WhatsApp allows free text only within 24 hours of the customer's last message, so your answer was held (not sent). Send an approved template instead`;
  const templates = provider.capabilities.templates;
  const picker = templates
    ? templatePicker(await templates.listTemplates(), { to: thread.customerNumber, note: `${why}.` })
    : undefined;
  return {
    ok: false,
    title: 'Held: outside the 24-hour WhatsApp window',
    problem: why,
    ...(picker ? { picker } : {}),
  };
}

async function lastInboundAt(store: Store, threadId: string): Promise<number | undefined> {
  const inbound = (await store.listMessages(threadId)).filter((m) => m.direction === 'inbound');
  const at = inbound.at(-1)?.createdAt;
  return at ? Date.parse(at) : undefined;
}
