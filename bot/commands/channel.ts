/** Where a command was typed: the Teams channel of a team, if any. */
import type { ConversationReference, TurnContext } from 'botbuilder';
import { TurnContext as Turn } from 'botbuilder';
import type { ConversationRefJson, RouteTeam } from '../store/types.ts';
import { UsageError } from './types.ts';

export interface ChannelInfo {
  channelId: string;
  channelName?: string;
  /** Reference to the channel itself (not the thread the command was typed in). */
  ref: ConversationRefJson;
  team?: RouteTeam;
}

export function currentChannel(turn: TurnContext): ChannelInfo | undefined {
  const data = turn.activity.channelData as
    | {
        channel?: { id?: string; name?: string };
        team?: { id?: string; name?: string; aadGroupId?: string };
      }
    | undefined;
  const channelId = data?.channel?.id;
  if (!channelId) return undefined;
  const team = data?.team?.id
    ? {
        id: data.team.id,
        ...(data.team.name ? { name: data.team.name } : {}),
        ...(data.team.aadGroupId ? { groupId: data.team.aadGroupId } : {}),
      }
    : undefined;
  const ref = Turn.getConversationReference(turn.activity) as Partial<ConversationReference>;
  const conversation = { ...ref.conversation, id: channelId } as ConversationReference['conversation'];
  return {
    channelId,
    channelName: data?.channel?.name ?? (data?.team?.name ? `${data.team.name} (General)` : undefined),
    ref: { ...ref, conversation, activityId: undefined } as ConversationRefJson,
    ...(team ? { team } : {}),
  };
}

export function requireChannel(turn: TurnContext, command: string): ChannelInfo {
  const channel = currentChannel(turn);
  if (!channel) {
    throw new UsageError(
      `\`${command}\` works in a team channel: customer threads are posted to the channel you link.`,
    );
  }
  return channel;
}
