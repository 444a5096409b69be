/**
 * Which job the running code belongs to. A job's handler runs inside its context, and the context
 * follows the handler's timers, callbacks and promises, so when the process dies of an uncaught
 * exception the crash handler can tell whether a job did it, and which (bot/crash-record.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ jobId: number }>();

export function runAsJob<T>(jobId: number, fn: () => Promise<T>): Promise<T> {
  return context.run({ jobId }, fn);
}

/** The job whose code is running now, if any. */
export function currentJobId(): number | undefined {
  return context.getStore()?.jobId;
}
