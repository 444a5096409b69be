/**
 * Runs the command an agent typed: `/` optional, mention already removed. A wrong command or a
 * wrong use answers with the usage and an example; any other failure with what went wrong.
 */

import { ProviderError } from '../../adapters/errors.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import { AccessDenied } from '../teams/access.ts';
import { providerErrorCard } from './error-card.ts';
import { COMMANDS } from './index.ts';
import { type Command, type CommandContext, UsageError } from './types.ts';

export function splitCommand(text: string): { name: string; args: string[]; rest: string } {
  const trimmed = text.trim().replace(/^\//, '');
  const words = trimmed.split(/\s+/).filter(Boolean);
  const rest = trimmed.slice((words[0] ?? '').length).trim();
  return { name: (words[0] ?? '').toLowerCase(), args: quotedWords(rest), rest };
}

/**
 * Words, with "quoted words" kept together (`--street "Main Street 1"`); Teams may turn straight
 * quotes into curly ones, so both count.
 */
export function quotedWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/["“”]([^"“”]*)["“”]|(\S+)/g)) words.push(match[1] ?? match[2] ?? '');
  return words;
}

export async function dispatchCommand(
  text: string,
  ctx: Omit<CommandContext, 'args' | 'rest'>,
): Promise<void> {
  const { name, args, rest } = splitCommand(text);
  const command = COMMANDS.get(name);
  if (!command) {
    await ctx.reply(
      renderNoticeCard({
        title: name ? `I don't know "${name}"` : 'What can I do for you?',
        text: `Commands: ${[...COMMANDS.keys()].join(', ')}. Type \`help\` for what each one does.`,
        style: name ? 'warning' : 'info',
      }),
    );
    return;
  }
  try {
    await command.run({ ...ctx, args, rest });
  } catch (err) {
    if (err instanceof ProviderError) {
      await ctx.reply(providerErrorCard(command.name, err));
      return;
    }
    if (err instanceof AccessDenied) {
      await ctx.reply(
        renderNoticeCard({
          title: `${command.name}: not allowed`,
          text: `${err.message}.`,
          style: 'warning',
        }),
      );
      return;
    }
    if (!(err instanceof UsageError)) throw err;
    await ctx.reply(usageCard(command, err));
  }
}

/** A wrong use of a command: what is wrong, its usage and an example. */
export function usageCard(command: Command, err: UsageError): AdaptiveCard {
  return renderNoticeCard({
    title: `${command.name}: ${err.message}`,
    text: err.hint ?? command.description,
    style: 'warning',
    facts: [
      { title: 'Usage', value: command.usage },
      { title: 'Example', value: command.example },
    ],
  });
}
