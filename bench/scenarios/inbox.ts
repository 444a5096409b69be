/**
 * inbox: bench/inbox.ts (the Inbox's list, search, tab and live-update figures) as a scenario of
 * the runner. It runs in a process of its own and prints its own figures; the runner reports
 * whether it passed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScenarioReport } from '../report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function runInbox(): Promise<ScenarioReport> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), 'bench/inbox.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const code = await new Promise<number | string>((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? signal ?? 'unknown')),
  );
  return {
    scenario: 'inbox',
    title: 'inbox (figures printed above by bench/inbox.ts)',
    rows: [{ figure: 'bench/inbox.ts exit status', value: String(code) }],
    charts: [],
    ...(code === 0 ? {} : { failed: `bench/inbox.ts ended with ${code}` }),
    data: { exit: code },
  };
}
