/**
 * Card buttons as Universal Actions (teams.md §1): an `Action.Execute` reaches the bot as an
 * `adaptiveCard/action` invoke with `verb` and `data`; clients without Universal Actions use its
 * `Action.Submit` fallback instead, which posts the same data plus `verb` as a message `value`.
 * Either way, inputs on the card are merged into the data under their ids.
 */

/** Id of the customer card's Reply box; its text arrives in the action data under this key. */
export const REPLY_INPUT_ID = 'reply';

/** The data each verb carries, as the bot receives it (Action.Execute `data`, without `verb`). */
export interface CardActionData {
  /** Send the Reply box's text to the customer. */
  reply: { threadId: string; reply?: string };
  claim: { threadId: string };
  unassign: { threadId: string };
  resolve: { threadId: string };
  reopen: { threadId: string };
  /** Send a failed, expired or rejected outbound message again. */
  retry: { messageId: string };
  /** Send the text shown on a send preview card. */
  'send-text': { token: string };
  /** Drop the text shown on a send preview card. */
  'cancel-text': { token: string };
  /**
   * Send the WhatsApp template picked on the templates card; its inputs `to`, `template` and
   * `templateParams` are merged in. `nonce` makes each rendering's send its own.
   */
  'send-template': { nonce: string; to?: string; template?: string; templateParams?: string };
  /** Confirm a destructive command shown on a confirm card (its token says which). */
  confirm: { token: string };
  /** Drop a destructive command shown on a confirm card. */
  'cancel-confirm': { token: string };
}

export type CardVerb = keyof CardActionData;

export const CARD_VERBS: readonly CardVerb[] = [
  'reply',
  'claim',
  'unassign',
  'resolve',
  'reopen',
  'retry',
  'send-text',
  'cancel-text',
  'send-template',
  'confirm',
  'cancel-confirm',
];

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: Record<string, string>;
  associatedInputs?: 'none';
}

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: CardVerb;
  data: Record<string, string>;
  associatedInputs?: 'none';
  fallback: SubmitAction;
}

export interface ExecuteOptions {
  /** Leave the card's inputs out of the data (buttons that do not send the Reply box). */
  withoutInputs?: boolean;
}

/** An `Action.Execute` whose `Action.Submit` fallback carries the same data plus `verb`. */
export function executeAction<V extends CardVerb>(
  title: string,
  verb: V,
  data: CardActionData[V],
  options: ExecuteOptions = {},
): ExecuteAction {
  const values: Record<string, string> = { ...data };
  const inputs = options.withoutInputs ? { associatedInputs: 'none' as const } : {};
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: values,
    ...inputs,
    fallback: { type: 'Action.Submit', title, data: { ...values, verb }, ...inputs },
  };
}
