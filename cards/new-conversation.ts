/**
 * The answer to `text` without arguments: a button that opens the New conversation dialog
 * (Teams opens a dialog from a card button through the task/fetch invoke, teams-tab.md §7).
 */
import { compileTemplate } from './template.ts';
import type { AdaptiveCard } from './types.ts';

const expand = compileTemplate<{ text: string }>(
  new URL('./templates/new-conversation.json', import.meta.url),
);

/** What a card button's data carries, so the bot knows which dialog to open. */
export const NEW_CONVERSATION_KIND = 'newConversation';

export function renderNewConversationCard(): AdaptiveCard {
  return expand({
    text: 'Text a customer first: pick the number to send from, type theirs and the message. Or type `text ‹number› ‹message›`.',
  });
}
