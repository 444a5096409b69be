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

/** A button whose data this bot never writes: forged, or damaged on the way. */
export class MalformedAction extends ActionRefused {
  override name = 'MalformedAction';
}

/** Ids the cards carry are short; anything longer was not written by this bot. */
const MAX_FIELD_LENGTH = 1024;

export function field(data: Record<string, unknown>, name: string): string {
  const value = Object.hasOwn(data, name) ? data[name] : undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_FIELD_LENGTH)
    throw new MalformedAction(`the button sent no usable "${name}"`);
  return value.trim();
}
