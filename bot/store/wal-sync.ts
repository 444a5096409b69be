/**
 * Makes SQLite's WAL durable off the event loop. The connection commits with synchronous =
 * NORMAL: a commit writes its frames to the WAL (into the operating system's cache) without
 * waiting for the disk, and this syncs the WAL file from libuv's thread pool. A group commit's
 * writes resolve only after a sync that started after their commit, so nothing is acknowledged
 * before it is on disk: the guarantee of synchronous = FULL, whose sync inside the commit would
 * block the thread that parses the next requests (docs/performance.md has the figures).
 *
 * What NORMAL leaves out is exactly the sync after each commit: SQLite still syncs the WAL before
 * every checkpoint, the database file after it, and the WAL header when the WAL starts over
 * (sqlite.org/pragma.html#pragma_synchronous). Every write of the store, job claims included,
 * resolves only once durable, so the worker never acts on a row a power loss could take back.
 */
import { closeSync, fdatasync, fstatSync, fsync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const syncData = promisify(fdatasync);
const syncAll = promisify(fsync);

export class WalSync {
  private fd: number | undefined;
  /** The sync in flight: it may have started before the caller's commit. */
  private running: Promise<void> | undefined;
  /** The sync that starts once the running one ends: it covers every commit made until then. */
  private queued: Promise<void> | undefined;

  constructor(
    private readonly walFile: string,
    private readonly sync: (fd: number) => Promise<void> = syncData,
  ) {}

  /**
   * Opens the WAL file and makes its directory entry durable (SQLite syncs the directory only
   * when it syncs the WAL itself, which under NORMAL can be long after the first commit).
   */
  async open(): Promise<void> {
    this.fd = openSync(this.walFile, 'r');
    const dir = openSync(path.dirname(this.walFile), 'r');
    try {
      await syncAll(dir);
    } finally {
      closeSync(dir);
    }
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  flushed(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.start();
      return this.running;
    }
    const after = () => {
      this.queued = undefined;
      this.running = this.start();
      return this.running;
    };
    this.queued = this.running.then(after, after);
    return this.queued;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async start(): Promise<void> {
    const running = this.syncOnce();
    try {
      await running;
    } finally {
      if (!this.queued) this.running = undefined;
    }
  }

  private async syncOnce(): Promise<void> {
    if (this.fd === undefined) throw new Error(`the WAL ${this.walFile} is not open`);
    // SQLite keeps the same WAL file while a connection is open; were it ever replaced, sync the
    // one that holds the commits now.
    if (fstatSync(this.fd).ino !== statSync(this.walFile).ino) {
      closeSync(this.fd);
      this.fd = undefined;
      await this.open();
    }
    await this.sync(this.fd as number);
  }
}
