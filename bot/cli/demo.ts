/**
 * `npm run demo`: the whole loop on one machine, no accounts. Starts the bot in sandbox mode and
 * the Agents Playground in front of it, links the Playground's General channel to the sandbox,
 * lets a first pretend customer text in, and says what to try. Ctrl-C stops everything.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { portAnswers, startBot } from './bot-process.ts';
import { stopAllChildren } from './child.ts';
import { injectInbound } from './inbound.ts';
import { watchPages } from './page-watch.ts';
import { askBot, PLAYGROUND } from './playground-api.ts';
import { DEFAULT_PLAYGROUND_PORT, startPlayground } from './playground-process.ts';
import { CliError, cliConfig, playgroundPortFlag, ROOT, runCli } from './settings.ts';
import { stopOnSignals, untilAChildExits } from './supervise.ts';

const DEMO_DIR = path.join(ROOT, 'data', 'demo');
const FIRST_CUSTOMER = { from: '+15551234567', text: 'Hi, is my order late?' };

const USAGE = `Usage: npm run demo [-- --port <playground port>]

Starts the bot in sandbox mode (store in data/demo, emptied at every start) and the Microsoft 365
Agents Playground (default port ${DEFAULT_PLAYGROUND_PORT}), links the Playground's General channel, and
lets a first pretend customer text in. Ctrl-C stops both.`;

async function main(): Promise<number> {
  const playgroundPort = playgroundPortFlag(USAGE, DEFAULT_PLAYGROUND_PORT);
  if (playgroundPort === undefined) return 0;
  // Local mode (no Microsoft* credentials): the Playground cannot sign Bot Framework tokens.
  const demoEnv = {
    SANDBOX: '1',
    DATA_DIR: DEMO_DIR,
    HOST: '127.0.0.1',
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    MicrosoftAppTenantId: '',
  };
  const config = sandboxConfig(demoEnv);
  if (config.port === 0) throw new CliError('PORT=0 picks a random port; the demo needs a fixed one.');
  if (await portAnswers(config.port)) {
    throw new CliError(
      `Something already answers on port ${config.port} (another bot?). Stop it, or run the demo with PORT=<another port>.`,
    );
  }

  // The Playground keeps its conversations only in the open page, so old threads would point nowhere.
  rmSync(DEMO_DIR, { recursive: true, force: true });
  mkdirSync(DEMO_DIR, { recursive: true });
  stopOnSignals('the demo');
  try {
    console.log('Starting the bot in sandbox mode…');
    const bot = await startBot({ ...process.env, ...demoEnv }, config.port, {
      logFile: path.join(DEMO_DIR, 'bot.log'),
    });
    // Between the Playground and the bot, to see when its page opens (cli/page-watch.ts).
    const pages = await watchPages(bot.url);
    console.log('Starting the Agents Playground…');
    const playground = await startPlayground({
      botEndpoint: `${pages.url}/api/messages`,
      port: playgroundPort,
      logDir: path.join(DEMO_DIR, 'playground'),
    });
    console.log(
      [
        '',
        `Open ${playground.url} in a browser now. The demo waits for that page before the first`,
        'customer texts: the Playground shows only what happens while its page is open, and a page',
        'that is closed or reloaded starts empty.',
      ].join('\n'),
    );
    await pages.firstPage;
    console.log('The page is open: linking its General channel to the sandbox…');
    pages.onLaterPage(() =>
      console.log(
        [
          '',
          'Another Playground page opened (or the page was reloaded). It starts empty: the threads of',
          'customers who texted before are not in it, and their new texts will not show there.',
          'To start over, stop the demo (Ctrl-C) and run npm run demo again.',
        ].join('\n'),
      ),
    );

    const answer = await askBot(playground.url, 'link sandbox');
    if (!/linked|link moved/i.test(answer)) {
      throw new CliError(`Linking the Playground's channel failed. The bot answered:\n${answer}`);
    }
    console.log(`Linked General to the sandbox: ${answer.split('\n').join(' ')}`);
    await injectInbound(bot.url, FIRST_CUSTOMER);
    console.log(`${FIRST_CUSTOMER.from} texted "${FIRST_CUSTOMER.text}"`);
    printWhatToTry(playground.url, bot.url);
    return await untilAChildExits([bot.child, playground.child]);
  } catch (err) {
    await stopAllChildren();
    throw err;
  }
}

function sandboxConfig(demoEnv: Record<string, string>) {
  try {
    return cliConfig(demoEnv);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    throw new CliError(
      `The demo runs the bot with SANDBOX=1 and cannot start with these settings.\n${err.message}\n` +
        'The sandbox never runs next to a real provider: run the demo where no provider is configured.',
    );
  }
}

function printWhatToTry(playgroundUrl: string, botUrl: string): void {
  const { user, bot } = PLAYGROUND;
  console.log(
    [
      '',
      'textbridge demo is running in sandbox mode: no real texts are sent or received.',
      '',
      `  Agents Playground  ${playgroundUrl}`,
      `  Inbox              ${botUrl}/tab/inbox   (every conversation at once, in any browser)`,
      `  bot                ${botUrl}   (log: ${path.relative(ROOT, DEMO_DIR)}/bot.log)`,
      '',
      `1. In the Playground page you are ${user.name}. Under "Teams Channel" pick General (team "My Team").`,
      `   The newest post is the thread of ${FIRST_CUSTOMER.from}: "${FIRST_CUSTOMER.text}"`,
      `2. Answer in that thread: in its "Type a message..." box type @, pick ${bot.name}, write the`,
      '   answer, press Enter. Its card shows Queued, then Sent, then Delivered, in place.',
      '   A reply without the @mention is an internal note: it is never texted.',
      '3. More customers, from another terminal:',
      `     npm run simulate -- --from ${FIRST_CUSTOMER.from} "Any news?"        (same thread)`,
      '     npm run simulate -- --from +15550001111 "Open on Sundays?"   (a new thread)',
      '     npm run simulate -- --from +15555550100 "Call me back"       (answers fail: unreachable)',
      '   Answers to +15555550101 are rejected, to +15555550102 they expire.',
      `4. Commands: start a new post in General with "@${bot.name} help" or "@${bot.name} links".`,
      '5. Open the Inbox: Waiting, Mine, Unassigned, Failed and Resolved with their counts; answer,',
      '   claim or resolve there, and start a conversation with "New conversation". It updates live.',
      '',
      'Keep this Playground page open: the conversation lives in the page. A reloaded page starts empty',
      'and no longer shows the existing threads (the demo says so); restart the demo to start over.',
      'Ctrl-C stops the demo.',
    ].join('\n'),
  );
}

runCli(main);
