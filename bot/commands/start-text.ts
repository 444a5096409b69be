/** Starts (or continues) the customer's thread with an agent's first message. */
import type { Provider } from '../../adapters/types.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { Store } from '../store/types.ts';
import type { TextRequest } from './text-request.ts';

/** The answer to a send a customer's STOP refuses. */
export function optedOutCard(number: string): AdaptiveCard {
  return renderNoticeCard({
    title: 'Not sent: the customer opted out',
    text: `${number} asked to receive no more messages (STOP). An agent can undo that with \`optin ${number}\` once the customer agrees.`,
    style: 'attention',
  });
}

export async function startText(
  store: Store,
  req: TextRequest,
  author: { name: string; id?: string },
  dedupeKey: string,
  provider: Pick<Provider, 'defaultSender' | 'defaultChannel'>,
): Promise<AdaptiveCard> {
  const defaultSender = provider.defaultSender;
  if (await store.isOptedOut(req.to)) return optedOutCard(req.to);
  const businessNumber = req.from ?? defaultSender;
  if (!businessNumber) {
    // `text` always names the sender; a preview card made before it did may not.
    return renderNoticeCard({
      title: 'Not sent: no sender',
      text: `${req.provider} has no default sender. Type the command again with \`--from <sender>\`.`,
      style: 'attention',
    });
  }
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
  return renderNoticeCard({
    title: outcome.duplicate ? 'Already sent' : 'Message queued',
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
