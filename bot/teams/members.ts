/**
 * Is this user a member of that team? One Bot Connector call (GET /v3/conversations/{team}/
 * members/{user}), which takes the user's Entra object id as well as their Teams id
 * (msteams-docs team-chat-member-api-changes.md). Teams answers 404 for a non-member.
 */
import { type CloudAdapter, type ConversationReference, TeamsInfo } from 'botbuilder';
import type { ConversationRefJson } from '../store/types.ts';

/** Resolves false for "not a member"; rejects when Teams cannot be asked (the caller answers 503). */
export type MemberLookup = (
  channelRef: ConversationRefJson,
  teamId: string,
  userId: string,
) => Promise<boolean>;

export function teamMemberLookup(adapter: CloudAdapter, appId: string): MemberLookup {
  return async (channelRef, teamId, userId) => {
    const ref = channelRef as Partial<ConversationReference>;
    if (!ref.serviceUrl) return false;
    let member = false;
    await adapter.continueConversationAsync(appId, ref, async (ctx) => {
      try {
        await TeamsInfo.getTeamMember(ctx, teamId, userId);
        member = true;
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 403) throw err;
      }
    });
    return member;
  };
}
