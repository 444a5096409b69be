import { ProviderNotFoundError, ProviderNotSupportedError } from '../../adapters/errors.ts';
import type { Provider } from '../../adapters/types.ts';
import { renderJobCard } from '../../cards/job.ts';
import { SHORT_ID_LENGTH } from '../../cards/message-id.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import { renderStatusCard } from '../../cards/status.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { Message, Store, StoredReceipt, Thread } from '../store/types.ts';
import { displayNumber } from './phone.ts';
import { threadOf } from './thread-of.ts';
import { type Command, type CommandContext, UsageError } from './types.ts';

export const status: Command = {
  name: 'status',
  usage: 'status [message-or-job-id]',
  description:
    "Shows a message's delivery timeline (the ID on its card, our full id or the provider's; in a customer's thread, its latest message), or a Retarus job.",
  example: 'status e5f60718',
  async run(ctx) {
    const { args, store, providers, reply } = ctx;
    const id = args[0];
    if (!id) {
      const latest = await latestOfThread(ctx);
      if (!latest) {
        throw new UsageError(
          'Name the message id (the ID on its card, or the provider’s) or a Retarus job id.',
        );
      }
      await reply(
        messageStatusCard(latest.message, latest.thread, await store.listReceipts(latest.message.id)),
      );
      return;
    }
    const message = (await store.findMessage(id)) ?? (await byShortId(store, id));
    if (message === 'ambiguous') {
      await reply(
        renderNoticeCard({
          title: `Several messages end in ${id}`,
          text: 'Give more of the id: the full id is on the status card of each.',
          style: 'warning',
        }),
      );
      return;
    }
    if (message) {
      const thread = await store.getThread(message.threadId);
      const receipts = await store.listReceipts(message.id);
      await reply(messageStatusCard(message, thread, receipts));
      return;
    }
    const jobs = providers.retarus?.capabilities.jobs;
    if (jobs && /^J\./.test(id)) {
      const [job, recipients] = await Promise.all([jobs.getJob(id), jobs.getJobRecipients(id)]);
      await reply(renderJobCard({ ...job, recipients }));
      return;
    }
    // Not ours: perhaps a message sent outside the bot; ask the providers that can look it up.
    // Each provider's answer is named: "not found at sinch" is not "could not ask retarus".
    const facts: Array<{ title: string; value: string }> = [];
    for (const provider of Object.values(providers).filter((p): p is Provider => p !== undefined)) {
      let found: Awaited<ReturnType<Provider['getStatus']>> | undefined;
      try {
        found = await provider.getStatus(id);
      } catch (err) {
        facts.push(lookupFact(provider.id, err));
        continue;
      }
      await reply(
        renderStatusCard({
          messageId: id,
          known: false,
          provider: provider.id,
          direction: 'outbound',
          customer: '',
          business: '',
          text: '(sent outside textbridge)',
          status: found.status,
          reason: found.reason ?? (found.status === 'unknown' ? found.vendorStatus : undefined),
          providerMessageId: found.providerMessageId,
          timeline: [
            {
              status: found.status,
              at: new Date().toISOString(),
              vendorStatus: found.vendorStatus,
              code: found.code,
            },
          ],
        }),
      );
      return;
    }
    const unasked = facts.filter((f) => f.title.startsWith('Could not ask'));
    await reply(
      renderNoticeCard({
        title: 'Not found',
        text:
          unasked.length === 0
            ? `No message or job "${id}" is known here or at the enabled providers. Copy the id from a card or from the provider's portal.`
            : `No message or job "${id}" is known here, and not every provider could be asked, so it may still exist there.`,
        style: 'warning',
        facts,
      }),
    );
  },
};

/** What one provider's lookup said: not found there, no lookup at all, or could not be asked. */
function lookupFact(provider: string, err: unknown): { title: string; value: string } {
  if (err instanceof ProviderNotFoundError)
    return { title: `Not found at ${provider}`, value: 'it has no such id' };
  if (err instanceof ProviderNotSupportedError)
    return { title: `Not asked: ${provider}`, value: err.message };
  return { title: `Could not ask ${provider}`, value: err instanceof Error ? err.message : String(err) };
}

/** In a customer thread: its latest message from an agent, else its latest message. */
async function latestOfThread(ctx: CommandContext) {
  const thread = await threadOf(ctx);
  if (!thread) return undefined;
  const messages = await ctx.store.listMessages(thread.id);
  const message = messages.findLast((m) => m.direction === 'outbound') ?? messages.at(-1);
  return message ? { thread, message } : undefined;
}

/** The message a card's short ID names (cards/message-id.ts), when exactly one does. */
async function byShortId(store: Store, id: string): Promise<Message | 'ambiguous' | undefined> {
  if (id.length !== SHORT_ID_LENGTH) return undefined;
  const found = await store.findMessagesByShortId(id);
  return found.length > 1 ? 'ambiguous' : found[0];
}

/** Where one of our messages is: every receipt as the provider sent it, or its timeline. */
export function messageStatusCard(
  message: Message,
  thread: Thread | undefined,
  receipts: StoredReceipt[],
): AdaptiveCard {
  return renderStatusCard({
    messageId: message.id,
    provider: message.provider,
    direction: message.direction,
    customer: thread ? displayNumber(thread.customerNumber, thread.provider) : '',
    business: thread ? displayNumber(thread.businessNumber, thread.provider) : '',
    text: message.body,
    status: toCard(message.status),
    reason: message.reason,
    providerMessageId: message.providerMessageId,
    timeline: (receipts.length > 0 ? receipts : message.timeline).map((r) => ({
      status: toCard(r.status),
      at: r.at,
      vendorStatus: r.vendorStatus,
      code: r.code,
    })),
  });
}

function toCard(s: string) {
  return (s === 'received' ? 'delivered' : s) as Parameters<typeof renderStatusCard>[0]['status'];
}
