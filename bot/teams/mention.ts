/** The text an agent wrote, without the bot's @mention, and whether the bot was mentioned. */
import { TurnContext } from 'botbuilder';

export function agentText(turn: TurnContext): { text: string; mentioned: boolean } {
  const activity = turn.activity;
  const botId = activity.recipient?.id;
  const mentioned = TurnContext.getMentions(activity).some((m) => m.mentioned?.id === botId);
  const stripped = mentioned ? TurnContext.removeRecipientMention(activity) : activity.text;
  // Teams may wrap text in light HTML and non-breaking spaces.
  const text = (stripped ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .trim();
  return { text, mentioned };
}
