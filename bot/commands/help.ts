import { renderHelpCard } from '../../cards/help.ts';
import { COMMANDS } from './index.ts';
import type { Command } from './types.ts';

export const help: Command = {
  name: 'help',
  usage: 'help',
  description: 'Shows what textbridge does and every command.',
  example: 'help',
  async run({ reply }) {
    // Listed from the dispatch table, so help never drifts from what the bot understands.
    const commands = [...COMMANDS.values()].map((c) => ({ usage: c.usage, description: c.description }));
    await reply(renderHelpCard({ commands }));
  },
};
