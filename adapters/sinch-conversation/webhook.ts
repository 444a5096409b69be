/**
 * Parses Conversation API callbacks (sinch-conversation.md §4–5). The payload names no trigger;
 * the top-level key does: `message` is MESSAGE_INBOUND, `message_delivery_report` is
 * MESSAGE_DELIVERY. Other triggers (MESSAGE_SUBMIT, CONTACT_*, …) are acknowledged and ignored.
 * Pure: the signature is checked before, storage happens after.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WebhookParseError } from '../errors.ts';
import { isoTime } from '../time.ts';
import type {
  DeliveryReceipt,
  InboundMessage,
  MediaItem,
  MessageChannel,
  WebhookEvent,
  WebhookRequest,
} from '../types.ts';
import { checkPayload, jsonBody } from '../webhook-parse.ts';
import { correlationFromMetadata } from './send.ts';
import { describeConversationReason, mapConversationStatus } from './status.ts';

const text = z.string().nullish();
const channelIdentity = z.object({ channel: z.string().min(1), identity: z.string().min(1) }).passthrough();

const contactMessage = z
  .object({
    text_message: z.object({ text: z.string() }).passthrough().nullish(),
    media_message: z
      .object({ url: z.string().min(1), thumbnail_url: text, filename_override: text })
      .passthrough()
      .nullish(),
    choice_response_message: z.object({ message_id: text, postback_data: text }).passthrough().nullish(),
    location_message: z
      .object({
        coordinates: z.object({ latitude: z.number(), longitude: z.number() }).passthrough().nullish(),
        title: text,
        label: text,
      })
      .passthrough()
      .nullish(),
    fallback_message: z.object({ raw_message: text }).passthrough().nullish(),
  })
  .passthrough();

const inbound = z
  .object({
    app_id: text,
    accepted_time: text,
    event_time: text,
    message: z
      .object({
        id: z.string().min(1),
        contact_message: contactMessage,
        channel_identity: channelIdentity,
        sender_id: text,
        metadata: text,
        accept_time: text,
      })
      .passthrough(),
  })
  .passthrough();

const delivery = z
  .object({
    app_id: text,
    accepted_time: text,
    event_time: text,
    message_delivery_report: z
      .object({
        message_id: z.string().min(1),
        status: z.string().min(1),
        channel_identity: channelIdentity.partial().nullish(),
        reason: z.object({ code: text, description: text, sub_code: text }).passthrough().nullish(),
        metadata: text,
      })
      .passthrough(),
  })
  .passthrough();

/** The channels our model knows; [I] any other channel the app may have is shown as RCS. */
const CHANNELS: Readonly<Record<string, MessageChannel>> = {
  RCS: 'rcs',
  SMS: 'sms',
  MMS: 'mms',
  WHATSAPP: 'whatsapp',
};

export interface ConversationWebhookOptions {
  /** Business identity of the app's threads (the app id): customers text the app, not a number. */
  businessId: string;
}

export function parseConversationWebhook(
  req: WebhookRequest,
  options: ConversationWebhookOptions,
  now: () => Date = () => new Date(),
): WebhookEvent[] {
  const body = jsonBody(req.rawBody, 'a Sinch Conversation API callback carries JSON');
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new WebhookParseError('a Sinch Conversation API callback must be a JSON object');
  }
  if ('message' in body)
    return [toInbound(checkPayload(inbound, body, 'MESSAGE_INBOUND'), body, options, now)];
  if ('message_delivery_report' in body) {
    return [toReceipt(checkPayload(delivery, body, 'MESSAGE_DELIVERY'), body, now)];
  }
  // MESSAGE_SUBMIT, CONTACT_CREATE, OPT_OUT, … are subscribed by some setups; nothing to store.
  return [];
}

/** Sinch writes identities without the '+' (46701234567); our numbers are E.164. */
export function e164(identity: string): string {
  return /^\d{7,15}$/.test(identity) ? `+${identity}` : identity;
}

function toInbound(
  event: z.output<typeof inbound>,
  raw: object,
  options: ConversationWebhookOptions,
  now: () => Date,
): InboundMessage {
  const m = event.message;
  const { text: words, media } = contentOf(m.contact_message);
  const correlationId = correlationFromMetadata(m.metadata);
  return {
    kind: 'inbound',
    provider: 'sinch-conversation',
    providerMessageId: m.id,
    from: e164(m.channel_identity.identity),
    to: options.businessId,
    channel: CHANNELS[m.channel_identity.channel.toUpperCase()] ?? 'rcs',
    text: words,
    media,
    receivedAt: isoTime(m.accept_time ?? event.accepted_time ?? event.event_time, now),
    ...(correlationId ? { correlationId } : {}),
    raw,
  };
}

/** Exactly one content kind arrives; each becomes text and media an agent can read. */
function contentOf(c: z.output<typeof contactMessage>): { text: string; media: MediaItem[] } {
  if (c.text_message) return { text: c.text_message.text, media: [] };
  if (c.media_message) {
    const name = c.media_message.filename_override ?? undefined;
    return { text: '', media: [{ url: c.media_message.url, ...(name ? { name } : {}) }] };
  }
  if (c.choice_response_message) {
    // A tapped suggested reply: its postback data is what the customer chose.
    return { text: c.choice_response_message.postback_data ?? '(a suggested reply)', media: [] };
  }
  if (c.location_message) {
    const at = c.location_message.coordinates;
    const place = [c.location_message.title, c.location_message.label].filter(Boolean).join(', ');
    const where = at ? `${at.latitude}, ${at.longitude}` : '';
    return { text: `📍 Shared a location: ${[place, where].filter(Boolean).join(' · ')}`, media: [] };
  }
  if (c.fallback_message) return { text: c.fallback_message.raw_message ?? '', media: [] };
  const kind = Object.keys(c)[0] ?? 'an empty message';
  // Kept, not refused: a customer's message is never dropped over a content kind we do not show.
  return { text: `(the customer sent ${kind}, which textbridge cannot show)`, media: [] };
}

function toReceipt(event: z.output<typeof delivery>, raw: object, now: () => Date): DeliveryReceipt {
  const dr = event.message_delivery_report;
  const vendorStatus = dr.status.toUpperCase();
  const reportChannel = dr.channel_identity?.channel?.toUpperCase();
  const reason = describeConversationReason(dr.reason);
  const switching = vendorStatus === 'SWITCHING_CHANNEL';
  const correlationId = correlationFromMetadata(dr.metadata);
  // The report of a switch names the channel it leaves (RCS); ours always falls back to SMS.
  const channel = switching ? 'sms' : reportChannel ? CHANNELS[reportChannel] : undefined;
  return {
    kind: 'receipt',
    provider: 'sinch-conversation',
    providerMessageId: dr.message_id,
    ...(dr.channel_identity?.identity ? { recipient: e164(dr.channel_identity.identity) } : {}),
    // No receipt id is sent; a redelivery carries the same body, so its hash dedupes it.
    receiptId: createHash('sha256').update(JSON.stringify(raw)).digest('hex'),
    status: mapConversationStatus(vendorStatus),
    vendorStatus,
    ...(dr.reason?.code ? { code: dr.reason.code } : {}),
    ...(switching ? { note: `Fell back to SMS${reason ? `: ${reason}` : ''}` } : reason ? { reason } : {}),
    ...(channel ? { channel } : {}),
    at: isoTime(event.event_time ?? event.accepted_time, now),
    ...(correlationId ? { correlationId } : {}),
    raw,
  };
}
