/**
 * Posts a pretend customer message to a running bot's `POST /sandbox/inbound` and explains the
 * answer in plain words. Used by `npm run simulate` and `npm run demo`.
 */
import { CliError } from './settings.ts';

export interface InboundMessage {
  from: string;
  text: string;
  to?: string;
}

export interface Injected {
  /** False when the bot already had this message. */
  stored: boolean;
  messageId?: string;
}

export async function injectInbound(botUrl: string, message: InboundMessage): Promise<Injected> {
  const url = new URL('/sandbox/inbound', botUrl);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new CliError(
      `No bot is answering at ${botUrl} (${why}).\n` +
        'Start one in sandbox mode with `npm run demo` (bot and Playground) or `SANDBOX=1 npm start`, ' +
        'or point at it with --url.',
    );
  }
  const text = await res.text();
  const body = parseJson(text);
  const error = typeof body?.['error'] === 'string' ? body['error'] : text.slice(0, 300);
  switch (res.status) {
    case 200:
      return {
        stored: body?.['stored'] !== 0,
        ...(typeof body?.['messageId'] === 'string' ? { messageId: body['messageId'] } : {}),
      };
    case 400:
      throw new CliError(`The bot refused the message: ${error}`);
    case 403:
      throw new CliError(`The bot refused the message: ${error}. Run this on the bot's machine.`);
    case 404:
      throw new CliError(
        `The bot at ${botUrl} is not in sandbox mode, so it takes no pretend messages.\n` +
          'Start it with SANDBOX=1 (and no real provider configured), or use `npm run demo`.',
      );
    default:
      throw new CliError(`The bot answered ${res.status}: ${error}`);
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
