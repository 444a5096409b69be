/**
 * Parses what Sinch pushes to us (providers README §1.4): the documented default webhook payloads
 * (received SMS/MMS, delivery report, opt-out) and the per-message callback_url pushes (delivery
 * report, reply). Pure: verification happens before, storage after.
 */
import { z } from 'zod';
import { WebhookParseError } from '../errors.ts';
import { isoTime } from '../time.ts';
import type { DeliveryReceipt, InboundMessage, MediaItem, WebhookEvent, WebhookRequest } from '../types.ts';
import { checkPayload, jsonBody } from '../webhook-parse.ts';
import { CORRELATION_KEY } from './api.ts';
import { toDefaultFields } from './field-names.ts';
import { mapSinchStatus } from './status.ts';

// The webhook template renders `delay` and `error_code` as strings, callback_url pushes as numbers.
const codeLike = z.union([z.string(), z.number()]).transform(String);
const optionalText = z.string().nullish();
const metadata = z.record(z.unknown()).nullish();

const deliveryReport = z
  .object({
    delivery_report_id: z.string().min(1),
    message_id: z.string().min(1),
    status: z.string().min(1),
    error_code: codeLike.nullish(),
    delay: codeLike.nullish(),
    // Inverted on purpose by Sinch: this is the handset the original message went to.
    source_number: optionalText,
    date_received: optionalText,
    submitted_date: optionalText,
    metadata,
  })
  .passthrough();

const attachment = z.object({
  content_type: optionalText,
  content: optionalText,
  original_name: optionalText,
});

const receivedMessage = z
  .object({
    reply_id: z.string().min(1),
    source_number: z.string().min(1),
    // Absent when the message replied to was sent without a source_number (Reply object).
    destination_number: optionalText,
    date_received: optionalText,
    message_id: optionalText,
    content: optionalText,
    attachments: z.array(attachment).nullish(),
    format: optionalText,
    metadata,
  })
  .passthrough();

const optOut = receivedMessage
  .omit({ reply_id: true, attachments: true })
  .extend({ notification_id: z.string().min(1) });

/** Throws WebhookParseError naming the field when the body is not one of the known shapes. */
export function parseSinchWebhook(req: WebhookRequest, now: () => Date = () => new Date()): WebhookEvent[] {
  const body = jsonBody(req.rawBody, 'a Sinch webhook carries JSON');
  if (!Array.isArray(body)) return [parseOne(body, now)];
  // Several events in one request: harmless to accept (e.g. a replay of polled delivery reports).
  return body.map((item, index) => {
    try {
      return parseOne(item, now);
    } catch (err) {
      if (err instanceof WebhookParseError) throw new WebhookParseError(`item ${index}: ${err.message}`);
      throw err;
    }
  });
}

function parseOne(received: unknown, now: () => Date): WebhookEvent {
  if (!received || typeof received !== 'object' || Array.isArray(received)) {
    throw new WebhookParseError('a Sinch webhook body must be a JSON object (or an array of objects)');
  }
  const item = toDefaultFields(received as Record<string, unknown>);
  if ('delivery_report_id' in item) {
    return toReceipt(checkPayload(deliveryReport, item, 'a delivery report'), received, now);
  }
  // Checked before reply_id: an opt-out rendered with the reply template carries a literal "$replyId".
  if ('notification_id' in item)
    return toOptOut(checkPayload(optOut, item, 'an opt-out notification'), received, now);
  if ('reply_id' in item) {
    const replyId = (item as { reply_id?: unknown }).reply_id;
    if (typeof replyId === 'string' && replyId.startsWith('$')) {
      throw new WebhookParseError(
        `"reply_id" is the unrendered template variable ${replyId}; opt-out notifications carry $notificationId`,
      );
    }
    return toInbound(checkPayload(receivedMessage, item, 'a received message'), received, now);
  }
  throw new WebhookParseError(
    'the body is not a Sinch delivery report, received message or opt-out: ' +
      '"delivery_report_id", "reply_id" or "notification_id" is required',
  );
}

function toReceipt(dr: z.output<typeof deliveryReport>, raw: object, now: () => Date): DeliveryReceipt {
  const code = dr.error_code ?? undefined;
  const mapped = mapSinchStatus(dr.status, code);
  const correlationId = correlationOf(dr.metadata);
  return {
    kind: 'receipt',
    provider: 'sinch',
    providerMessageId: dr.message_id,
    ...(dr.source_number ? { recipient: dr.source_number } : {}),
    receiptId: dr.delivery_report_id,
    status: mapped.status,
    vendorStatus: dr.status,
    ...(code !== undefined ? { code } : {}),
    ...(mapped.reason ? { reason: mapped.reason } : {}),
    // When the report was generated; submitted_date may be the original submit time.
    at: isoTime(dr.date_received ?? dr.submitted_date, now),
    ...(correlationId ? { correlationId } : {}),
    raw,
  };
}

function toInbound(mo: z.output<typeof receivedMessage>, raw: object, now: () => Date): InboundMessage {
  const media = (mo.attachments ?? []).map(toMedia);
  if (media.length === 0 && (mo.content ?? '') === '') {
    throw new WebhookParseError('"content" is required for a received message without attachments');
  }
  return inbound(mo, mo.reply_id, channelOf(mo.format, media.length > 0), media, raw, now);
}

function toOptOut(mo: z.output<typeof optOut>, raw: object, now: () => Date): InboundMessage {
  return { ...inbound(mo, mo.notification_id, 'sms', [], raw, now), optOut: true };
}

type Received = Pick<
  z.output<typeof receivedMessage>,
  'source_number' | 'destination_number' | 'content' | 'date_received' | 'metadata'
>;

function inbound(
  mo: Received,
  providerMessageId: string,
  channel: InboundMessage['channel'],
  media: MediaItem[],
  raw: object,
  now: () => Date,
): InboundMessage {
  const correlationId = correlationOf(mo.metadata);
  return {
    kind: 'inbound',
    provider: 'sinch',
    providerMessageId,
    from: mo.source_number,
    to: mo.destination_number ?? '',
    channel,
    text: mo.content ?? '',
    media,
    receivedAt: isoTime(mo.date_received, now),
    ...(correlationId ? { correlationId } : {}),
    raw,
  };
}

/**
 * `format` (or the deprecated `type`) names the channel when the template renders it. RCS is
 * what the connector's "When SMS or RCS is received" trigger also reports; its wording is NOT
 * FOUND, so any value starting with RCS counts.
 */
function channelOf(format: string | null | undefined, hasMedia: boolean): InboundMessage['channel'] {
  const word = (format ?? '').trim().toUpperCase();
  if (word.startsWith('RCS')) return 'rcs';
  return hasMedia || word === 'MMS' ? 'mms' : 'sms';
}

/** MMS media arrives inline as base64; the store keeps the bytes apart from the message. */
function toMedia(att: z.output<typeof attachment>): MediaItem {
  return {
    ...(att.content_type ? { contentType: att.content_type } : {}),
    ...(att.original_name ? { name: att.original_name } : {}),
    ...(att.content ? { size: Buffer.from(att.content, 'base64').length, data: att.content } : {}),
  };
}

function correlationOf(meta: Record<string, unknown> | null | undefined): string | undefined {
  const value = meta?.[CORRELATION_KEY];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Sinch writes both `…Z` and `…+00:00`; one form keeps ordering and display simple. */
