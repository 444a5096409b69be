/**
 * Child processes for the benchmark: the service under test runs in its own process, so the load
 * generator never shares an event loop with it. Every child is killed when the benchmark exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** A loopback port that was free a moment ago (the tests' helper). */
export { freePort } from '../test/helpers/ports.ts';

export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

export interface SpawnOptions {
  name: string;
  /** Absolute path of the entry point: TypeScript (run with tsx) or built JavaScript. */
  entry: string;
  port: number;
  env: Record<string, string>;
  cwd: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/**
 * Starts `node [--import tsx] <entry>` with a minimal environment; its output goes to our
 * stderr. A .ts entry runs with the TypeScript loader, a .js one as built.
 */
export function spawnService(opts: SpawnOptions): Service {
  const loader = opts.entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const inherited: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) inherited[key] = value;
  }
  const child = spawn(
    process.execPath,
    [...loader, '--no-deprecation', ...(opts.nodeFlags ?? []), opts.entry],
    { cwd: opts.cwd, env: { ...inherited, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name}`);
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') process.stderr.write(`  [${opts.name}] ${line}\n`);
    });
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return { name: opts.name, child, pid: child.pid, url: `http://127.0.0.1:${opts.port}`, exited };
}

/** Polls `path` until `accept(status)` or the deadline; fails early if the process dies. */
export async function waitReady(
  service: Service,
  path: string,
  accept: (status: number) => boolean,
  timeoutMs = 30_000,
): Promise<number> {
  const started = performance.now();
  let died: number | string | undefined;
  void service.exited.then((code) => {
    died = code;
  });
  let last = 'no answer yet';
  while (performance.now() - started < timeoutMs) {
    if (died !== undefined) throw new Error(`${service.name} exited (${died}) before it was ready`);
    try {
      const res = await request(`${service.url}${path}`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
      await res.body.dump();
      if (accept(res.statusCode)) return performance.now() - started;
      last = `HTTP ${res.statusCode}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs} ms (${last})`);
}

/** Resident set size of a process in bytes, from /proc (undefined where /proc is unavailable). */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, ms) a process has used so far: its main thread (the one whose id is
 * the process id) and all its other threads together (worker threads, GC and libuv helpers).
 */
export function cpuMs(pid: number): { main: number; others: number } | undefined {
  const tick = 10; // USER_HZ is 100 on Linux
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * tick;
      if (tid === String(pid)) main += ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}

/** Samples the RSS of `pid` every `everyMs` and keeps the peak. */
export class RssSampler {
  peak = 0;
  samples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  private sample(): void {
    const rss = rssBytes(this.pid);
    if (rss === undefined) return;
    this.samples += 1;
    if (rss > this.peak) this.peak = rss;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. Returns how the process ended. */
export async function stopService(
  service: Service,
  graceMs = 20_000,
): Promise<{ exit: number | string; killed: boolean }> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) {
    return { exit: await service.exited, killed: false };
  }
  service.child.kill('SIGTERM');
  const cancel = new AbortController();
  const timer = sleep(graceMs, undefined, { signal: cancel.signal }).then(
    () => 'timeout' as const,
    () => 'cancelled' as const,
  );
  const first = await Promise.race([service.exited, timer]);
  cancel.abort();
  if (first !== 'timeout') return { exit: await service.exited, killed: false };
  service.child.kill('SIGKILL');
  return { exit: await service.exited, killed: true };
}
