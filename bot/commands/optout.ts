import type { Provider } from '../../adapters/types.ts';
import type { NoticeFact } from '../../cards/notice.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import { normalizePhone } from './phone.ts';
import { numberOrThreadCustomer } from './thread-of.ts';
import type { Command, CommandContext } from './types.ts';

/**
 * Tells every provider that keeps its own opt-in list (SmartDialog's WhatsApp opt-in, deprecated
 * there but still among the connector's actions) about the change; each outcome becomes a fact.
 */
async function atProviders(ctx: CommandContext, number: string, optedOut: boolean): Promise<NoticeFact[]> {
  const facts: NoticeFact[] = [];
  for (const provider of Object.values(ctx.providers).filter((p): p is Provider => p !== undefined)) {
    const optIn = provider.capabilities.optIn;
    if (!optIn) continue;
    const sender = provider.defaultSender;
    if (!sender) {
      facts.push({ title: provider.id, value: 'not told: no default sender (its WhatsApp number) is set' });
      continue;
    }
    try {
      await (optedOut ? optIn.optOut(sender, number) : optIn.optIn(sender, number));
      facts.push({
        title: provider.id,
        value: `${optedOut ? 'opted out' : 'opted in'} at the provider too (from ${sender})`,
      });
    } catch (err) {
      facts.push({ title: provider.id, value: `could not tell it: ${(err as Error).message}` });
    }
  }
  return facts;
}

/** The sandbox runs alone, and its customers' numbers are fictional. */
const typedNumber = (ctx: CommandContext) => (typed: string | undefined) =>
  normalizePhone(typed, ctx.providers.sandbox ? 'form' : 'valid');

export const optout: Command = {
  name: 'optout',
  usage: 'optout [number]',
  description:
    "Marks a customer number (in a customer's thread: that customer) as opted out: nothing is sent to it until `optin`; providers with their own opt-in list (SmartDialog WhatsApp) are told too.",
  example: 'optout +61491570156',
  async run(ctx) {
    const number = await numberOrThreadCustomer(ctx, typedNumber(ctx));
    const changed = await ctx.store.setOptOut(number, true, ctx.turn.activity.from?.name ?? 'an agent');
    const facts = await atProviders(ctx, number, true);
    await ctx.reply(
      renderNoticeCard({
        title: 'Opted out',
        text: `${number} gets no more messages from textbridge until someone types \`optin ${number}\`.${changed.threads > 0 ? ` ${changed.threads} conversation card${changed.threads === 1 ? '' : 's'} now show it.` : ''}`,
        style: 'warning',
        facts,
      }),
    );
  },
};

export const optin: Command = {
  name: 'optin',
  usage: 'optin [number]',
  description:
    "Lifts an opt-out (in a customer's thread: that customer's), after the customer agreed to receive messages again; providers with their own opt-in list (SmartDialog WhatsApp) are told too.",
  example: 'optin +61491570156',
  async run(ctx) {
    const number = await numberOrThreadCustomer(ctx, typedNumber(ctx));
    await ctx.store.setOptOut(number, false, ctx.turn.activity.from?.name ?? 'an agent');
    const facts = await atProviders(ctx, number, false);
    await ctx.reply(
      renderNoticeCard({
        title: 'Opted in',
        text: `${number} can receive messages again.`,
        style: 'good',
        facts,
      }),
    );
  },
};
