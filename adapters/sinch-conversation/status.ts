/**
 * MESSAGE_DELIVERY statuses and reason codes → DeliveryStatus (sinch-conversation.md §4).
 * SWITCHING_CHANNEL is not an outcome: the message goes on through the next channel (SMS).
 */
import type { DeliveryStatus } from '../types.ts';

export const CONVERSATION_STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  // Handed to the channel (the RCS network or the SMS gateway): it has left Sinch.
  QUEUED_ON_CHANNEL: 'sent',
  SWITCHING_CHANNEL: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  FAILED: 'failed',
};

/** The reason codes an agent can act on, in plain words; others show Sinch's own description. */
const REASONS: Readonly<Record<string, string>> = {
  RECIPIENT_NOT_REACHABLE: 'The customer cannot be reached on this channel.',
  RECIPIENT_INVALID_CHANNEL_IDENTITY: 'The number is not valid on this channel.',
  RECIPIENT_NOT_OPTED_IN: 'The customer has not opted in to this channel.',
  OUTSIDE_ALLOWED_SENDING_WINDOW: 'The message was outside the channel’s allowed sending window.',
  NO_CHANNELS_LEFT: 'Every channel was tried and none could deliver the message.',
  CHANNEL_BAD_CONFIGURATION: 'The Sinch app’s channel is set up wrongly.',
  CHANNEL_CONFIGURATION_MISSING: 'The Sinch app has no credentials for this channel.',
  MEDIA_TYPE_UNSUPPORTED: 'The channel does not support this media type.',
  MEDIA_TOO_LARGE: 'The media is too large for the channel.',
  MEDIA_NOT_REACHABLE: 'Sinch could not fetch the media.',
  MESSAGE_EXPIRED: 'The message expired before it could be delivered.',
  DELIVERY_TIMED_OUT: 'Delivery timed out.',
  RATE_LIMITED: 'Sinch rate-limited the message.',
};

export interface ConversationReason {
  code?: string | null;
  description?: string | null;
  sub_code?: string | null;
}

export function mapConversationStatus(status: string): DeliveryStatus {
  const word = status.trim().toUpperCase();
  return Object.hasOwn(CONVERSATION_STATUSES, word) ? CONVERSATION_STATUSES[word]! : 'unknown';
}

/** "The customer cannot be reached … (RECIPIENT_NOT_REACHABLE)", or undefined without a reason. */
export function describeConversationReason(
  reason: ConversationReason | null | undefined,
): string | undefined {
  const code = reason?.code?.trim();
  const description = reason?.description?.trim();
  if (!code && !description) return undefined;
  const words = (code && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined) ?? description ?? code;
  return code && words !== code ? `${words} (${code})` : words;
}
