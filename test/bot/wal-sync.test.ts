/** WalSync: every write resolves after a sync that started after it; syncs are shared. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../bot/store/group-commit.ts';
import { WalSync } from '../../bot/store/wal-sync.ts';

/** A sync the test finishes by hand, recording when each one started. */
function manualSync() {
  const started: Array<{ finish: (err?: Error) => void }> = [];
  const sync = (_fd: number) =>
    new Promise<void>((resolve, reject) => {
      started.push({ finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { started, sync };
}

const tick = () => new Promise((r) => setImmediate(r));

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'textbridge-walsync-'));
  file = path.join(dir, 'db-wal');
  writeFileSync(file, '');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('WalSync', () => {
  it('answers a call only after a sync that started after it', async () => {
    const { started, sync } = manualSync();
    const wal = new WalSync(file, sync);
    await wal.open();
    let first = false;
    let second = false;
    void wal.flushed().then(() => (first = true));
    await tick();
    expect(started).toHaveLength(1);
    // Written while the first sync runs: that sync may not hold it.
    void wal.flushed().then(() => (second = true));
    void wal.flushed();
    await tick();
    expect(started).toHaveLength(1);
    started[0]?.finish();
    await tick();
    expect(first).toBe(true);
    expect(second).toBe(false);
    // One sync after the first, for both calls made meanwhile.
    expect(started).toHaveLength(2);
    started[1]?.finish();
    await tick();
    expect(second).toBe(true);
    // Idle again: the next call starts a sync of its own at once.
    void wal.flushed();
    await tick();
    expect(started).toHaveLength(3);
    wal.close();
  });

  it('fails the calls a failed sync was to cover', async () => {
    const { started, sync } = manualSync();
    const wal = new WalSync(file, sync);
    await wal.open();
    const failed = wal.flushed();
    await tick();
    started[0]?.finish(new Error('EIO'));
    await expect(failed).rejects.toThrow('EIO');
    const next = wal.flushed();
    await tick();
    started[1]?.finish();
    await expect(next).resolves.toBeUndefined();
    wal.close();
  });
});

describe('GroupCommit with a durable step', () => {
  it('resolves a batch once durable, and writes the next batch meanwhile', async () => {
    const durable: Array<() => void> = [];
    const committed: string[] = [];
    let afterCommit = 0;
    const commit = new GroupCommit<string[]>(
      async (work) => {
        const tx: string[] = [];
        const out = await work(tx);
        committed.push(tx.join(','));
        return out;
      },
      {
        durable: () => new Promise<void>((resolve) => durable.push(resolve)),
        afterCommit: () => afterCommit++,
      },
    );
    const done: string[] = [];
    const write = (name: string) =>
      commit.run(async (tx) => {
        tx.push(name);
        return name;
      });
    void write('a').then((n) => done.push(n));
    void write('b').then((n) => done.push(n));
    await tick();
    await tick();
    expect(committed).toEqual(['a,b']);
    expect(done).toEqual([]);
    void write('c').then((n) => done.push(n));
    await tick();
    await tick();
    // The second batch is committed while the first one waits for the disk.
    expect(committed).toEqual(['a,b', 'c']);
    expect(done).toEqual([]);
    durable[0]?.();
    await tick();
    expect(done).toEqual(['a', 'b']);
    expect(afterCommit).toBe(1);
    durable[1]?.();
    await tick();
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('acknowledges nothing of a batch that could not be made durable', async () => {
    const commit = new GroupCommit<null>((work) => work(null), {
      durable: () => Promise.reject(new Error('disk gone')),
    });
    await expect(commit.run(async () => 'x')).rejects.toThrow('disk gone');
  });
});
