/**
 * What changed, for the Inbox's live updates: after each commit (the store's ChangeFeed), one
 * query reads the conversations whose threads, messages or notes changed since the last cursor,
 * and every open event stream gets those it may see. The cursor is the latest change time seen;
 * each read looks a little further back (commits can land out of time order) and skips what it
 * already reported, so a change is reported at least once and rarely twice.
 */
import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Database } from '../store/schema.ts';

export interface ChangedThread {
  id: string;
  conversationId: string | null;
}

export interface ChangeBatch {
  /** Pass back as Last-Event-ID to resume after this batch. */
  cursor: string;
  threads: ChangedThread[];
}

const OVERLAP_MS = 2_000;
/** A resume that missed more than this many changes reloads instead (event "reset"). */
export const MAX_CATCH_UP = 500;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function isCursor(value: string | undefined): value is string {
  return value !== undefined && ISO.test(value) && !Number.isNaN(Date.parse(value));
}

const back = (cursor: string, ms: number) => new Date(Date.parse(cursor) - ms).toISOString();

export class ChangeHub {
  private readonly listeners = new Set<(batch: ChangeBatch) => void>();
  private cursor = new Date().toISOString();
  private readonly seen = new Map<string, string>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly feed: ChangeFeed,
    private readonly onError: (err: unknown) => void,
    private readonly debounceMs = 20,
  ) {}

  /** The cursor a stream that starts now resumes from. */
  now(): string {
    return this.cursor;
  }

  subscribe(listener: (batch: ChangeBatch) => void): () => void {
    if (this.listeners.size === 0) {
      // Nobody listened, so nothing was read: start from now rather than replay the idle time.
      this.cursor = new Date().toISOString();
      this.seen.clear();
      this.unsubscribe = this.feed.subscribe(() => this.schedule());
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
      }
    };
  }

  /** Changes after `cursor` (a resumed stream); undefined when there are too many to replay. */
  async since(cursor: string): Promise<ChangeBatch | undefined> {
    const rows = await this.changedSince(back(cursor, OVERLAP_MS), MAX_CATCH_UP + 1);
    if (rows.length > MAX_CATCH_UP) return undefined;
    return { cursor: maxAt(rows, cursor), threads: distinct(rows) };
  }

  close(): void {
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.read()
        .catch(this.onError)
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.schedule();
          }
        });
    }, this.debounceMs);
  }

  private async read(): Promise<void> {
    const rows = await this.changedSince(back(this.cursor, OVERLAP_MS), 5_000);
    const fresh = rows.filter((r) => this.seen.get(`${r.id}\n${r.at}`) === undefined);
    for (const r of fresh) this.seen.set(`${r.id}\n${r.at}`, r.at);
    this.cursor = maxAt(rows, this.cursor);
    const horizon = back(this.cursor, OVERLAP_MS * 2);
    for (const [key, at] of this.seen) if (at < horizon) this.seen.delete(key);
    if (fresh.length === 0) return;
    const batch = { cursor: this.cursor, threads: distinct(fresh) };
    for (const listener of this.listeners) listener(batch);
  }

  private async changedSince(after: string, limit: number) {
    const threads = this.db
      .selectFrom('threads as t')
      .select(['t.id as id', 't.conversation_id as conversationId', 't.updated_at as at'])
      .where('t.updated_at', '>', after);
    const messages = this.db
      .selectFrom('messages as m')
      .innerJoin('threads as t', 't.id', 'm.thread_id')
      .select(['t.id as id', 't.conversation_id as conversationId', 'm.updated_at as at'])
      .where('m.updated_at', '>', after);
    const notes = this.db
      .selectFrom('notes as n')
      .innerJoin('threads as t', 't.id', 'n.thread_id')
      .select(['t.id as id', 't.conversation_id as conversationId', 'n.created_at as at'])
      .where('n.created_at', '>', after);
    return threads.unionAll(messages).unionAll(notes).limit(limit).execute();
  }
}

function maxAt(rows: ReadonlyArray<{ at: string }>, floor: string): string {
  let max = floor;
  for (const r of rows) if (r.at > max) max = r.at;
  return max;
}

function distinct(rows: ReadonlyArray<ChangedThread & { at: string }>): ChangedThread[] {
  const byId = new Map<string, ChangedThread>();
  for (const r of rows) byId.set(r.id, { id: r.id, conversationId: r.conversationId });
  return [...byId.values()];
}
