import { fitRows } from './fit.ts';
import { compileTemplate } from './template.ts';
import { clipShort, showPlaceholders } from './text.ts';
import type { AdaptiveCard } from './types.ts';

export interface HelpCommand {
  usage: string;
  description: string;
  /** A heading such as "Messages" or "Retarus"; commands sharing it are listed together. */
  group?: string;
}

export interface HelpCardData {
  /** The bot's name as agents @mention it; defaults to textbridge. */
  botName?: string;
  /** Defaults to DEFAULT_HELP_COMMANDS. */
  commands?: HelpCommand[];
}

export const DEFAULT_HELP_COMMANDS: readonly HelpCommand[] = [
  { usage: 'help', description: 'Show this list of commands.' },
  {
    usage: 'link <sinch|sinch-conversation|retarus|smartdialog|all> [number]',
    description:
      "Send customer texts from that provider to this channel: only those to one business number, or all of the provider's numbers when you leave the number out.",
  },
  {
    usage: 'unlink [provider] [number]',
    description: 'Stop sending customer texts to this channel. Without arguments, removes every route to it.',
  },
  { usage: 'links', description: 'List which providers and numbers send customer texts to which channels.' },
];

/** Most commands listed; fewer when more would not fit the card. */
const MAX_COMMANDS = 30;

const expand = compileTemplate(new URL('./templates/help.json', import.meta.url));

/**
 * Lists the commands. Grouped commands are listed under their group's heading, groups in the
 * order they first appear; commands without a group come first, without a heading.
 */
export function renderHelpCard(data: HelpCardData = {}): AdaptiveCard {
  const botName = clipShort(data.botName || 'textbridge', 40);
  return fitRows(data.commands ?? DEFAULT_HELP_COMMANDS, MAX_COMMANDS, (shown) =>
    expand({ botName, groups: groupCommands(shown) }),
  );
}

function groupCommands(commands: readonly HelpCommand[]) {
  const groups = new Map<string, Array<{ usage: string; description: string }>>([['', []]]);
  for (const command of commands) {
    const title = clipShort(command.group?.trim() ?? '', 60);
    const list = groups.get(title) ?? [];
    list.push({
      usage: showPlaceholders(clipShort(command.usage)),
      description: showPlaceholders(clipShort(command.description, 300)),
    });
    groups.set(title, list);
  }
  return [...groups]
    .filter(([, list]) => list.length > 0)
    .map(([title, list]) => ({ title, commands: list }));
}
