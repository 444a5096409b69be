/**
 * A process that dies the way the bot can die, for the crash-record test: an uncaught error in
 * a job's code (`job`), or outside any job (`other`). argv: <data dir> <job|other>.
 */
import pino from 'pino';
import { exitOnUncaught } from '../../bot/crash-record.ts';
import { currentJobId, runAsJob } from '../../bot/worker/job-context.ts';

const [dataDir = '.', where = 'other'] = process.argv.slice(2);
exitOnUncaught(dataDir, pino(), currentJobId);
if (where === 'job') {
  void runAsJob(42, async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Thrown from a callback the job scheduled, as a bug in a handler would be.
    setImmediate(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
  });
} else if (where === 'rejection') {
  void runAsJob(7, async () => {
    // A handler that forgot to await a call that then fails.
    void new Promise((_resolve, reject) =>
      setTimeout(() => reject(new Error('a promise nobody awaited')), 10),
    );
  });
} else {
  setTimeout(() => {
    throw new Error('a request handler failed');
  }, 10);
}
setInterval(() => {}, 1000);
