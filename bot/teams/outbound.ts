/**
 * Everything the worker sends to Teams goes through here: new customer threads, replies in them,
 * in-place card updates. Each call spends a token of the Teams budget (bot/budget): `withToken`
 * takes it before the caller decides what to send, and the HTTP pipeline (budget-policy.ts) spends
 * it on the call, or takes one of its own for a call made without, and for every retry.
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
import type { Priority, TeamsBudget, TeamsOp } from '../budget/teams-budget.ts';
import type { ConversationRefJson } from '../store/types.ts';
import { withPriority, withToken } from './budget-context.ts';
import { channelOf } from './budget-policy.ts';

export interface NewThread {
  conversationId: string;
  rootActivityId: string;
  ref: ConversationRefJson;
}

export { channelOf };

export class TeamsOutbound {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    readonly budget: TeamsBudget,
  ) {}

  /**
   * Waits for a token of `op` at `priority`, then runs `work`, whose first call of that operation
   * spends it (a token not spent goes back). Read what to send inside `work`: what came while
   * waiting goes out in the same call.
   */
  withToken<T>(op: TeamsOp, priority: Priority, work: () => Promise<T>): Promise<T> {
    return withToken(this.budget, op, priority, work);
  }

  /** Calls made inside `work` take their tokens at `priority`. */
  withPriority<T>(priority: Priority, work: () => Promise<T>): Promise<T> {
    return withPriority(priority, work);
  }

  /**
   * Starts a new thread in a channel with `card` as its root post. `beforeCall` runs right before
   * the call goes out (to mark it in flight).
   */
  async createThread(
    channelRef: ConversationRefJson,
    teamsChannelId: string,
    card: AdaptiveCard,
    beforeCall?: () => Promise<void>,
  ): Promise<NewThread> {
    const ref = channelRef as Partial<ConversationReference>;
    if (!ref.serviceUrl) throw new Error('the channel reference has no serviceUrl; link the channel again');
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
    await this.adapter.continueConversationAsync(this.appId, ref, async (ctx) => {
      await ctx.updateActivity({ ...MessageFactory.attachment(toAttachment(card)), id: activityId });
    });
  }
}
