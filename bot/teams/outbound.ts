/**
 * Everything the worker sends to Teams goes through here: new customer threads, replies in them,
 * in-place card updates. Rate limits live here (per conversation and per app, teams.md §2).
 */
import {
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  MessageFactory,
  TurnContext,
} from 'botbuilder';
import { toAttachment } from '../../cards/attachment.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { ConversationRefJson } from '../store/types.ts';
import { RateLimiter, TEAMS_APP_WINDOWS, teamsWindows } from '../worker/rate-limiter.ts';

export interface NewThread {
  conversationId: string;
  rootActivityId: string;
  ref: ConversationRefJson;
}

/** The channel part of a thread's conversation id (`<channel>;messageid=<root>`). */
export function channelOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

export class TeamsOutbound {
  private readonly perConversation: RateLimiter;
  private readonly perApp = new RateLimiter(TEAMS_APP_WINDOWS);

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    ratePer30s: number,
  ) {
    this.perConversation = new RateLimiter(teamsWindows(ratePer30s));
  }

  /**
   * Starts a new thread in a channel with `card` as its root post. `beforeCall` runs after the
   * rate limiter let the call through, right before it goes out (to mark it in flight).
   */
  async createThread(
    channelRef: ConversationRefJson,
    teamsChannelId: string,
    card: AdaptiveCard,
    beforeCall?: () => Promise<void>,
  ): Promise<NewThread> {
    const ref = channelRef as Partial<ConversationReference>;
    if (!ref.serviceUrl) throw new Error('the channel reference has no serviceUrl; link the channel again');
    await this.pace(teamsChannelId);
    await beforeCall?.();
    const tenantId = ref.conversation?.tenantId;
    const params = {
      isGroup: true,
      bot: ref.bot,
      tenantId,
      channelData: { channel: { id: teamsChannelId }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
      activity: MessageFactory.attachment(toAttachment(card)),
    } as ConversationParameters;
    let created: Partial<ConversationReference> | undefined;
    // createConversationAsync works with an empty app id too; TeamsInfo.sendMessageToTeamsChannel does not.
    await this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      ref.serviceUrl,
      undefined as unknown as string,
      params,
      async (ctx) => {
        created = TurnContext.getConversationReference(ctx.activity);
      },
    );
    const conversationId = created?.conversation?.id;
    const rootActivityId = conversationId?.split(';messageid=')[1];
    if (!created || !conversationId || !rootActivityId) {
      throw new Error(`Teams created a conversation without a thread id (${conversationId ?? 'none'})`);
    }
    const threadRef = { ...created, bot: ref.bot, conversation: { ...created.conversation, tenantId } };
    return { conversationId, rootActivityId, ref: threadRef as ConversationRefJson };
  }

  /** Posts `card` in an existing conversation (a customer thread); returns the new activity id. */
  async post(
    threadRef: ConversationRefJson,
    card: AdaptiveCard,
    beforeCall?: () => Promise<void>,
  ): Promise<string> {
    const ref = threadRef as Partial<ConversationReference>;
    await this.pace(channelOf(ref.conversation?.id ?? ''));
    await beforeCall?.();
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, ref, async (ctx) => {
      id = (await ctx.sendActivity(MessageFactory.attachment(toAttachment(card))))?.id;
    });
    if (!id) throw new Error('Teams accepted the card but returned no activity id');
    return id;
  }

  /** Replaces the card of activity `activityId` in place. */
  async update(threadRef: ConversationRefJson, activityId: string, card: AdaptiveCard): Promise<void> {
    const ref = threadRef as Partial<ConversationReference>;
    await this.pace(channelOf(ref.conversation?.id ?? ''));
    await this.adapter.continueConversationAsync(this.appId, ref, async (ctx) => {
      await ctx.updateActivity({ ...MessageFactory.attachment(toAttachment(card)), id: activityId });
    });
  }

  // Teams counts a whole channel as one conversation for its per-thread limits.
  private async pace(conversationKey: string): Promise<void> {
    await this.perConversation.acquire(conversationKey);
    await this.perApp.acquire('app');
  }
}
