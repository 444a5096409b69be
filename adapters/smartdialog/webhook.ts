/**
 * Parses what SmartDialog sends us (providers README §3.3–3.4): the "New message" trigger's POST
 * (JSON) and the GET on the DlrUrl of a send (query parameters only). Pure: the bot's route checks
 * the URL secret before and stores after. Opt-out keywords are the bot's business, not this one's.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WebhookParseError } from '../errors.ts';
import { isoTime } from '../time.ts';
import type { DeliveryReceipt, InboundMessage, MediaItem, WebhookEvent, WebhookRequest } from '../types.ts';
import { checkPayload, jsonBody } from '../webhook-parse.ts';
import { CORRELATION_PARAM } from './dlr-url.ts';
import { mapSmartDialogStatus } from './status.ts';
import { idText, lowerKeys } from './wire.ts';

export function parseSmartDialogWebhook(
  req: WebhookRequest,
  now: () => Date = () => new Date(),
): WebhookEvent[] {
  if (req.method.toUpperCase() === 'GET') return [parseDeliveryReport(req.query, now)];
  return [parseInbound(req.rawBody, now)];
}

// ---- inbound (POST) -------------------------------------------------------------------------

const text = z.string().nullish();

/** The swagger's x-ms-notification-content, read with lower-cased keys (casing is not promised). */
const inboundPayload = z
  .object({
    messageid: idText,
    sender: z.string().min(1),
    recipient: text,
    content: text,
    timestamp: text,
    protocol: text,
    attachments: z
      .array(z.object({ name: text, mimetype: text, resourcelocation: text }).passthrough())
      .nullish(),
  })
  .passthrough();

/** The documented spelling of each field, for error messages. */
const FIELD_NAMES: Record<string, string> = {
  messageid: 'messageId',
  mimetype: 'mimeType',
  resourcelocation: 'resourceLocation',
};

function parseInbound(raw: Buffer, now: () => Date): InboundMessage {
  const body = jsonBody(raw, 'a SmartDialog inbound message is JSON');
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new WebhookParseError('a SmartDialog inbound message must be a JSON object');
  }
  const mo = checkPayload(inboundPayload, lowerKeys(body), 'a SmartDialog inbound message', (path) =>
    path.map((p) => FIELD_NAMES[String(p)] ?? String(p)).join('.'),
  );
  const media = (mo.attachments ?? []).flatMap(toMedia);
  if (media.length === 0 && !mo.content) {
    throw new WebhookParseError('"content" is required for an inbound message without attachments');
  }
  return {
    kind: 'inbound',
    provider: 'smartdialog',
    providerMessageId: mo.messageid,
    from: mo.sender,
    to: mo.recipient ?? '',
    channel: channelOf(mo.protocol),
    text: mo.content ?? '',
    media,
    receivedAt: isoTime(mo.timestamp, now),
    raw: body,
  };
}

/**
 * `protocol` values are NOT FOUND (README §3.3): SMS is certain, WhatsApp likely. Anything else
 * is kept as SMS rather than refused, so a customer's message is never lost over a label.
 */
function channelOf(protocol: string | null | undefined): InboundMessage['channel'] {
  const word = (protocol ?? '').toLowerCase().replace(/[\s_-]+/g, '');
  return word.startsWith('whatsapp') ? 'whatsapp' : 'sms';
}

/** Attachments come by URL (resourceLocation), never inline. */
function toMedia(att: { name?: string | null; mimetype?: string | null; resourcelocation?: string | null }) {
  const item: MediaItem = {
    ...(att.resourcelocation ? { url: att.resourcelocation } : {}),
    ...(att.mimetype ? { contentType: att.mimetype } : {}),
    ...(att.name ? { name: att.name } : {}),
  };
  return Object.keys(item).length > 0 ? [item] : [];
}

// ---- delivery report (GET) ------------------------------------------------------------------

// The DLR's parameter names are NOT FOUND (README §3.4); these are the plausible spellings,
// compared case-insensitively. `id` is the message id unless a message id parameter is present,
// then it is taken for the recipient id (Recipients[].Id "used for receiving delivery status").
const MESSAGE_ID = ['messageid', 'message_id', 'msgid'];
const RECIPIENT_ID = ['recipientid', 'recipient_id'];
const STATUS = ['status', 'state', 'dlrstatus', 'deliverystatus'];
const STATUS_CODE = 'statuscode';
const CODE = ['errorcode', 'error_code', 'code'];
const REASON = ['reason', 'error', 'errormessage', 'statustext'];
const TIME = ['timestamp', 'time', 'datetime', 'donedate', 'date'];

/** Our own webhook secret rides on the DlrUrl; it is not the provider's data and is not stored. */
const SECRET_PARAMS = new Set(['secret']);

function parseDeliveryReport(query: Record<string, string>, now: () => Date): DeliveryReceipt {
  const raw = Object.fromEntries(
    Object.entries(query).map(([k, v]) => [k, SECRET_PARAMS.has(k.toLowerCase()) ? '[redacted]' : v]),
  );
  const params = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    if (!params.has(key.toLowerCase())) params.set(key.toLowerCase(), value);
  }
  const first = (names: string[]) => names.map((n) => params.get(n)).find((v) => v !== undefined && v !== '');
  const correlationId = first([CORRELATION_PARAM]);
  const named = first(MESSAGE_ID);
  const messageId = named ?? first(['id']);
  const recipient = first(RECIPIENT_ID) ?? (named ? first(['id']) : undefined);
  if (!correlationId && !messageId) {
    const got = Object.keys(query).join(', ') || 'none';
    throw new WebhookParseError(
      `a SmartDialog delivery report needs ${CORRELATION_PARAM} (set on our DlrUrl) or a message id ` +
        `(messageId, message_id, msgId or id); parameters received: ${got}`,
    );
  }
  const word = first(STATUS);
  const statusCode = first([STATUS_CODE]);
  // A bare statusCode is the status itself; next to a status word it is a code.
  const vendorStatus = word ?? statusCode ?? '';
  const code = first(CODE) ?? (word ? statusCode : undefined);
  const mapped = mapSmartDialogStatus(vendorStatus);
  const reason = first(REASON) ?? mapped.reason;
  return {
    kind: 'receipt',
    provider: 'smartdialog',
    // Empty when only our correlation id came back; the store then matches on correlationId.
    providerMessageId: messageId ?? '',
    ...(recipient ? { recipient } : {}),
    receiptId: receiptIdOf(raw),
    status: mapped.status,
    vendorStatus,
    ...(code ? { code } : {}),
    ...(reason ? { reason } : {}),
    at: isoTime(first(TIME), now),
    ...(correlationId ? { correlationId } : {}),
    raw,
  };
}

/** No receipt id is documented: the whole query, sorted, is the receipt, so a repeat dedupes. */
function receiptIdOf(query: Record<string, string>): string {
  const sorted = Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
