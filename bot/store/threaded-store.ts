/**
 * The SQLite store as the bot runs it: writes go to the writer thread (writer-thread.ts), reads
 * run here on a read-only connection. Same class as the in-process store, so callers see no
 * difference; only where the statements and fsyncs run changes.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { QUIET_WRITES } from './change-feed.ts';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import {
  type Call,
  type ErrorData,
  type FromWriter,
  type ToWriter,
  WRITE_METHODS,
  type WriterData,
  type WriterMethod,
} from './writer-protocol.ts';

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class WriterClient {
  private seq = 0;
  private outbox: Call[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private stopped: Error | undefined;
  private closing = false;
  /** Started and not closed: an exit now is a crash. */
  private serving = false;
  private readonly exited: Promise<void>;
  private readonly started = deferred();
  onWake: () => void = () => {};

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        const stopped = this.stopped ?? new Error(`the SQLite writer thread stopped (exit code ${code})`);
        this.stopped = stopped;
        for (const w of this.waiting.values()) w.reject(stopped);
        this.waiting.clear();
        resolve();
        // Without its writer the bot can store nothing: end the process (its supervisor restarts
        // it, and the restart takes back the jobs in flight) rather than answer 503 for ever.
        if (this.serving && !this.closing) {
          setImmediate(() => {
            throw stopped;
          });
        }
      });
    });
    worker.on('error', (err) => {
      this.stopped = new Error(`the SQLite writer thread failed: ${err.message}`, { cause: err });
    });
    worker.on('message', (message: FromWriter) => {
      if (message.kind !== 'results') return;
      for (const result of message.results) {
        const w = this.waiting.get(result.id);
        if (!w) continue;
        this.waiting.delete(result.id);
        if (result.ok) w.resolve(result.value);
        else w.reject(toError(result.error));
      }
      // Idle, the thread must not keep the process alive; with a call in flight it must.
      if (this.waiting.size === 0) worker.unref();
      if (message.wake) this.onWake();
    });
  }

  /** Starts the writer thread on `file` (creating and migrating it) and waits until it is ready. */
  static async start(file: string): Promise<WriterClient> {
    const client = new WriterClient(await spawnWriter(file));
    const worker = client.worker;
    const onMessage = (message: FromWriter) => {
      if (message.kind === 'ready') client.started.resolve();
      if (message.kind === 'failed') client.started.reject(toError(message.error));
    };
    worker.on('message', onMessage);
    void client.exited.then(() => client.started.reject(client.stopped));
    try {
      await client.started.promise;
    } finally {
      worker.off('message', onMessage);
    }
    client.serving = true;
    worker.unref();
    return client;
  }

  call<T>(method: WriterMethod | 'close', args: unknown[]): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.seq;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.outbox.push({ id, method, args });
      if (this.outbox.length === 1) {
        // The calls of the requests parsed in this turn of the event loop travel together.
        setImmediate(() => {
          const calls = this.outbox;
          this.outbox = [];
          this.worker.postMessage({ calls } satisfies ToWriter);
        });
      }
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.stopped) await this.call('close', []);
    // Held until the thread has ended, so the process does not end while the file closes.
    this.worker.ref();
    await this.exited;
  }
}

/** Set by the build (bot/build.ts): where the writer thread's bundle is, from this file. */
declare const WRITER_THREAD_BUNDLE: string | undefined;

/**
 * Built (npm start), the thread runs the writer's bundle. From source (tsx, tests) it runs the
 * same entry bundled in memory: Node 20 gives worker threads no loader hooks, so the TypeScript
 * sources could not be imported there.
 */
async function spawnWriter(file: string): Promise<Worker> {
  const workerData: WriterData = { file, sqlite: createRequire(import.meta.url).resolve('better-sqlite3') };
  const options = {
    workerData,
    // None of the process's node flags: V8 and loader flags (tsx) are not all valid in a thread.
    execArgv: [],
    // A small young generation: the thread's garbage is short-lived rows and messages.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  };
  if (typeof WRITER_THREAD_BUNDLE === 'string') {
    return new Worker(fileURLToPath(new URL(WRITER_THREAD_BUNDLE, import.meta.url)), options);
  }
  return new Worker(await writerFromSource(), { ...options, eval: true });
}

let bundled: Promise<string> | undefined;

function writerFromSource(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./writer-thread.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // The native addon loads from node_modules, resolved from the project (not the cwd).
      external: ['better-sqlite3'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const project = fileURLToPath(new URL('../../package.json', import.meta.url));
    return `(function (require) {\n${code}\n})(require('node:module').createRequire(${JSON.stringify(project)}));`;
  })();
  return bundled;
}

function deferred() {
  let resolve: () => void = () => {};
  let reject: (err: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function toError(data: ErrorData | undefined): Error {
  const err = new Error(data?.message ?? 'the SQLite writer failed');
  err.name = data?.name ?? 'Error';
  if (data?.stack) err.stack = data.stack;
  return err;
}

export class ThreadedStore extends KyselyStore {
  private onWake: () => void = () => {};

  constructor(
    db: Kysely<Database>,
    private readonly writer: WriterClient,
  ) {
    super(db);
    writer.onWake = () => this.onWake();
    for (const method of WRITE_METHODS) {
      const notifies = !QUIET_WRITES.has(method);
      Object.defineProperty(this, method, {
        value: async (...args: unknown[]) => {
          const result = await writer.call(method, args);
          // Committed in the writer thread: readers on this side see it from now on.
          if (notifies) this.changes.notify();
          return result;
        },
        enumerable: false,
      });
    }
  }

  override setOnEnqueue(fn: () => void): void {
    this.onWake = fn;
  }

  override async ready(): Promise<void> {
    await this.writer.call('ready', []);
    await this.db.selectFrom('events').select('key').limit(1).execute();
  }

  override async close(): Promise<void> {
    await this.writer.close();
    await super.close();
  }
}
