/**
 * Why the last run of the bot ended, kept in DATA_DIR for the next start. The next start takes the
 * jobs that were running back into the queue, and this decides whose attempts that uses up: only a
 * job that itself stopped the process is charged; jobs that merely were in flight when something
 * else crashed it (a request, a timer of the HTTP server) or when it was stopped get their attempt
 * back. Without a record (SIGKILL, out of memory, power loss) nobody can tell, and every job that
 * was running is charged one attempt, so a job that kills the process cannot do so for ever.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type StopCause =
  /** The process died of an uncaught error in this job's code. */
  | { kind: 'job'; jobId: number }
  /** It died of an error outside any job, or was stopped on purpose: no job is to blame. */
  | { kind: 'not-a-job' }
  /** Nothing was recorded: killed from outside, out of memory, or a first start. */
  | { kind: 'unknown' };

const FILE = 'last-stop.json';

/** Written synchronously: it runs while the process is about to exit. */
export function recordStop(
  dataDir: string,
  cause: Exclude<StopCause, { kind: 'unknown' }>,
  error?: unknown,
): void {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : undefined;
  const record = { ...cause, at: new Date().toISOString(), ...(what ? { error: what.slice(0, 500) } : {}) };
  // On PostgreSQL nothing else writes DATA_DIR, so it may not exist yet.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, FILE), JSON.stringify(record));
}

/** Reads and removes the record of the last stop. */
export function takeLastStop(dataDir: string): StopCause & { error?: string } {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return { kind: 'unknown' };
  let record: { kind?: unknown; jobId?: unknown; error?: unknown } = {};
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as typeof record;
  } catch {
    // A record cut short by the crash itself says no more than none.
  }
  rmSync(file, { force: true });
  const error = typeof record.error === 'string' ? { error: record.error } : {};
  if (record.kind === 'job' && typeof record.jobId === 'number')
    return { kind: 'job', jobId: record.jobId, ...error };
  if (record.kind === 'not-a-job') return { kind: 'not-a-job', ...error };
  return { kind: 'unknown' };
}

/**
 * Ends the process on an uncaught exception or unhandled rejection, as Node would, but first
 * records whose code it was and logs it as one JSON line.
 */
export function exitOnUncaught(
  dataDir: string,
  log: { fatal(obj: object, msg: string): void },
  currentJobId: () => number | undefined,
): void {
  const die = (err: unknown, origin: string) => {
    const jobId = currentJobId();
    try {
      recordStop(dataDir, jobId === undefined ? { kind: 'not-a-job' } : { kind: 'job', jobId }, err);
    } catch (writeErr) {
      log.fatal({ err: writeErr }, 'could not record why the bot stops');
    }
    log.fatal({ err, origin, jobId: jobId ?? null }, 'the bot stops on an unexpected error');
    process.exit(1);
  };
  process.on('uncaughtException', (err, origin) => die(err, origin));
  process.on('unhandledRejection', (reason) => die(reason, 'unhandledRejection'));
}
