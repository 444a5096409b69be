/**
 * `npm run playground`: the Microsoft 365 Agents Playground (a Teams-like web client with a mock
 * Bot Connector) against a bot started separately (`npm start`, or `SANDBOX=1 npm start`).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { portAnswers } from './bot-process.ts';
import { DEFAULT_PLAYGROUND_PORT, startPlayground } from './playground-process.ts';
import { CliError, cliConfig, runCli } from './settings.ts';
import { stopOnSignals, untilAChildExits } from './supervise.ts';

const USAGE = `Usage: npm run playground [-- --port <port>]

Runs the Microsoft 365 Agents Playground against the bot on http://localhost:<PORT>/api/messages
(PORT as the bot reads it). The bot must run in local mode (no MicrosoftAppId).

  --port <port>  the Playground's port (default ${DEFAULT_PLAYGROUND_PORT})`;

async function main(): Promise<number> {
  const { values } = parseFlags();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PLAYGROUND_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CliError(`--port must be a port number, got "${values.port}".\n\n${USAGE}`);
  }
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

function parseFlags() {
  try {
    return parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`);
  }
}

runCli(main);
