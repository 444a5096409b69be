import { renderHelpCard } from '../../cards/help.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import { COMMANDS } from './index.ts';
import type { Command } from './types.ts';

export const help: Command = {
  name: 'help',
  usage: 'help',
  description: 'Shows what textbridge does and every command.',
  example: 'help',
  async run({ reply }) {
    await reply(helpCard());
  },
};

/** Listed from the dispatch table, so help never drifts from what the bot understands. */
export function helpCard(): AdaptiveCard {
  const commands = [...COMMANDS.values()].map((c) => ({ usage: c.usage, description: c.description }));
  return renderHelpCard({ commands });
}
