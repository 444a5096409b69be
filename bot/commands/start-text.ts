/** Starts (or continues) the customer's thread with an agent's first message. */
import type { Provider } from '../../adapters/types.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { Route, Store } from '../store/types.ts';
import type { TextRequest } from './text-request.ts';

/** The answer to a send a customer's STOP refuses. */
export function optedOutCard(number: string): AdaptiveCard {
  return renderNoticeCard({
    title: 'Not sent: the customer opted out',
    text: `${number} asked to receive no more messages (STOP). An agent can undo that with \`optin ${number}\` once the customer agrees.`,
    style: 'attention',
  });
}

export type TextOutcome =
  | { status: 'opted-out' }
  | { status: 'no-sender' }
  | { status: 'queued' | 'duplicate'; threadId?: string; businessNumber: string; route?: Route };

type SendingProvider = Pick<Provider, 'defaultSender' | 'defaultChannel'>;

/**
 * The one path of an agent's first message to a customer (the `text` command, its preview card,
 * the Inbox's New conversation dialog): opt-out check, the sender, the store's conversation with
 * its card and send jobs, once per `dedupeKey`.
 */
export async function queueText(
  store: Store,
  req: TextRequest,
  author: { name: string; id?: string },
  dedupeKey: string,
  provider: SendingProvider,
): Promise<TextOutcome> {
  if (await store.isOptedOut(req.to)) return { status: 'opted-out' };
  const businessNumber = req.from ?? provider.defaultSender;
  if (!businessNumber) return { status: 'no-sender' };
  const outcome = await store.startConversation({
    provider: req.provider,
    businessNumber,
    customerNumber: req.to,
    channel: provider.defaultChannel ?? 'sms',
    text: req.text,
    authorName: author.name,
    authorId: author.id,
    dedupeKey,
  });
  const route = await store.findRoute(req.provider, businessNumber);
  return outcome.duplicate
    ? { status: 'duplicate', businessNumber, ...(route ? { route } : {}) }
    : { status: 'queued', threadId: outcome.threadId, businessNumber, ...(route ? { route } : {}) };
}

export async function startText(
  store: Store,
  req: TextRequest,
  author: { name: string; id?: string },
  dedupeKey: string,
  provider: SendingProvider,
): Promise<AdaptiveCard> {
  const outcome = await queueText(store, req, author, dedupeKey, provider);
  if (outcome.status === 'opted-out') return optedOutCard(req.to);
  if (outcome.status === 'no-sender') {
    // `text` always names the sender; a preview card made before it did may not.
    return renderNoticeCard({
      title: 'Not sent: no sender',
      text: `${req.provider} has no default sender. Type the command again with \`--from <sender>\`.`,
      style: 'attention',
    });
  }
  const { route, businessNumber } = outcome;
  return renderNoticeCard({
    title: outcome.status === 'duplicate' ? 'Already sent' : 'Message queued',
    text: route
      ? `The conversation with ${req.to} continues in ${route.channelName ?? 'the linked channel'}; its card shows the delivery status.`
      : `No channel is linked to ${req.provider} ${businessNumber} yet: the message is sent now, and the thread appears once a channel is linked.`,
    style: 'good',
    facts: [
      { title: 'To', value: req.to },
      { title: 'Via', value: `${req.provider}${req.from ? ` from ${req.from}` : ''}` },
    ],
  });
}
