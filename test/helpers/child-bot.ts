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

export interface Spawned {
  process: ChildProcess;
  /** Everything it wrote, stdout and stderr together. */
  output(): string;
  exited: Promise<number | null>;
}

/** Runs `command` in the project folder with only PATH, HOME and `env`, keeping what it writes. */
export function spawnInProject(command: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

/** `preload`: modules run before the bot (`node --import`), e.g. a fault to inject. */
export async function startChildBot(env: Record<string, string>, preload: string[] = []): Promise<ChildBot> {
  const imports = preload.flatMap((file) => ['--import', file]);
  const spawned = spawnInProject(
    process.execPath,
    ['--import', 'tsx', ...imports, '--no-deprecation', 'bot/main.ts'],
    env,
  );
  const child = spawned.process;
  const output = () => spawned.output();
  const url = `http://127.0.0.1:${env['PORT']}`;
  await eventually(
    'the bot to become ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output()}`);
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
    output,
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      await spawned.exited;
    },
  };
}
