/** The text an agent wrote, without the bot's @mention, and whether the bot was mentioned. */
import { TurnContext } from 'botbuilder';

export function agentText(turn: TurnContext): { text: string; mentioned: boolean } {
  const activity = turn.activity;
  const botId = activity.recipient?.id;
  const mentioned = TurnContext.getMentions(activity).some((m) => m.mentioned?.id === botId);
  const stripped = mentioned ? TurnContext.removeRecipientMention(activity) : activity.text;
  // Teams may wrap text in light HTML: line breaks and paragraphs become new lines, other tags
  // go, entities are decoded (&amp; last, so "&amp;lt;" stays the text "&lt;").
  const text = (stripped ?? '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
  return { text, mentioned };
}
