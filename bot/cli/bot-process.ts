/** Runs the bot (`bot/main.ts`) as a child process, as `npm start` would, and waits until it is ready. */
import { type Child, startChild, waitFor } from './child.ts';
import { ROOT } from './settings.ts';

export interface RunningBot {
  child: Child;
  url: string;
}

export async function startBot(
  env: NodeJS.ProcessEnv,
  port: number,
  options: { logFile?: string; timeoutMs?: number } = {},
): Promise<RunningBot> {
  const child = startChild(
    'the bot',
    process.execPath,
    ['--import', 'tsx', '--no-deprecation', 'bot/main.ts'],
    {
      cwd: ROOT,
      env: { ...env, PORT: String(port) },
      ...(options.logFile ? { logFile: options.logFile } : {}),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      child,
      'answer on /readyz',
      () =>
        fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => (r.status === 200 ? true : undefined),
          () => undefined,
        ),
      options.timeoutMs ?? 30_000,
    );
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
  return { child, url };
}

/** Whether something already answers HTTP on this port of this machine. */
export async function portAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
}
