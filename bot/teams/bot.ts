/**
 * The Teams side, kept thin: a message in a customer thread that mentions the bot is an answer
 * to the customer; anything else is a command. Slow work is queued, never done in the turn.
 */
import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  MessageFactory,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Provider, ProviderId } from '../../adapters/types.ts';
import { toAttachment } from '../../cards/attachment.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import { renderWelcomeCard } from '../../cards/welcome.ts';
import type { TeamsBudget } from '../budget/teams-budget.ts';
import { currentChannel } from '../commands/channel.ts';
import { dispatchCommand } from '../commands/dispatch.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/types.ts';
import { AccessDenied, type TeamsAccess } from './access.ts';
import { type ActionOutcome, runAction } from './actions/index.ts';
import { agentText } from './mention.ts';
import { checkAgentReply } from './reply-gate.ts';

export interface BotDeps {
  store: Store;
  config: Config;
  providers: Partial<Record<ProviderId, Provider>>;
  access: TeamsAccess;
  /** The Teams budget (the `links` command shows its use). */
  budget: TeamsBudget;
  log: Logger;
}

export class TextbridgeBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (turn, next) => {
      await this.handleMessage(turn);
      await next();
    });
    this.onMembersAdded(async (turn, next) => {
      const botAdded = turn.activity.membersAdded?.some((m) => m.id === turn.activity.recipient?.id);
      if (botAdded && turn.activity.conversation?.conversationType === 'channel') {
        await reply(turn, renderWelcomeCard());
      }
      await next();
    });
  }

  /** Every activity passes the tenant check first; a refused one changes, sends and answers nothing. */
  override async run(turn: TurnContext): Promise<void> {
    if (await this.deps.access.admit(turn)) {
      await super.run(turn);
      return;
    }
    // An invoke needs an HTTP answer; it carries no card or message into the other tenant.
    if (turn.activity.type === 'invoke')
      await turn.sendActivity({
        type: 'invokeResponse',
        value: { status: 403, body: { error: 'forbidden' } },
      });
  }

  /** A card's "New conversation…" button (task/fetch): the dialog page of the Inbox tab. */
  protected override async handleTeamsTaskModuleFetch(
    turn: TurnContext,
    _request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const base = this.deps.config.publicUrl;
    if (!base) {
      return {
        task: {
          type: 'message',
          value: 'The New conversation dialog needs PUBLIC_URL (the bot’s https address).',
        },
      };
    }
    const channel = currentChannel(turn)?.channelId;
    const url = `${base}/tab/new${channel ? `?channel=${encodeURIComponent(channel)}` : ''}`;
    return {
      task: {
        type: 'continue',
        value: { url, fallbackUrl: url, title: 'New conversation', height: 620, width: 560 },
      },
    };
  }

  /** The dialog sent the message itself; its result only says what happened. */
  protected override async handleTeamsTaskModuleSubmit(
    _turn: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const data = request.data as { message?: unknown } | undefined;
    const message = typeof data?.message === 'string' ? data.message : 'Done.';
    return { task: { type: 'message', value: message } };
  }

  protected override async onAdaptiveCardInvoke(
    turn: TurnContext,
    invoke: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await this.action(turn, invoke.action?.verb, invoke.action?.data ?? {});
    return 'card' in outcome
      ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: outcome.card as never }
      : {
          statusCode: 200,
          type: 'application/vnd.microsoft.activity.message',
          value: outcome.message as never,
        };
  }

  /** A button's action; what fails unexpectedly is logged and said, and the card stays as it is. */
  private async action(turn: TurnContext, verb: unknown, data: unknown): Promise<ActionOutcome> {
    const from = turn.activity.from;
    try {
      return await runAction(verb, {
        turn,
        store: this.deps.store,
        providers: this.deps.providers,
        access: this.deps.access,
        data: data as Record<string, unknown>,
        user: { id: from?.aadObjectId ?? from?.id ?? 'unknown', name: from?.name ?? 'Agent' },
      });
    } catch (err) {
      this.deps.log.error({ err, verb: typeof verb === 'string' ? verb : null }, 'card action failed');
      return { message: 'Not done: something unexpected went wrong (it was logged). Try again in a minute.' };
    }
  }

  /** Clients without Universal Actions post the Action.Submit fallback as a message with a value. */
  private async handleSubmit(turn: TurnContext, value: Record<string, unknown>): Promise<void> {
    const outcome = await this.action(turn, value['verb'], value);
    const cardId = turn.activity.replyToId;
    if ('card' in outcome && cardId) {
      await turn.updateActivity({ ...MessageFactory.attachment(toAttachment(outcome.card)), id: cardId });
    } else if ('message' in outcome) {
      await turn.sendActivity(outcome.message);
    }
  }

  /** A post in a customer thread without the mention: kept for the Inbox's transcript, never sent. */
  private async keepNote(turn: TurnContext, conversationId: string, text: string): Promise<void> {
    const thread = await this.deps.store.getThreadByConversation(conversationId);
    if (!thread) return;
    const from = turn.activity.from;
    await this.deps.store.recordNote({
      activityId: turn.activity.id ?? `${conversationId}:${turn.activity.timestamp}`,
      threadId: thread.id,
      text,
      authorName: from?.name ?? 'Agent',
      authorId: from?.aadObjectId ?? from?.id,
    });
  }

  private async handleMessage(turn: TurnContext): Promise<void> {
    const { store, log } = this.deps;
    const value = turn.activity.value as Record<string, unknown> | undefined;
    if (value && typeof value === 'object' && typeof value['verb'] === 'string') {
      await this.handleSubmit(turn, value);
      return;
    }
    const { text, mentioned } = agentText(turn);
    // With the ChannelMessage.Read.Group permission every channel post reaches the bot; only
    // those that mention it are meant for it (the rest are notes between agents, never sent to
    // the customer). In a personal chat everything is.
    const conversationId = turn.activity.conversation?.id ?? '';
    const inThread = conversationId.includes(';messageid=');
    if (!mentioned && turn.activity.conversation?.conversationType !== 'personal') {
      if (inThread && text) await this.keepNote(turn, conversationId, text);
      return;
    }
    const thread = inThread ? await store.getThreadByConversation(conversationId) : undefined;
    const answer = thread ? answerText(text) : undefined;
    if (thread && answer !== undefined) {
      // A thread id typed into another tenant's or team's conversation sends nothing.
      if (!this.deps.access.sameHome(turn, thread)) return;
      if (!answer) {
        await reply(
          turn,
          renderNoticeCard({
            title: 'Nothing to send',
            text: 'Write the answer after the mention.',
            style: 'warning',
          }),
        );
        return;
      }
      try {
        await this.deps.access.requireMember(turn, 'send to customers');
      } catch (err) {
        if (!(err instanceof AccessDenied)) throw err;
        await reply(turn, renderNoticeCard({ title: 'Not sent', text: `${err.message}.`, style: 'warning' }));
        return;
      }
      const verdict = await checkAgentReply(this.deps, thread, answer);
      if (!verdict.ok) {
        await reply(
          turn,
          verdict.picker ??
            renderNoticeCard({ title: verdict.title, text: `${verdict.problem}.`, style: 'attention' }),
        );
        return;
      }
      const outcome = await store.recordAgentReply({
        activityId: turn.activity.id ?? `${conversationId}:${turn.activity.timestamp}`,
        threadId: thread.id,
        text: answer,
        authorName: turn.activity.from?.name ?? 'Agent',
        authorId: turn.activity.from?.aadObjectId ?? turn.activity.from?.id,
      });
      log.info(
        { threadId: thread.id, messageId: outcome.messageId, duplicate: outcome.duplicate },
        'agent reply queued',
      );
      return;
    }
    await dispatchCommand(text, {
      turn,
      store,
      config: this.deps.config,
      providers: this.deps.providers,
      access: this.deps.access,
      budget: this.deps.budget,
      reply: (card) => reply(turn, card),
    });
  }
}

/**
 * What a mention in a customer thread sends to the customer: the text, unless it is a command
 * (a leading /). `/text <message>` without a number first is the same answer, to this customer.
 */
function answerText(text: string): string | undefined {
  if (!text.startsWith('/')) return text;
  return /^\/text\s+(?!(?:\+|00)\d)([\s\S]+)$/i.exec(text)?.[1]?.trim();
}

async function reply(turn: TurnContext, card: AdaptiveCard): Promise<void> {
  await turn.sendActivity(MessageFactory.attachment(toAttachment(card)));
}
