/** Runs the bot as a real child process (`bot/main.ts`), as an operator would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './wait.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildBot {
  process: ChildProcess;
  url: string;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `preload`: modules run before the bot (`node --import`), e.g. a fault to inject. */
export async function startChildBot(env: Record<string, string>, preload: string[] = []): Promise<ChildBot> {
  const imports = preload.flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports, '--no-deprecation', 'bot/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${env['PORT']}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await eventually(
    'the bot to become ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output}`);
      return fetch(`${url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
    },
    30_000,
  );
  return {
    process: child,
    url,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}
