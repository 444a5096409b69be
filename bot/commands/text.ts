import { randomUUID } from 'node:crypto';
import { isSenderId } from '../../adapters/phone-numbers.ts';
import type { Provider, ProviderId, SendOptions } from '../../adapters/types.ts';
import { renderNewConversationCard } from '../../cards/new-conversation.ts';
import { countSegments } from '../../cards/segments.ts';
import { renderSendPreviewCard } from '../../cards/send-preview.ts';
import { DEFAULT_SENDER_SETTING } from '../config.ts';
import { textProblem } from '../text-fit.ts';
import { currentChannel } from './channel.ts';
import { enabledProvider, PROVIDER_IDS } from './provider-of.ts';
import { startTexts } from './start-text.ts';
import { OPTION_FLAGS, parseTextArgs } from './text-args.ts';
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

/**
 * The provider `text` uses without --via: the only one enabled, else the only one this channel
 * is linked to. Otherwise the agent names it.
 */
async function providerOfChannel(ctx: CommandContext, enabled: ProviderId[]): Promise<ProviderId> {
  if (enabled.length <= 1) return enabled[0] ?? 'sinch';
  const channel = currentChannel(ctx.turn);
  const linked = channel
    ? [...new Set((await ctx.store.listRoutes(channel.channelId)).map((r) => r.provider))]
    : [];
  const only = linked.length === 1 ? linked[0] : undefined;
  if (only && only !== '*' && enabled.includes(only)) return only;
  throw new UsageError(
    `Say which provider with --via: ${enabled.join(', ')}.`,
    channel
      ? 'This channel is linked to more than one provider (or to none), so the bot cannot tell which one you mean.'
      : undefined,
  );
}

/** Options the provider cannot honour are refused, never dropped. */
function checkOptions(provider: Provider, options: SendOptions, message: string): void {
  const unsupported = (Object.keys(options) as Array<keyof SendOptions>).filter(
    (key) => !(provider.sendOptions ?? []).includes(key),
  );
  if (unsupported.length > 0) {
    throw new UsageError(
      `${unsupported.map((k) => OPTION_FLAGS[k]).join(', ')} ${unsupported.length === 1 ? 'does' : 'do'} not apply to ${provider.id}`,
      '--meta is for Sinch; --flash, --validity, --billcode, --blackout, --qos and --max-parts are for Retarus.',
    );
  }
  const metadata = Object.entries(options.metadata ?? {});
  // Sinch: at most 10 pairs, one of them our own message id; keys ≤100, values ≤256.
  if (metadata.length > 9) throw new UsageError(`--meta takes at most 9 pairs (Sinch keeps 10, one is ours)`);
  for (const [key, value] of metadata) {
    if (key === 'tb_message_id')
      throw new UsageError('--meta cannot set tb_message_id: it carries our message id');
    if (key.length > 100 || value.length > 256) {
      throw new UsageError(`--meta ${key.slice(0, 20)}…: keys take at most 100 characters, values 256`);
    }
  }
  const parts = options.maxParts;
  if (parts !== undefined && countSegments(message).segments > parts) {
    throw new UsageError(
      `the message needs ${countSegments(message).segments} SMS parts but --max-parts allows ${parts}`,
      'Retarus would cut the rest off: shorten the message or raise --max-parts (at most 20).',
    );
  }
}

export const text: Command = {
  name: 'text',
  usage:
    'text <number> [<number>…] [--via <provider>] [--from <sender>] [--meta key=value]… [--flash] [--validity <minutes>] [--billcode <code>] [--blackout <start/end>]… [--qos EXPRESS|NORMAL] [--max-parts <1-20>] <message>',
  description:
    'Texts customers first: one new thread per number, sent together (long texts show their SMS segments first); --meta is Sinch metadata, the other options are Retarus job options.',
  example: 'text +61491570156 +61491570157 --via sinch --meta order=4711 Your order 4711 has shipped.',
  async run(ctx) {
    // Without arguments: the New conversation dialog, through a card button.
    if (!ctx.rest.trim()) {
      await ctx.reply(renderNewConversationCard());
      return;
    }
    // The sandbox runs alone, and its customers' numbers are fictional.
    const { numbers, via, from, options, message } = parseTextArgs(
      ctx.rest,
      ctx.providers.sandbox ? 'form' : 'valid',
    );
    if (numbers.length === 0)
      throw new UsageError('Name the phone number, in international format: +358401234567.');
    if (!message) throw new UsageError('Write the message after the number.');
    await ctx.access.requireMember(ctx.turn, 'text customers');
    const enabled = PROVIDER_IDS.filter((p) => ctx.providers[p]);
    if (via && !(PROVIDER_IDS as readonly string[]).includes(via)) {
      throw new UsageError(
        `"${via}" is not a provider. Choose one of: ${enabled.join(', ') || 'none enabled'}.`,
      );
    }
    const provider = enabledProvider(ctx, (via ?? (await providerOfChannel(ctx, enabled))) as ProviderId);
    const channel = provider.defaultChannel ?? 'sms';
    const problem = textProblem(provider, channel, message);
    if (problem) throw new UsageError('the message does not fit', `${problem}.`);
    checkOptions(provider, options, message);
    if (from !== undefined && !isSenderId(from))
      throw new UsageError(
        `"${from}" is not a sender: use a phone number (+61491570156), a short code or a sender id of up to 11 letters and digits`,
      );
    const sender = from ?? (await senderFor(ctx, provider.id, provider.defaultSender));
    // The nonce makes the preview's token (and so its dedupe key) this command's own.
    const nonce = ctx.turn.activity.id ?? randomUUID();
    const request = {
      provider: provider.id,
      to: numbers,
      from: sender,
      text: message,
      nonce,
      ...(Object.keys(options).length > 0 ? { options } : {}),
    };
    const token = encodeTextRequest(request);
    const author = { name: ctx.turn.activity.from?.name ?? 'Agent', id: ctx.turn.activity.from?.aadObjectId };
    // Segments are what SMS bills; RCS and WhatsApp are not split.
    if (channel === 'sms' && countSegments(message).segments > 1) {
      await ctx.reply(
        renderSendPreviewCard({
          token,
          to: numbers.join(', '),
          provider: provider.id,
          sender,
          text: message,
        }),
      );
      return;
    }
    const key = `text:${ctx.turn.activity.id ?? randomUUID()}`;
    await ctx.reply(await startTexts(ctx.store, request, author, key, provider));
  },
};
