/**
 * The short message id every message card shows and `status` accepts: the last 8 hex digits of
 * our id. Ids are UUIDv7 (time first, random last), so the tail is random: 32 bits, unique among
 * the messages of any one bot in practice, and `status` says so when a short id is ambiguous.
 */
export const SHORT_ID_LENGTH = 8;

export function shortMessageId(id: string): string {
  return id.replace(/-/g, '').slice(-SHORT_ID_LENGTH).toLowerCase();
}
