/** A conversation's transcript: its messages and internal notes in time order, and its Teams link. */
import { mediaHref } from '../http/media-links.ts';
import type { Message, Note, Route, Thread } from '../store/types.ts';
import { channelOfConversation } from './scope.ts';
import type { TranscriptEntry } from './wire.ts';

export function transcript(messages: readonly Message[], notes: readonly Note[]): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [
    ...messages.map(
      (m): TranscriptEntry => ({
        id: m.id,
        kind: m.direction,
        text: m.body,
        at: m.createdAt,
        ...(m.authorName ? { author: m.authorName } : {}),
        ...(m.direction === 'outbound'
          ? {
              status: m.status,
              timeline: m.timeline.map((t) => ({ status: t.status, at: t.at })),
              ...(m.reason ? { reason: m.reason } : {}),
              ...(m.retriedAs ? { retriedAs: m.retriedAs } : {}),
            }
          : {}),
        ...(m.media.length > 0
          ? {
              media: m.media.map((x) => ({
                // The bot's own signed link (as on the card), else the provider's https link.
                ...(mediaHref(x.id)
                  ? { url: mediaHref(x.id) }
                  : x.url && /^https:/i.test(x.url)
                    ? { url: x.url }
                    : {}),
                ...(x.name ? { name: x.name } : {}),
                ...(x.contentType ? { contentType: x.contentType } : {}),
              })),
            }
          : {}),
      }),
    ),
    ...notes.map(
      (n): TranscriptEntry => ({
        id: n.id,
        kind: 'note',
        text: n.body,
        at: n.createdAt,
        ...(n.authorName ? { author: n.authorName } : {}),
      }),
    ),
  ];
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * "Open in Teams": a deep link to the thread's root post (msteams-docs deep-link-teams.md). Teams
 * message ids are the post's epoch milliseconds, hence createdTime. groupId and the team's name
 * come from the `link` that made the route; without them Teams still opens the message.
 */
export function teamsLink(thread: Thread, routes: readonly Route[]): string | undefined {
  const channelId = channelOfConversation(thread.conversationId);
  const root = thread.rootActivityId;
  if (!channelId || !root) return undefined;
  const route = routes.find((r) => r.teamsChannelId === channelId);
  const conversation = (thread.conversationRef as { conversation?: { tenantId?: string } } | undefined)
    ?.conversation;
  const params = new URLSearchParams();
  if (conversation?.tenantId) params.set('tenantId', conversation.tenantId);
  if (route?.team?.groupId) params.set('groupId', route.team.groupId);
  params.set('parentMessageId', root);
  if (route?.team?.name) params.set('teamName', route.team.name);
  if (route?.channelName) params.set('channelName', route.channelName);
  if (/^\d+$/.test(root)) params.set('createdTime', root);
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(root)}?${params}`;
}
