/** The Bot Framework CloudAdapter, configured from the standard Microsoft* variables. */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';

export function createAdapter(
  config: Config,
  log: Logger,
  credentials?: ServiceClientCredentialsFactory,
): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(
    config.bot.frameworkOptions as ConfigurationBotFrameworkAuthenticationOptions,
    credentials,
  );
  const adapter = new CloudAdapter(auth);
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
  return adapter;
}
