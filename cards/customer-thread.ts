import { type ExecuteAction, executeAction } from './actions.ts';
import { type FoldedMessage, withFolded } from './folded.ts';
import { CHANNEL_LABELS, PROVIDER_LABELS } from './labels.ts';
import { MAX_AGENT_TEXT } from './limits.ts';
import { compileTemplate } from './template.ts';
import { clipMessage, clipShort, mediaLines } from './text.ts';
import { cardTime } from './time.ts';
import type { AdaptiveCard, CardChannel, CardMedia, CardProvider } from './types.ts';

export type ThreadState = 'open' | 'resolved';

export interface CustomerThreadCardData {
  /** Customer number, already formatted for display. */
  customer: string;
  provider: CardProvider;
  channel: CardChannel;
  /** The business number or sender id the customer wrote to. */
  businessNumber: string;
  /** The first message of the thread. */
  text: string;
  /**
   * Every message the card carries when several came before the thread was posted (folded while
   * they waited for Teams), or were added to it since.
   */
  messages?: FoldedMessage[];
  media?: CardMedia[];
  /** ISO-8601. */
  receivedAt: string;
  optedOut?: boolean;
  /**
   * The thread's id in the store. With it the card shows who the thread is assigned to, its
   * state, a Reply box and the Claim/Unassign and Resolve/Reopen buttons; without it, none of these.
   */
  threadId?: string;
  /** Defaults to open. */
  state?: ThreadState;
  /** Display name of the agent the thread is assigned to. */
  assignee?: string;
  /**
   * Changes with every rendering of the card: the Reply box sends it along, so a double click
   * sends one message while the same text typed again later, in the card a reply refreshed, is
   * a new one.
   */
  replyNonce?: string;
}

const HINTS = {
  replyBox:
    'You can also reply in this thread and @mention the bot. Replies without the mention are internal notes the customer never sees.',
  mention:
    'Reply in this thread and @mention the bot to text the customer. Replies without the mention are internal notes.',
  optedOut: 'Replies in this thread without the @mention are internal notes the customer never sees.',
};

const expand = compileTemplate(new URL('./templates/customer-thread.json', import.meta.url));

/** The root card of a customer's channel thread. */
export function renderCustomerThreadCard(data: CustomerThreadCardData): AdaptiveCard {
  const optedOut = data.optedOut === true;
  const threadId = data.threadId;
  const resolved = data.state === 'resolved';
  const assignee = data.assignee?.trim() ? clipShort(data.assignee.trim(), 60) : '';
  const showReplyBox = threadId !== undefined && !optedOut;
  const card = expand({
    ...clipMessage(data.text || '(no text)'),
    media: mediaLines(data.media),
    // Who wrote to which number, how and when: one line under the customer's words.
    meta: [
      `${clipShort(data.customer)} → ${clipShort(data.businessNumber)}`,
      `${CHANNEL_LABELS[data.channel]} via ${PROVIDER_LABELS[data.provider]}`,
      cardTime(data.receivedAt),
    ].join(' · '),
    optedOut,
    hasWorkflow: threadId !== undefined,
    workflow: `${resolved ? '✓ Resolved' : 'Open'} · ${assignee ? `assigned to ${assignee}` : 'unassigned'}`,
    workflowColor: resolved ? 'Good' : 'Default',
    showReplyBox,
    replyMaxLength: MAX_AGENT_TEXT,
    replyActions:
      threadId === undefined
        ? []
        : [
            executeAction('Send reply', 'reply', {
              threadId,
              ...(data.replyNonce ? { replyNonce: data.replyNonce } : {}),
            }),
          ],
    hint: optedOut ? HINTS.optedOut : showReplyBox ? HINTS.replyBox : HINTS.mention,
    actions: threadId === undefined ? [] : threadActions(threadId, assignee !== '', resolved),
  });
  return withFolded(card, data.messages);
}

function threadActions(threadId: string, assigned: boolean, resolved: boolean): ExecuteAction[] {
  const options = { withoutInputs: true };
  return [
    assigned
      ? executeAction('Unassign', 'unassign', { threadId }, options)
      : executeAction('Claim', 'claim', { threadId }, options),
    resolved
      ? executeAction('Reopen', 'reopen', { threadId }, options)
      : executeAction('Resolve', 'resolve', { threadId }, options),
  ];
}
