/** The Bot Framework CloudAdapter, configured from the standard Microsoft* variables. */
import {
  type Activity,
  CloudAdapter,
  type ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { AuthenticateRequestResult, ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from 'pino';
import type { TeamsBudget } from '../budget/teams-budget.ts';
import type { Config } from '../config.ts';
import { BudgetedAuthentication } from './budgeted-auth.ts';

/** CloudAdapter that runs turns of requests authenticated before (bot/http/messages-route.ts). */
export class TextbridgeAdapter extends CloudAdapter {
  /** `undefined` = local mode: botbuilder lets the activity through as anonymous. */
  runChecked(
    request: AuthenticateRequestResult | undefined,
    activity: Activity,
    logic: (turn: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return request
      ? this.processActivity(request, activity, logic)
      : this.processActivity('', activity, logic);
  }
}

export interface BotFramework {
  adapter: TextbridgeAdapter;
  /** Outbound credentials and connector factories; inbound tokens are checked by bot-token.ts. */
  auth: ConfigurationBotFrameworkAuthentication;
}

/** Every call the adapter's connector clients make spends `budget` (budgeted-auth.ts). */
export function createBotFramework(
  config: Config,
  log: Logger,
  budget: TeamsBudget,
  credentials?: ServiceClientCredentialsFactory,
): BotFramework {
  const auth = new BudgetedAuthentication(
    config.bot.frameworkOptions as ConfigurationBotFrameworkAuthenticationOptions,
    credentials,
    budget,
  );
  const adapter = new TextbridgeAdapter(auth);
  adapter.onTurnError = async (turn, err) => {
    log.error(
      { err, activityType: turn.activity.type, conversation: turn.activity.conversation?.id },
      'turn failed',
    );
    // Say so in Teams rather than leave the agent guessing; an invoke gets its error status instead.
    if (turn.activity.type === 'message') {
      await turn
        .sendActivity(
          'Sorry, something went wrong while handling that. The error was logged; please try again.',
        )
        .catch((e: unknown) => log.warn({ err: e }, 'could not report the error in Teams'));
    }
  };
  return { adapter, auth };
}
