import { renderLinksCard } from '../../cards/links.ts';
import { currentChannel } from './channel.ts';
import type { Command } from './types.ts';

export const links: Command = {
  name: 'links',
  usage: 'links',
  description: 'Lists which channel receives the conversations of which provider and number.',
  example: 'links',
  async run({ turn, store, reply }) {
    const here = currentChannel(turn)?.channelId;
    const routes = await store.listRoutes();
    await reply(
      renderLinksCard({
        routes: routes.map((r) => ({
          provider: r.provider === '*' ? 'all' : r.provider,
          number: r.businessNumber === '*' ? undefined : r.businessNumber,
          channelName: `${r.channelName ?? r.teamsChannelId}${r.teamsChannelId === here ? ' (this channel)' : ''}`,
        })),
      }),
    );
  },
};
