/**
 * Card actions by verb (Universal Actions). Each handler does its work through the store and
 * answers the card that replaces the clicked one. A refusal leaves the card as it is and tells
 * the agent why (Teams shows an invoke's message answer next to the card).
 */
import type { CardVerb } from '../../../cards/actions.ts';
import type { AdaptiveCard } from '../../../cards/types.ts';
import { AccessDenied } from '../access.ts';
import { cancelConfirm, confirm } from './confirm-actions.ts';
import { retry } from './message-actions.ts';
import { sendTemplate } from './template-actions.ts';
import { cancelText, sendText } from './text-actions.ts';
import { claim, reopen, reply, resolve, unassign } from './thread-actions.ts';
import { type ActionContext, type ActionHandler, ActionRefused } from './types.ts';

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

export async function runAction(verb: string, ctx: ActionContext): Promise<ActionOutcome> {
  // Own keys only: a verb such as "constructor" must not find Object's members.
  const handler = Object.hasOwn(ACTIONS, verb) ? ACTIONS[verb as CardVerb] : undefined;
  if (!handler) return { message: `This card asked for "${verb}", which this bot does not know.` };
  try {
    return { card: await handler(ctx) };
  } catch (err) {
    if (!(err instanceof ActionRefused) && !(err instanceof AccessDenied)) throw err;
    return { message: `Not done: ${err.message}.` };
  }
}
