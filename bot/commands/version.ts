import { readFileSync } from 'node:fs';
import type { Provider, ProviderId } from '../../adapters/types.ts';
import { renderVersionCard } from '../../cards/version.ts';
import type { Command } from './types.ts';

const NO_VERSION: Partial<Record<ProviderId, string>> = {
  sandbox: 'Sandbox: pretend texts, no account and no network',
};

const BOT_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const version: Command = {
  name: 'version',
  usage: 'version',
  description:
    "Shows the bot's version and every enabled provider, with the API version of those that report one (Retarus).",
  example: 'version',
  async run({ providers, reply }) {
    const rows = await Promise.all(
      Object.values(providers)
        .filter((p): p is Provider => p !== undefined)
        .map(async (p) => {
          const reporter = p.capabilities.version;
          if (!reporter)
            return { provider: p.id, version: NO_VERSION[p.id] ?? 'Enabled; its API reports no version' };
          try {
            return { provider: p.id, version: (await reporter.getVersion()).version };
          } catch (err) {
            return { provider: p.id, error: (err as Error).message };
          }
        }),
    );
    await reply(renderVersionCard({ botVersion: BOT_VERSION, providers: rows }));
  },
};
