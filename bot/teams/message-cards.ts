/** Renders the card of a stored message, as it should look now. */
import { randomUUID } from 'node:crypto';
import { renderCustomerThreadCard } from '../../cards/customer-thread.ts';
import { renderInboundMessageCard } from '../../cards/inbound-message.ts';
import { renderOutboundMessageCard } from '../../cards/outbound-message.ts';
import type { AdaptiveCard, CardMedia, CardStatus } from '../../cards/types.ts';
import { displayNumber } from '../commands/phone.ts';
import { mediaHref } from '../http/media-links.ts';
import type { Message, MessageStatus, Store, Thread } from '../store/types.ts';

const cardStatus = (s: MessageStatus): CardStatus => (s === 'received' ? 'unknown' : s);

/**
 * The customer card at the root of the thread, with its Reply box and buttons. A new nonce on
 * every rendering (see CustomerThreadCardData.replyNonce); pictures pass a fixed one.
 */
export function rootCard(thread: Thread, first: Message, replyNonce = randomUUID()): AdaptiveCard {
  return renderCustomerThreadCard({
    customer: displayNumber(thread.customerNumber),
    provider: thread.provider,
    channel: first.channel,
    businessNumber: displayNumber(thread.businessNumber),
    text:
      first.direction === 'outbound' ? `${first.authorName ?? 'An agent'} wrote: ${first.body}` : first.body,
    media: cardMedia(first.media),
    receivedAt: first.createdAt,
    optedOut: thread.optedOut,
    threadId: thread.id,
    state: thread.state,
    ...(thread.assignee ? { assignee: thread.assignee } : {}),
    replyNonce,
  });
}

export function messageCard(thread: Thread, message: Message): AdaptiveCard {
  // The thread's root post is the customer card, whichever message it was created for.
  if (message.teamsActivityId && message.teamsActivityId === thread.rootActivityId)
    return rootCard(thread, message);
  if (message.direction === 'inbound') {
    return renderInboundMessageCard({
      from: displayNumber(thread.customerNumber),
      channel: message.channel,
      text: message.body,
      media: cardMedia(message.media),
      receivedAt: message.createdAt,
      optOut: message.optOut,
    });
  }
  return renderOutboundMessageCard({
    agent: message.authorName ?? 'Agent',
    text: message.body,
    channel: message.channel,
    provider: message.provider,
    to: displayNumber(thread.customerNumber),
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

/** The root card of a thread as it should look now (after a claim, a resolve, an opt-out, …). */
export async function rootCardOf(store: Store, threadId: string): Promise<AdaptiveCard | undefined> {
  const thread = await store.getThread(threadId);
  if (!thread) return undefined;
  const messages = await store.listMessages(threadId);
  const first = messages.find((m) => m.teamsActivityId === thread.rootActivityId) ?? messages[0];
  return first ? rootCard(thread, first) : undefined;
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
