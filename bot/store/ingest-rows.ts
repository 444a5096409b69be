/**
 * Webhook events as the store writes them: flat tuples of strings and numbers, built on the
 * thread that parsed the request. They are cheap to copy to the SQLite writer thread (a structured
 * clone of provider JSON is not) and they are all the writer needs: every value is already
 * validated, every JSON column is already a string.
 */
import type {
  DeliveryReceipt,
  DeliveryStatus,
  InboundMessage,
  MessageChannel,
  WebhookEvent,
} from '../../adapters/types.ts';

export type InboundRow = [
  kind: 'in',
  /** The dedupe key of the event (events.key). */
  key: string,
  provider: InboundMessage['provider'],
  providerMessageId: string,
  from: string,
  to: string,
  channel: InboundMessage['channel'],
  text: string,
  /**
   * JSON of the media items, inline bytes included (base64): the store keeps those apart from
   * the message (media-store.ts). NO_MEDIA for a text message.
   */
  media: string,
  receivedAt: string,
  optOut: 0 | 1,
];

export type ReceiptRow = [
  kind: 'dr',
  key: string,
  provider: DeliveryReceipt['provider'],
  providerMessageId: string,
  receiptId: string,
  /** '' when the provider names none. */
  recipient: string,
  status: DeliveryStatus,
  vendorStatus: string,
  code: string,
  reason: string,
  at: string,
  correlationId: string,
  /** The receipt as the provider sent it, as JSON. */
  raw: string,
  /** The channel the provider says the message goes out on ('' when it names none). */
  channel: '' | MessageChannel,
  /** Not an outcome but worth showing, e.g. a fallback to SMS ('' when none). */
  note: string,
];

export type IngestRow = InboundRow | ReceiptRow;

/** The media column of a message without media. */
export const NO_MEDIA = '[]';

export function inboundKey(provider: string, providerMessageId: string): string {
  return `${provider}:in:${providerMessageId}`;
}

export function toIngestRow(event: WebhookEvent): IngestRow {
  if (event.kind === 'inbound') {
    return [
      'in',
      inboundKey(event.provider, event.providerMessageId),
      event.provider,
      event.providerMessageId,
      event.from,
      event.to,
      event.channel,
      event.text,
      event.media.length === 0 ? NO_MEDIA : JSON.stringify(event.media),
      event.receivedAt,
      event.optOut ? 1 : 0,
    ];
  }
  return [
    'dr',
    `${event.provider}:dr:${event.receiptId}`,
    event.provider,
    event.providerMessageId,
    event.receiptId,
    event.recipient ?? '',
    event.status,
    event.vendorStatus,
    event.code ?? '',
    event.reason ?? '',
    event.at,
    event.correlationId ?? '',
    JSON.stringify(event.raw ?? null),
    event.channel ?? '',
    event.note ?? '',
  ];
}

export function toIngestRows(events: readonly WebhookEvent[]): IngestRow[] {
  return events.map(toIngestRow);
}

/** A receipt row as the domain type (the apply-receipt job and the status machine read it so). */
export function receiptOf(row: ReceiptRow): DeliveryReceipt {
  const [, , provider, providerMessageId, receiptId, recipient, status, vendorStatus, code, reason, at] = row;
  const correlationId = row[11];
  const channel = row[13];
  const note = row[14];
  return {
    kind: 'receipt',
    provider,
    providerMessageId,
    receiptId,
    ...(recipient ? { recipient } : {}),
    status,
    vendorStatus,
    ...(code ? { code } : {}),
    ...(reason ? { reason } : {}),
    ...(channel ? { channel } : {}),
    ...(note ? { note } : {}),
    at,
    ...(correlationId ? { correlationId } : {}),
    raw: JSON.parse(row[12]) as unknown,
  };
}
