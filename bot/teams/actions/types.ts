/** What a card action handler gets, and what it answers: the card that replaces the clicked one. */
import type { TurnContext } from 'botbuilder';
import type { Provider, ProviderId } from '../../../adapters/types.ts';
import type { AdaptiveCard } from '../../../cards/types.ts';
import type { Store } from '../../store/types.ts';
import type { TeamsAccess } from '../access.ts';

export interface ActionContext {
  turn: TurnContext;
  store: Store;
  providers: Partial<Record<ProviderId, Provider>>;
  data: Record<string, unknown>;
  access: TeamsAccess;
  /** Who clicked, as Teams names them. */
  user: { id: string; name: string };
}

export type ActionHandler = (ctx: ActionContext) => Promise<AdaptiveCard>;

/** An action that cannot be done (unknown thread, message already retried, …): shown on the card. */
export class ActionRefused extends Error {
  override name = 'ActionRefused';
}

export function field(data: Record<string, unknown>, name: string): string {
  const value = data[name];
  if (typeof value !== 'string' || value.trim() === '') throw new ActionRefused(`the card sent no ${name}`);
  return value.trim();
}
