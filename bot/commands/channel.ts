/** Where a command was typed: the Teams channel of a team, if any. */
import type { ConversationReference, TurnContext } from 'botbuilder';
import { TeamsInfo, TurnContext as Turn } from 'botbuilder';
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

/**
 * The channel with its own and its team's names. Teams leaves names out of some activities (the
 * General channel has none; the Agents Playground sends none at all), so the bot asks Teams; a
 * channel it cannot ask about keeps its id, which `links` then shows.
 */
export async function withNames(turn: TurnContext, channel: ChannelInfo): Promise<ChannelInfo> {
  const team = channel.team;
  if (!team || (team.name && channel.channelName)) return channel;
  try {
    const [details, channels] = await Promise.all([
      team.name ? undefined : TeamsInfo.getTeamDetails(turn, team.id),
      TeamsInfo.getTeamChannels(turn, team.id),
    ]);
    const listed = channels.find((c) => c.id === channel.channelId);
    // Teams lists the General channel (its id is the team's) without a name.
    const general = channel.channelId === team.id ? 'General' : undefined;
    return {
      ...channel,
      channelName: channel.channelName ?? listed?.name ?? general,
      team: { ...team, ...(team.name || !details?.name ? {} : { name: details.name }) },
    };
  } catch {
    // Names are a courtesy: without them the link works the same and shows the ids.
    return channel;
  }
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
