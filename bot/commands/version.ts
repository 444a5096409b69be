import { readFileSync } from 'node:fs';
import { renderVersionCard } from '../../cards/version.ts';
import type { Command } from './types.ts';

const BOT_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const version: Command = {
  name: 'version',
  usage: 'version',
  description: "Shows the bot's version and the API version of providers that report one (Retarus).",
  example: 'version',
  async run({ providers, reply }) {
    const rows = await Promise.all(
      Object.values(providers)
        .filter((p) => p?.capabilities.version)
        .map(async (p) => {
          try {
            return { provider: p!.id, version: (await p!.capabilities.version!.getVersion()).version };
          } catch (err) {
            return { provider: p!.id, error: (err as Error).message };
          }
        }),
    );
    await reply(renderVersionCard({ botVersion: BOT_VERSION, providers: rows }));
  },
};
