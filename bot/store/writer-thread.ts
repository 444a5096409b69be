/**
 * The SQLite writer: a worker thread that owns the one write connection. better-sqlite3 runs
 * statements, commits and their fsyncs synchronously; here they block this thread, not the one
 * that answers webhooks, which parses the next requests meanwhile (the next group commit).
 * threaded-store.ts is the other side.
 */

import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import type { KyselyStore } from './kysely-store.ts';
import { openSqliteWriter } from './sqlite-connection.ts';
import {
  type Call,
  type ErrorData,
  type FromWriter,
  type Result,
  type ToWriter,
  WRITER_METHODS,
  type WriterData,
  type WriterMethod,
} from './writer-protocol.ts';

const allowed: ReadonlySet<string> = new Set<WriterMethod>(WRITER_METHODS);

/** Results wait for the end of the turn, so one commit's results go back in one message. */
class Outbox {
  private results: Result[] = [];
  private wake = false;
  private scheduled = false;

  constructor(private readonly port: MessagePort) {}

  add(result: Result): void {
    this.results.push(result);
    this.schedule();
  }

  wakeWorker(): void {
    this.wake = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const message: FromWriter = { kind: 'results', results: this.results, wake: this.wake };
      this.results = [];
      this.wake = false;
      this.port.postMessage(message);
    });
  }
}

async function main(port: MessagePort, { file, sqlite }: WriterData): Promise<void> {
  let store: KyselyStore;
  try {
    store = await openSqliteWriter(file, FALLBACK_CHECKPOINT_PAGES);
  } catch (err) {
    port.postMessage({ kind: 'failed', error: errorData(err) } satisfies FromWriter);
    port.close();
    return;
  }
  const checkpointer = startCheckpointer(file, sqlite);
  const close = async () => {
    await checkpointer.stop();
    await store.close();
  };
  const outbox = new Outbox(port);
  store.setOnEnqueue(() => outbox.wakeWorker());
  port.on('message', (message: ToWriter) => {
    for (const call of message.calls) serve(port, store, outbox, call, close);
  });
  port.postMessage({ kind: 'ready' } satisfies FromWriter);
}

function serve(
  port: MessagePort,
  store: KyselyStore,
  outbox: Outbox,
  call: Call,
  close: () => Promise<void>,
): void {
  const { id, method, args } = call;
  const answer = (work: Promise<unknown>) =>
    work.then(
      (value) => outbox.add({ id, ok: true, value }),
      (err: unknown) => outbox.add({ id, ok: false, error: errorData(err) }),
    );
  if (method === 'close') {
    void answer(close()).then(() => setImmediate(() => port.close()));
    return;
  }
  if (!allowed.has(method)) {
    void answer(Promise.reject(new Error(`the writer has no method ${method}`)));
    return;
  }
  const fn = store[method] as (...a: unknown[]) => Promise<unknown>;
  void answer(fn.apply(store, args));
}

function errorData(err: unknown): ErrorData {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

if (!parentPort) throw new Error('writer-thread.ts runs as a worker thread only');
void main(parentPort, workerData as WriterData);
