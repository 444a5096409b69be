import { renderNoticeCard } from '../../cards/notice.ts';
import { requireChannel, withNames } from './channel.ts';
import { parseBusinessNumber, parseProvider } from './provider-arg.ts';
import { enabledProvider } from './provider-of.ts';
import type { Command } from './types.ts';

export const link: Command = {
  name: 'link',
  usage: 'link <sinch|sinch-conversation|retarus|smartdialog|sandbox|all> [business-number]',
  description:
    "Posts a provider's customer conversations (optionally of one business number) to this channel.",
  example: 'link sinch +61491570156',
  async run({ args, turn, store, providers, access, reply }) {
    const channel = await withNames(turn, requireChannel(turn, 'link'));
    const provider = parseProvider(args[0], true);
    if (provider !== '*') enabledProvider({ providers }, provider);
    // Numbers are often typed with spaces: `+61 491 570 000`.
    const businessNumber = parseBusinessNumber(args.slice(1).join('') || undefined);
    await access.requireMember(turn, 'link channels');
    // The first link pins its tenant (unless the tenants are configured); another tenant's link
    // changes nothing and is answered nowhere.
    if (!(await access.claimTenant(turn))) return;
    const { created, released } = await store.addRoute({
      provider,
      businessNumber,
      teamsChannelId: channel.channelId,
      channelName: channel.channelName,
      conversationRef: channel.ref,
      createdBy: turn.activity.from?.name,
      ...(channel.team ? { team: channel.team } : {}),
    });
    const what = `${provider === '*' ? 'every provider' : provider} ${businessNumber === '*' ? '(all numbers)' : businessNumber}`;
    await reply(
      renderNoticeCard({
        title: created ? 'Channel linked' : 'Link moved to this channel',
        text: `Customer messages for ${what} now start threads in this channel.`,
        style: 'good',
        facts: released > 0 ? [{ title: 'Waiting messages', value: `${released} will be posted now` }] : [],
      }),
    );
  },
};
