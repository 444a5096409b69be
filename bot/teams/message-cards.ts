/** Renders the card of a stored message, as it should look now. */
import { randomUUID } from 'node:crypto';
import { renderCustomerThreadCard } from '../../cards/customer-thread.ts';
import type { FoldedMessage } from '../../cards/folded.ts';
import { renderInboundMessageCard } from '../../cards/inbound-message.ts';
import { renderOutboundMessageCard } from '../../cards/outbound-message.ts';
import type { AdaptiveCard, CardMedia, CardStatus } from '../../cards/types.ts';
import { displayNumber } from '../commands/phone.ts';
import { mediaHref } from '../http/media-links.ts';
import type { Message, MessageStatus, Store, Thread } from '../store/types.ts';

const cardStatus = (s: MessageStatus): CardStatus => (s === 'received' ? 'unknown' : s);

/**
 * The customer card at the root of the thread, with its Reply box and buttons, and the messages it
 * shows: the first, or several that waited for the thread together (oldest first). A new nonce on
 * every rendering (see CustomerThreadCardData.replyNonce); pictures pass a fixed one.
 */
export function rootCard(
  thread: Thread,
  shown: Message | readonly Message[],
  replyNonce = randomUUID(),
): AdaptiveCard {
  const messages = Array.isArray(shown) ? (shown as readonly Message[]) : [shown as Message];
  const first = messages[0] as Message;
  return renderCustomerThreadCard({
    customer: displayNumber(thread.customerNumber, thread.provider),
    provider: thread.provider,
    channel: first.channel,
    businessNumber: displayNumber(thread.businessNumber, thread.provider),
    text:
      first.direction === 'outbound' ? `${first.authorName ?? 'An agent'} wrote: ${first.body}` : first.body,
    media: cardMedia(first.media),
    receivedAt: first.createdAt,
    ...(messages.length > 1 ? { messages: messages.map(folded) } : {}),
    optedOut: thread.optedOut,
    threadId: thread.id,
    state: thread.state,
    ...(thread.assignee ? { assignee: thread.assignee } : {}),
    replyNonce,
  });
}

/** A card of one or several customer messages, as a reply in the thread (oldest first). */
export function inboundCard(thread: Thread, messages: readonly Message[]): AdaptiveCard {
  const first = messages[0] as Message;
  return renderInboundMessageCard({
    from: displayNumber(thread.customerNumber, thread.provider),
    channel: first.channel,
    text: first.body,
    media: cardMedia(first.media),
    receivedAt: first.createdAt,
    optOut: first.optOut,
    ...(messages.length > 1 ? { messages: messages.map(folded) } : {}),
  });
}

export function messageCard(thread: Thread, message: Message): AdaptiveCard {
  // The thread's root post is the customer card, whichever message it was created for.
  if (message.teamsActivityId && message.teamsActivityId === thread.rootActivityId)
    return rootCard(thread, message);
  if (message.direction === 'inbound') return inboundCard(thread, [message]);
  return renderOutboundMessageCard({
    agent: message.authorName ?? 'Agent',
    text: message.body,
    channel: message.channel,
    provider: message.provider,
    to: displayNumber(thread.customerNumber, thread.provider),
    status: cardStatus(message.status),
    reason: message.reason,
    ...noteOf(message),
    timeline: message.timeline.map((t) => ({
      status: cardStatus(t.status),
      at: t.at,
      ...(t.note ? { note: t.note } : {}),
    })),
    messageId: message.id,
    ...(message.retriedAs ? { retriedAs: message.retriedAs } : {}),
  });
}

/** The card that shows `message`, as it should look now, with every message it shows. */
export async function cardOf(store: Store, thread: Thread, message: Message): Promise<AdaptiveCard> {
  if (message.direction === 'outbound' || !message.teamsActivityId) return messageCard(thread, message);
  const shown = await store.listCardMessages(message.teamsActivityId);
  const messages = shown.length > 0 ? shown : [message];
  return message.teamsActivityId === thread.rootActivityId
    ? rootCard(thread, messages)
    : inboundCard(thread, messages);
}

/**
 * What an outbound message's card shows that can change: an update whose state equals the one
 * recorded when the card was last sent would change nothing, and is not made.
 */
export function cardState(message: Message): string {
  return [
    message.status,
    message.timeline.length,
    message.channel,
    message.retriedAs ?? '',
    message.reason ?? '',
  ].join('|');
}

/** The root card of a thread as it should look now (after a claim, a resolve, an opt-out, …). */
export async function rootCardOf(store: Store, threadId: string): Promise<AdaptiveCard | undefined> {
  const thread = await store.getThread(threadId);
  if (!thread) return undefined;
  const shown = thread.rootActivityId ? await store.listCardMessages(thread.rootActivityId) : [];
  if (shown.length > 0) return rootCard(thread, shown);
  const [first] = await store.listMessages(threadId);
  return first ? rootCard(thread, first) : undefined;
}

function folded(m: Message): FoldedMessage {
  return { text: m.body, receivedAt: m.createdAt, media: cardMedia(m.media), optOut: m.optOut };
}

/** The latest note of the timeline (a channel fallback), shown under the status. */
function noteOf(message: Message): { note?: string } {
  const note = message.timeline.findLast((t) => t.note)?.note;
  return note ? { note } : {};
}

/** What a card shows of stored media: name, type and, when the bot has a public URL, a signed link. */
function cardMedia(media: Message['media']): CardMedia[] {
  return media.map((m) => {
    const href = mediaHref(m.id);
    return {
      ...(m.name ? { name: m.name } : {}),
      ...(m.contentType ? { contentType: m.contentType } : {}),
      ...(href ? { href } : {}),
      ...(m.tooLarge ? { tooLarge: true } : {}),
    };
  });
}
