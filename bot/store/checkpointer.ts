/**
 * Moves committed pages from the WAL into the database file on a connection of its own, in a
 * thread of its own. SQLite otherwise checkpoints inside the commit that fills the WAL past its
 * threshold: under load that is several times a second, and each time every write waiting behind
 * that commit waits for the copy and the database file's fsync too.
 *
 * PASSIVE checkpoints never block the bot's writes. The bot's connection keeps an automatic
 * checkpoint of its own at WAL_AUTOCHECKPOINT_PAGES: under steady load new frames keep arriving
 * while this thread copies, so it is that checkpoint, left with next to nothing to copy, that lets
 * the WAL start over from its beginning (and journal_size_limit cuts the file back); the WAL stays
 * bounded if this thread ever stops. Once no page was written for IDLE_MS, the WAL is truncated
 * to nothing: an idle bot holds no WAL at all.
 */
import { Worker } from 'node:worker_threads';

/** WAL pages (4 KiB) at which the bot's own connection checkpoints: about 8 MiB. */
export const WAL_AUTOCHECKPOINT_PAGES = 2_000;
/** The WAL file is cut back to this when it starts over (and never stays above it for long). */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

// Plain CommonJS, so it runs the same from source and built: no TypeScript, no bundle.
const code = `
const { workerData, parentPort } = require('node:worker_threads');
const Sqlite = require(workerData.sqlite);
const db = new Sqlite(workerData.file);
// FULL: the WAL is synced before its pages are copied, the database file after.
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 1000');
let lastFrames = -1;
let quietSince = Date.now();
function checkpoint(mode) {
  try {
    return db.pragma('wal_checkpoint(' + mode + ')')[0];
  } catch (err) {
    // Busy: another checkpoint is running, the next tick tries again. Anything else ends the thread.
    if (err.code !== 'SQLITE_BUSY') throw err;
    return undefined;
  }
}
const timer = setInterval(() => {
  const result = checkpoint('PASSIVE');
  if (!result) return;
  const now = Date.now();
  if (result.log !== lastFrames) {
    lastFrames = result.log;
    quietSince = now;
    return;
  }
  // Nothing written since the last tick for a while, and every frame copied: give the file back.
  if (result.log > 0 && result.checkpointed === result.log && now - quietSince >= workerData.idleMs) {
    checkpoint('TRUNCATE');
    lastFrames = -1;
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

export interface CheckpointerOptions {
  everyMs?: number;
  /** Quiet time after which the WAL is truncated. */
  idleMs?: number;
}

export function startCheckpointer(
  file: string,
  sqliteModule: string,
  { everyMs = 100, idleMs = 1_000 }: CheckpointerOptions = {},
): Checkpointer {
  const worker = new Worker(code, {
    eval: true,
    workerData: { file, sqlite: sqliteModule, everyMs, idleMs },
    execArgv: [],
    // It allocates next to nothing; a small heap keeps the thread's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A failure here costs speed, not data: the bot's own checkpoints take over.
  worker.on('error', (err) => {
    process.emitWarning(`SQLite checkpoints are back in the bot's commits: ${err.message}`);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
