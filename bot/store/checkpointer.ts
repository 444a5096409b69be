/**
 * Moves committed pages from the WAL into the database file on a connection of its own, in a
 * thread of its own. SQLite otherwise checkpoints inside the commit that fills the WAL past 1,000
 * pages: under load that is several times a second, and each time every write waiting behind
 * that commit waits for the copy and the database file's fsync too.
 *
 * PASSIVE checkpoints never block the writer. The writer keeps a far larger automatic checkpoint
 * (FALLBACK_CHECKPOINT_PAGES): under steady load new frames keep arriving while this thread
 * copies, so it is the writer's own checkpoint, left with next to nothing to copy, that lets the
 * WAL start over; and the WAL stays bounded if this thread ever stops.
 */
import { Worker } from 'node:worker_threads';

/** Pages in the WAL at which the writer checkpoints by itself (normally never reached). */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

// Plain CommonJS, so it runs the same from source and built: no TypeScript, no bundle.
const code = `
const { workerData, parentPort } = require('node:worker_threads');
const Sqlite = require(workerData.sqlite);
const db = new Sqlite(workerData.file);
// FULL: the WAL is synced before its pages are copied, the database file after.
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Busy: another checkpoint is running, the next tick tries again. Anything else ends the thread.
    if (err.code !== 'SQLITE_BUSY') throw err;
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, sqliteModule: string, everyMs = 100): Checkpointer {
  const worker = new Worker(code, {
    eval: true,
    workerData: { file, sqlite: sqliteModule, everyMs },
    execArgv: [],
    // It allocates next to nothing; a small heap keeps the thread's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A failure here costs speed, not data: the writer's own checkpoints take over.
  worker.on('error', (err) => {
    process.emitWarning(`SQLite checkpoints are back in the writer's commits: ${err.message}`);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
