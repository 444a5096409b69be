/**
 * "Something the Inbox shows may have changed": a signal without payload, raised after a write
 * commits. Listeners read what changed from the store (bot/inbox/change-hub.ts). In one process
 * this is an in-memory event; a store shared by several instances replaces it with one that
 * also hears the other instances' commits (LISTEN/NOTIFY), behind the same interface.
 */
export interface ChangeFeed {
  /** Returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void;
}

export class LocalChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
