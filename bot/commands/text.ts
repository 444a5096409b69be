import { randomUUID } from 'node:crypto';
import type { ProviderId } from '../../adapters/types.ts';
import { renderNewConversationCard } from '../../cards/new-conversation.ts';
import { countSegments } from '../../cards/segments.ts';
import { renderSendPreviewCard } from '../../cards/send-preview.ts';
import { DEFAULT_SENDER_SETTING } from '../config.ts';
import { textProblem } from '../text-fit.ts';
import { currentChannel } from './channel.ts';
import { normalizePhone } from './phone.ts';
import { enabledProvider, PROVIDER_IDS } from './provider-of.ts';
import { startText } from './start-text.ts';
import { encodeTextRequest } from './text-request.ts';
import { type Command, type CommandContext, UsageError } from './types.ts';

/**
 * The number the text goes out from: `--from`, else the one number of the provider this channel
 * is linked to (the number its customers text), else the provider's configured default sender.
 */
async function senderFor(ctx: CommandContext, provider: ProviderId, defaultSender?: string) {
  const channel = currentChannel(ctx.turn);
  if (channel) {
    const numbers = new Set(
      (await ctx.store.listRoutes(channel.channelId))
        .filter((r) => r.provider === provider && r.businessNumber !== '*')
        .map((r) => r.businessNumber),
    );
    if (numbers.size === 1) return [...numbers][0];
  }
  if (defaultSender) return defaultSender;
  throw new UsageError(
    `${provider} has no default sender`,
    'Say which number or sender id to text from: add `--from <sender>` (`senders` lists them), ' +
      `link this channel to one number (\`link ${provider} <number>\`), or set ${DEFAULT_SENDER_SETTING[provider as keyof typeof DEFAULT_SENDER_SETTING]}.`,
  );
}

/** Reads `<number> [--via p] [--from s] <message>` off the raw text, keeping the message as typed. */
function parse(rest: string): { number?: string; via?: string; from?: string; message: string } {
  const out: { number?: string; via?: string; from?: string; message: string } = { message: '' };
  let remaining = rest;
  for (;;) {
    const match = /^(\S+)\s*/.exec(remaining);
    if (!match) break;
    const word = match[1] ?? '';
    if (word === '--via' || word === '--from') {
      const value = /^\S+\s+(\S+)\s*/.exec(remaining);
      if (!value) throw new UsageError(`${word} needs a value`);
      out[word === '--via' ? 'via' : 'from'] = value[1];
      remaining = remaining.slice(value[0].length);
    } else if (word.startsWith('--')) {
      throw new UsageError(`unknown option ${word} (known: --via, --from)`);
    } else if (out.number === undefined) {
      out.number = word;
      remaining = remaining.slice(match[0].length);
    } else break;
  }
  out.message = remaining.trim();
  return out;
}

export const text: Command = {
  name: 'text',
  usage: 'text <number> [--via <provider>] [--from <sender>] <message>',
  description:
    'Texts a customer first: starts a new thread with your message (long texts show their SMS segments first).',
  example: 'text +61491570156 --via sinch Your order 4711 has shipped.',
  async run(ctx) {
    // Without arguments: the New conversation dialog, through a card button.
    if (!ctx.rest.trim()) {
      await ctx.reply(renderNewConversationCard());
      return;
    }
    const { number, via, from, message } = parse(ctx.rest);
    const to = normalizePhone(number);
    if (!message) throw new UsageError('Write the message after the number.');
    await ctx.access.requireMember(ctx.turn, 'text customers');
    const enabled = PROVIDER_IDS.filter((p) => ctx.providers[p]);
    if (via && !(PROVIDER_IDS as readonly string[]).includes(via)) {
      throw new UsageError(
        `"${via}" is not a provider. Choose one of: ${enabled.join(', ') || 'none enabled'}.`,
      );
    }
    if (!via && enabled.length > 1)
      throw new UsageError(`Say which provider with --via: ${enabled.join(', ')}.`);
    const provider = enabledProvider(ctx, (via ?? enabled[0] ?? 'sinch') as ProviderId);
    const channel = provider.defaultChannel ?? 'sms';
    const problem = textProblem(provider, channel, message);
    if (problem) throw new UsageError('the message does not fit', `${problem}.`);
    const sender = from ?? (await senderFor(ctx, provider.id, provider.defaultSender));
    // The nonce makes the preview's token (and so its dedupe key) this command's own.
    const nonce = ctx.turn.activity.id ?? randomUUID();
    const request = { provider: provider.id, to, from: sender, text: message, nonce };
    const token = encodeTextRequest(request);
    const author = { name: ctx.turn.activity.from?.name ?? 'Agent', id: ctx.turn.activity.from?.aadObjectId };
    // Segments are what SMS bills; RCS and WhatsApp are not split.
    if (channel === 'sms' && countSegments(message).segments > 1) {
      await ctx.reply(renderSendPreviewCard({ token, to, provider: provider.id, sender, text: message }));
      return;
    }
    const key = `text:${ctx.turn.activity.id ?? randomUUID()}`;
    await ctx.reply(await startText(ctx.store, request, author, key, provider));
  },
};
