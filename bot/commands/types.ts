/** The shape every command file exports, and what a command gets to work with. */

import type { TurnContext } from 'botbuilder';
import type { Provider, ProviderId } from '../../adapters/types.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { TeamsBudget } from '../budget/teams-budget.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/types.ts';
import type { TeamsAccess } from '../teams/access.ts';

export interface CommandContext {
  /** Words after the command name. */
  args: string[];
  /** The text after the command name as typed (spacing and line breaks kept). */
  rest: string;
  turn: TurnContext;
  store: Store;
  config: Config;
  providers: Partial<Record<ProviderId, Provider>>;
  /** Tenant and member checks (link pins the tenant; guests neither link nor send). */
  access: TeamsAccess;
  /** The Teams budget: `links` shows each channel's use of it. */
  budget: TeamsBudget;
  reply(card: AdaptiveCard): Promise<void>;
}

export interface Command {
  name: string;
  /** One line: `link <sinch|sinch-conversation|retarus|smartdialog|all> [number]`. */
  usage: string;
  description: string;
  example: string;
  run(ctx: CommandContext): Promise<void>;
}

/** A command used wrongly; the dispatcher answers with the message, usage and example. */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(
    message: string,
    /** What to do about it, when the usage and the example alone do not say. */
    readonly hint?: string,
  ) {
    super(message);
  }
}
