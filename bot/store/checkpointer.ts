/**
 * Keeps the WAL small. Under load the connection checkpoints itself once the WAL holds
 * WAL_AUTOCHECKPOINT_PAGES (SQLite's automatic checkpoint, PASSIVE, at the end of a commit); the
 * WAL then starts over from its beginning and journal_size_limit cuts the file back. Once no write
 * came for `idleMs`, the WAL is checkpointed and truncated to nothing: an idle bot holds no WAL.
 *
 * Checkpoints run on the bot's thread. A thread of their own would keep their copying out of the
 * commits, but a worker thread with its SQLite connection costs about 20 MB of memory that the
 * process keeps even after the thread ended (measured on Node 24); the copy of a few thousand
 * pages and the database file's sync take milliseconds (docs/performance.md).
 */
import type Sqlite from 'better-sqlite3';

/** WAL pages (4 KiB) at which the connection checkpoints: about 12 MiB. */
export const WAL_AUTOCHECKPOINT_PAGES = 3_000;
/** The WAL file is cut back to this when it starts over. */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

export interface IdleCheckpointOptions {
  /** Quiet time after which the WAL is truncated. */
  idleMs?: number;
  /** Called when the truncating checkpoint fails (it is tried again after the next write). */
  onError?: (err: unknown) => void;
}

export class IdleCheckpoint {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly idleMs: number;
  private readonly onError: (err: unknown) => void;

  constructor(
    private readonly sqlite: Sqlite.Database,
    options: IdleCheckpointOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 1_000;
    this.onError = options.onError ?? (() => {});
  }

  /** A write was committed: the idle period starts again. */
  wrote(): void {
    if (this.stopped) return;
    // refresh() re-arms the one timer, also after it fired: no timer per commit.
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.truncate(), this.idleMs);
      this.timer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private truncate(): void {
    try {
      this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      this.onError(err);
    }
  }
}
