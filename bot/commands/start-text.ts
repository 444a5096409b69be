/** Starts (or continues) the customer's thread with an agent's first message. */
import type { Provider } from '../../adapters/types.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { Route, Store } from '../store/types.ts';
import type { TextBatch, TextRequest } from './text-request.ts';

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
    ...(req.options ? { options: req.options } : {}),
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

/**
 * The same text to several customers (`text` with more than one number): one thread and one
 * message each, queued together, so the worker hands them to the provider in as few calls as it
 * takes (Sinch: 100 a call). Each number has its own dedupe key under `dedupeKey`.
 */
export async function startTexts(
  store: Store,
  batch: TextBatch,
  author: { name: string; id?: string },
  dedupeKey: string,
  provider: SendingProvider,
): Promise<AdaptiveCard> {
  const [only] = batch.to;
  if (batch.to.length === 1 && only)
    return startText(store, { ...batch, to: only }, author, dedupeKey, provider);
  // Concurrent, so the store's group commit writes them in one transaction and the worker
  // finds every send ready at once.
  const outcomes = await Promise.all(
    batch.to.map((to) => queueText(store, { ...batch, to }, author, `${dedupeKey}:${to}`, provider)),
  );
  if (outcomes.some((o) => o.status === 'no-sender')) {
    return renderNoticeCard({
      title: 'Not sent: no sender',
      text: `${batch.provider} has no default sender. Type the command again with \`--from <sender>\`.`,
      style: 'attention',
    });
  }
  const by = (status: TextOutcome['status']) => batch.to.filter((_, i) => outcomes[i]?.status === status);
  const queued = by('queued');
  const optedOut = by('opted-out');
  const first = outcomes.find((o) => o.status === 'queued' || o.status === 'duplicate');
  const route = first && 'route' in first ? first.route : undefined;
  return renderNoticeCard({
    title: queued.length > 0 ? `Message queued to ${queued.length} customers` : 'Nothing new sent',
    text: route
      ? `Each conversation continues in ${route.channelName ?? 'the linked channel'}; each card shows its delivery status.`
      : `No channel is linked to ${batch.provider} yet: the messages are sent now, and the threads appear once a channel is linked.`,
    style: queued.length > 0 ? 'good' : 'warning',
    facts: [
      ...(queued.length > 0 ? [{ title: 'To', value: queued.join(', ') }] : []),
      ...(by('duplicate').length > 0 ? [{ title: 'Already sent', value: by('duplicate').join(', ') }] : []),
      ...(optedOut.length > 0 ? [{ title: 'Not sent (opted out)', value: optedOut.join(', ') }] : []),
      { title: 'Via', value: `${batch.provider}${batch.from ? ` from ${batch.from}` : ''}` },
    ],
  });
}
