/**
 * Runs the pinned Microsoft 365 Agents Playground (`agentsplayground`, package.json) as a child
 * process against a bot: a Teams-like web client with a mock Bot Connector, no tenant needed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Child, startChild, waitFor } from './child.ts';
import { ROOT } from './settings.ts';

export const PLAYGROUND_BIN = path.join(ROOT, 'node_modules', '.bin', 'agentsplayground');
export const DEFAULT_PLAYGROUND_PORT = 56150;

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, such as http://localhost:3978/api/messages. */
  botEndpoint: string;
  port: number;
  /** Where the Playground writes its own log (it defaults to ./devTools in its working folder). */
  logDir: string;
  /** How long to wait for its page to answer. */
  timeoutMs?: number;
}

export interface RunningPlayground {
  child: Child;
  /** Where to open it; the port can differ from the one asked for (it moves on when that is taken). */
  url: string;
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  mkdirSync(options.logDir, { recursive: true });
  const child = startChild(
    'the Agents Playground',
    process.execPath,
    [
      PLAYGROUND_BIN,
      '-e',
      options.botEndpoint,
      '-c',
      'msteams',
      '--disable-telemetry',
      '-p',
      String(options.port),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        // Do not open a browser; the user (or the test) opens the page.
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(options.logDir, 'agentsplayground.log'),
      },
      logFile: path.join(options.logDir, 'playground.out'),
    },
  );
  // It prints the port it really listens on: the one asked for, or another when that is taken.
  let port: number | undefined;
  child.onLine((line) => {
    const match = /Listening on (\d+)/.exec(line);
    if (match) port = Number(match[1]);
  });
  try {
    const url = await waitFor(
      child,
      'page',
      async () => {
        if (port === undefined) return undefined;
        const candidate = `http://localhost:${port}`;
        const ok = await fetch(candidate, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        );
        return ok ? candidate : undefined;
      },
      options.timeoutMs ?? 30_000,
    );
    return { child, url };
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
}
