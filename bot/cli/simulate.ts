/**
 * `npm run simulate -- --from +15551234567 "Hi, is my order late?"`: a pretend customer texts the
 * running bot (sandbox mode only). The message shows up in Teams like a real one.
 */
import { SANDBOX_BUSINESS_NUMBER, SANDBOX_NUMBERS } from '../../adapters/sandbox/index.ts';
import { injectInbound } from './inbound.ts';
import { CliError, cliConfig, parseCliArgs, runCli } from './settings.ts';

const USAGE = `Usage: npm run simulate -- --from <number> [--to <number>] [--url <bot url>] "<text>"

Sends "<text>" to the running bot as if the customer <number> (E.164, such as +15551234567) had
texted the sandbox business number. The bot must run in sandbox mode (npm run demo, or
SANDBOX=1 npm start).

  --from <number>  the customer's number
  --to <number>    the business number texted (default ${SANDBOX_BUSINESS_NUMBER})
  --url <url>      the bot (default http://127.0.0.1:<PORT>, PORT as the bot reads it)

Answers to these numbers fail on purpose: ${Object.entries(SANDBOX_NUMBERS)
  .map(([number, outcome]) => `${number} (${outcome.status})`)
  .join(', ')}.`;

async function main(): Promise<number> {
  const parsed = parseCliArgs(
    { from: { type: 'string' }, to: { type: 'string' }, url: { type: 'string' } },
    USAGE,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const text = positionals.join(' ').trim();
  const problems = [
    values.from ? '' : 'say who texts with --from <number>',
    text ? '' : 'give the message text',
  ].filter(Boolean);
  if (problems.length > 0) throw new CliError(`Missing input: ${problems.join('; ')}.\n\n${USAGE}`);
  const from = values.from ?? '';
  const botUrl = values.url ?? `http://127.0.0.1:${cliConfig().port}`;

  const result = await injectInbound(botUrl, { from, text, ...(values.to ? { to: values.to } : {}) });
  const to = values.to ?? SANDBOX_BUSINESS_NUMBER;
  if (!result.stored) {
    console.log(`The bot already had this message from ${from}; nothing new was posted.`);
    return 0;
  }
  console.log(
    [
      `${from} texted ${to}: "${text}"`,
      `The bot stored it (message ${result.messageId ?? 'id not given'}) and posts it to Teams now:`,
      `a new thread in the channel linked to the sandbox, or the customer's existing thread.`,
      `No channel linked yet? It waits until one is: in a channel, send "@<bot> link sandbox".`,
    ].join('\n'),
  );
  const outcome = SANDBOX_NUMBERS[from];
  if (outcome) console.log(`Answers to ${from} end ${outcome.status}: ${outcome.reason ?? ''}`);
  return 0;
}

runCli(main);
