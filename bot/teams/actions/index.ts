/**
 * Card actions by verb (Universal Actions). Each handler does its work through the store and
 * answers the card that replaces the clicked one. A refusal leaves the card as it is and tells
 * the agent why (Teams shows an invoke's message answer next to the card).
 */
import type { CardVerb } from '../../../cards/actions.ts';
import { renderErrorCard } from '../../../cards/error.ts';
import type { AdaptiveCard } from '../../../cards/types.ts';
import { AccessDenied } from '../access.ts';
import { cancelConfirm, confirm } from './confirm-actions.ts';
import { retry } from './message-actions.ts';
import { sendTemplate } from './template-actions.ts';
import { cancelText, sendText } from './text-actions.ts';
import { claim, reopen, reply, resolve, unassign } from './thread-actions.ts';
import { type ActionContext, type ActionHandler, ActionRefused, MalformedAction } from './types.ts';

export const ACTIONS: Readonly<Record<CardVerb, ActionHandler>> = {
  reply,
  claim,
  unassign,
  resolve,
  reopen,
  retry,
  'send-text': sendText,
  'cancel-text': cancelText,
  'send-template': sendTemplate,
  confirm,
  'cancel-confirm': cancelConfirm,
};

export type ActionOutcome = { card: AdaptiveCard } | { message: string };

/**
 * Runs the button's verb. Data of the wrong shape (a verb that is not a word, data that is not an
 * object, an id that is not a string) was not written by this bot: it gets an error card saying
 * so, and nothing is done.
 */
export async function runAction(verb: unknown, ctx: ActionContext): Promise<ActionOutcome> {
  if (typeof verb !== 'string' || verb.length > 64 || !isRecord(ctx.data))
    return malformed(new MalformedAction('the button sent no verb and data this bot can read'));
  // Own keys only: a verb such as "constructor" must not find Object's members.
  const handler = Object.hasOwn(ACTIONS, verb) ? ACTIONS[verb as CardVerb] : undefined;
  if (!handler) return { message: `This card asked for "${verb}", which this bot does not know.` };
  try {
    return { card: await handler(ctx) };
  } catch (err) {
    if (err instanceof MalformedAction) return malformed(err);
    if (!(err instanceof ActionRefused) && !(err instanceof AccessDenied)) throw err;
    return { message: `Not done: ${err.message}.` };
  }
}

function malformed(err: MalformedAction): ActionOutcome {
  return {
    card: renderErrorCard({
      title: 'This button cannot be used',
      what: 'Nothing was done.',
      why: `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}: it was not written by this bot, or was damaged on the way.`,
      next: 'Use the buttons of a card the bot posted, or type the command instead.',
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
