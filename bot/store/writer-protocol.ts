/** Messages between the bot and its SQLite writer thread (writer-thread.ts, threaded-store.ts). */
import type { Store } from './types.ts';

/**
 * Store methods that write. They run in the writer thread; every other method reads, on the
 * bot's own read-only connection (WAL readers see each commit as soon as it is made).
 */
export const WRITE_METHODS = [
  'migrate',
  'ingest',
  'recordAgentReply',
  'recordNote',
  'addRoute',
  'removeRoutes',
  'setThreadPosted',
  'setThreadState',
  'setAssignee',
  'setOptOut',
  'pinTenant',
  'startConversation',
  'retryMessage',
  'markCardStarted',
  'setMessageCard',
  'markSendStarted',
  'clearSendStarted',
  'applyStatus',
  'applyReceipt',
  'enqueue',
  'claimJobs',
  'completeJob',
  'retryJob',
  'failJob',
  'parkJob',
  'releaseLeases',
  'renewLeases',
] as const satisfies ReadonlyArray<keyof Store>;

/** What the writer thread answers: the writes, and whether it is ready. */
export const WRITER_METHODS = [...WRITE_METHODS, 'ready'] as const;

export type WriterMethod = (typeof WRITER_METHODS)[number];

/** What the writer thread starts with: the database file, and where better-sqlite3 is. */
export interface WriterData {
  file: string;
  sqlite: string;
}

/** One store call. Calls made in one turn of the event loop travel in one message. */
export interface Call {
  id: number;
  method: WriterMethod | 'close';
  args: unknown[];
}

export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
}

export type Result = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorData };

export type ToWriter = { calls: Call[] };

/** The results of one commit travel together, with whether it queued work for the worker. */
export type FromWriter =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ErrorData }
  | { kind: 'results'; results: Result[]; wake: boolean };
