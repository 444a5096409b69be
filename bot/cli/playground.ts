/**
 * `npm run playground`: the Microsoft 365 Agents Playground (a Teams-like web client with a mock
 * Bot Connector) against a bot started separately (`npm start`, or `SANDBOX=1 npm start`).
 */
import path from 'node:path';
import { portAnswers } from './bot-process.ts';
import { DEFAULT_PLAYGROUND_PORT, startPlayground } from './playground-process.ts';
import { cliConfig, playgroundPortFlag, runCli } from './settings.ts';
import { stopOnSignals, untilAChildExits } from './supervise.ts';

const USAGE = `Usage: npm run playground [-- --port <port>]

Runs the Microsoft 365 Agents Playground against the bot on http://localhost:<PORT>/api/messages
(PORT as the bot reads it). The bot must run in local mode (no MicrosoftAppId).

  --port <port>  the Playground's port (default ${DEFAULT_PLAYGROUND_PORT})`;

async function main(): Promise<number> {
  const port = playgroundPortFlag(USAGE, DEFAULT_PLAYGROUND_PORT);
  if (port === undefined) return 0;
  const config = cliConfig();
  if (config.bot.appId) {
    console.warn(
      'MicrosoftAppId is set: the bot checks Bot Framework tokens, which the Playground cannot sign. ' +
        'Leave the Microsoft* variables empty to use it.',
    );
  }
  const botEndpoint = `http://localhost:${config.port}/api/messages`;
  if (!(await portAnswers(config.port))) {
    console.log(
      `No bot answers on port ${config.port} yet. Start it in another terminal with \`npm start\` ` +
        '(or `SANDBOX=1 npm start` for pretend customers); the Playground connects once it is up.',
    );
  }
  stopOnSignals('the Playground');
  const playground = await startPlayground({
    botEndpoint,
    port,
    logDir: path.join(config.dataDir, 'playground'),
  });
  console.log(
    [
      '',
      `Agents Playground: ${playground.url}   (bot: ${botEndpoint})`,
      '',
      'Open it in a browser. Under "Teams Channel" pick General (team "My Team"), then post',
      '"@Test Bot help": type @, pick Test Bot, type the command, press Post.',
      'In sandbox mode, "@Test Bot link sandbox" there, then `npm run simulate -- --from +15551234567 "Hi"`.',
      '',
      'Ctrl-C stops the Playground.',
    ].join('\n'),
  );
  return untilAChildExits([playground.child]);
}

runCli(main);
