/**
 * One connection per instance that LISTENs to the store's channel. Commits of every instance end
 * with a NOTIFY there (postgres.ts); a notice wakes this instance's worker when it queued jobs and
 * tells its Inbox that something may have changed. When the connection drops it reconnects; in
 * between the worker still polls, so a lost notice delays work, never loses it.
 */
import pg from 'pg';

export const NOTIFY_CHANNEL = 'textbridge';

export interface Notice {
  /** The instance whose commit it was. */
  from: string;
  /** The commit queued jobs that can run now. */
  jobs: boolean;
}

const RECONNECT_MS = 1_000;

export class NotifyListener {
  private client: pg.Client | undefined;
  private readonly listeners = new Set<(n: Notice) => void>();
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  subscribe(fn: (n: Notice) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => this.deliver(msg.payload));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('the listening connection ended')));
    await client.connect();
    await client.query(`listen ${NOTIFY_CHANNEL}`);
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }

  private deliver(payload: string | undefined): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload ?? '') as Notice;
    } catch {
      // Not one of ours (somebody else's NOTIFY on the channel): it wakes everyone, harmlessly.
      notice = { from: '', jobs: true };
    }
    for (const fn of this.listeners) fn(notice);
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.onError(err);
    client.end().catch(() => undefined);
    const reconnect = () => {
      if (this.closed) return;
      this.start().then(
        // Whatever was committed while nobody listened: look once.
        () => this.deliver(JSON.stringify({ from: '', jobs: true } satisfies Notice)),
        (e: unknown) => {
          this.onError(e as Error);
          this.retry = setTimeout(reconnect, RECONNECT_MS);
        },
      );
    };
    this.retry = setTimeout(reconnect, RECONNECT_MS);
  }
}
