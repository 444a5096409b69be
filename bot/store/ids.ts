/**
 * Message ids that sort by creation time (the UUID version 7 layout of RFC 9562: 48 bits of Unix
 * milliseconds, then random bits). New rows then land at the end of the primary key index
 * instead of on a random page of it, so a commit writes fewer pages.
 */
import { randomUUID } from 'node:crypto';

export function timeOrderedId(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0').slice(-12);
  const random = randomUUID();
  // randomUUID(): xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep its variant and random bits.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}
