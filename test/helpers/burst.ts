/** Driving a burst of events at the bot, and reading what it reported about interrupted posts. */

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
export async function runWithConcurrency<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * The message ids of cards a bot posted again after a post of them was cut off (its JSON log):
 * Teams has no idempotency key, so those may show twice. A card of several messages names them all.
 */
export function interruptedCardIds(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => line.includes('card post was interrupted'))
    .flatMap((line) => {
      const entry = JSON.parse(line) as { messageId?: string; messageIds?: string[] };
      return entry.messageIds ?? (entry.messageId ? [entry.messageId] : []);
    });
}
