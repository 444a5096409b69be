/** A child process the CLI scripts start and own: its output tail, its exit, and a stop that waits. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<Exit>;
  /** The last lines it wrote (stdout and stderr together). */
  tail(lines?: number): string;
  /** Calls `listener` with every further line it writes. */
  onLine(listener: (line: string) => void): void;
  /** Sends `signal`, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

export interface StartOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Also append everything it writes to this file. */
  logFile?: string;
}

const TAIL_LINES = 200;

/** Children started and not yet exited, oldest first. */
const running: Child[] = [];

/** Stops every child still running, newest first (a client before the server it talks to). */
export async function stopAllChildren(): Promise<void> {
  for (const child of [...running].reverse()) await child.stop('SIGTERM');
}

export function startChild(name: string, command: string, args: string[], options: StartOptions): Child {
  // Its own process group: a Ctrl-C in the terminal reaches only the parent, which then stops the
  // children in order instead of racing them.
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  let partial = '';
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const listener of listeners) listener(line);
    }
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<Exit>((resolve) => {
    proc.once('close', (code, signal) => {
      log?.end();
      resolve({ code, signal });
    });
    proc.once('error', (err) => {
      lines.push(`could not start ${name}: ${err.message}`);
      log?.end();
      resolve({ code: null, signal: null });
    });
  });
  // A crash of the parent must not leave the children running.
  const killOnExit = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  const child: Child = {
    name,
    process: proc,
    exited,
    tail: (n = 40) =>
      [...lines, partial]
        .filter((l) => l !== '')
        .slice(-n)
        .join('\n'),
    onLine: (listener) => {
      listeners.push(listener);
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      return exited;
    },
  };
  running.push(child);
  void exited.then(() => running.splice(running.indexOf(child), 1));
  return child;
}

/** "exited with code 1" / "was stopped by SIGKILL", for messages. */
export function describeExit(exit: Exit): string {
  if (exit.signal) return `was stopped by ${exit.signal}`;
  return exit.code === null ? 'could not be started' : `exited with code ${exit.code}`;
}

/**
 * Polls `check` until it returns a value; fails with the child's output tail when the child exits
 * first or `timeoutMs` passes.
 */
export async function waitFor<T>(
  child: Child,
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  let exit: Exit | undefined;
  void child.exited.then((e) => {
    exit = e;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) throw new Error(`${child.name} ${describeExit(exit)} before ${what}:\n${child.tail()}`);
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`${child.name}: no ${what} within ${timeoutMs / 1000} s:\n${child.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
