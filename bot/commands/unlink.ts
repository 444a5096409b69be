import { renderNoticeCard } from '../../cards/notice.ts';
import { requireChannel } from './channel.ts';
import { parseBusinessNumber, parseProvider } from './provider-arg.ts';
import type { Command } from './types.ts';

export const unlink: Command = {
  name: 'unlink',
  usage: 'unlink [sinch|sinch-conversation|retarus|smartdialog|sandbox|all] [business-number]',
  description:
    'Stops posting new customer conversations to this channel (all links of the channel by default).',
  example: 'unlink sinch',
  async run({ args, turn, store, access, reply }) {
    const channel = requireChannel(turn, 'unlink');
    await access.requireMember(turn, 'unlink channels');
    const provider = args[0] ? parseProvider(args[0], true) : undefined;
    const number = args.length > 1 ? parseBusinessNumber(args.slice(1).join('')) : undefined;
    const removed = await store.removeRoutes(
      channel.channelId,
      provider === '*' ? undefined : provider,
      number === '*' ? undefined : number,
    );
    await reply(
      renderNoticeCard({
        title: removed > 0 ? 'Channel unlinked' : 'Nothing to unlink',
        text:
          removed > 0
            ? `Removed ${removed} link${removed === 1 ? '' : 's'}. Existing threads stay; new customers are kept until a channel is linked.`
            : 'This channel had no matching link. Type `links` to see them.',
        style: removed > 0 ? 'good' : 'warning',
      }),
    );
  },
};
