import { renderSendersCard } from '../../cards/senders.ts';
import type { Command } from './types.ts';

export const senders: Command = {
  name: 'senders',
  usage: 'senders',
  description:
    "Lists the sender ids and numbers each enabled provider can send from, and each one's default.",
  example: 'senders',
  async run({ providers, reply }) {
    const rows = await Promise.all(
      Object.values(providers).map(async (provider) => {
        if (!provider) return undefined;
        const configured = provider.defaultSender
          ? [{ id: provider.defaultSender, label: 'configured default', isDefault: true }]
          : [];
        const lister = provider.capabilities.senders;
        if (!lister) {
          return {
            provider: provider.id,
            senders: configured,
            note: `${provider.id} has no API to list sender ids`,
          };
        }
        try {
          return { provider: provider.id, senders: await lister.listSenders() };
        } catch (err) {
          return {
            provider: provider.id,
            senders: configured,
            note: `could not list: ${(err as Error).message}`,
          };
        }
      }),
    );
    await reply(renderSendersCard({ providers: rows.filter((r) => r !== undefined) }));
  },
};
