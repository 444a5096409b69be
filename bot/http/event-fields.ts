/**
 * What each field of a parsed webhook event may hold, checked before anything is stored: a
 * customer number is a phone number (E.164), a business number a phone number, short code or
 * sender id (adapters/phone-numbers.ts), a message's text and ids have sensible lengths. The body
 * limits came first (body-limits.ts); these are the limits that need to know what a field means.
 */
import {
  isPrintableId,
  isSenderId,
  isWebhookCustomerNumber,
  printable,
} from '../../adapters/phone-numbers.ts';
import type { Provider, WebhookEvent } from '../../adapters/types.ts';

/** Longest text of one inbound message: SMS stops at 1,600, RCS and WhatsApp near 4,096, Sinch at 5,000. */
export const MAX_INBOUND_TEXT = 10_000;
/** Longest provider id of a message or receipt (they run to about 60 characters). */
const MAX_ID = 256;
/** Longest status word, code or reason of a receipt. */
const MAX_STATUS_TEXT = 2_000;
/** Most attachments of one message. */
const MAX_MEDIA = 50;

export function eventProblem(events: WebhookEvent[], provider: Provider): string | undefined {
  for (const event of events) {
    const problem = event.kind === 'inbound' ? inboundProblem(event, provider) : receiptProblem(event);
    if (problem) return problem;
  }
  return undefined;
}

function inboundProblem(event: Extract<WebhookEvent, { kind: 'inbound' }>, provider: Provider) {
  if (!isWebhookCustomerNumber(event.from, provider.fictionalNumbers === true))
    return `the customer number "${printable(event.from)}" is not an international phone number (E.164, such as +61491570156)`;
  if (event.to !== '' && event.to !== provider.businessId && !isSenderId(event.to))
    return `the business number "${printable(event.to)}" is neither a phone number, a short code nor a sender id`;
  if (!isPrintableId(event.providerMessageId) || event.providerMessageId.length > MAX_ID)
    return `the message id is longer than ${MAX_ID} characters or not printable`;
  if (event.text.length > MAX_INBOUND_TEXT)
    return `the message text has ${event.text.length} characters; at most ${MAX_INBOUND_TEXT} are taken`;
  if (event.media.length > MAX_MEDIA) return `the message has more than ${MAX_MEDIA} attachments`;
  return undefined;
}

function receiptProblem(event: Extract<WebhookEvent, { kind: 'receipt' }>) {
  for (const id of [event.providerMessageId, event.receiptId, event.recipient, event.correlationId]) {
    if (id !== undefined && (!isPrintableId(id) || id.length > MAX_ID))
      return `an id of the receipt is longer than ${MAX_ID} characters or not printable`;
  }
  for (const text of [event.vendorStatus, event.code, event.reason]) {
    if (text !== undefined && text.length > MAX_STATUS_TEXT)
      return `a status field of the receipt is longer than ${MAX_STATUS_TEXT} characters`;
  }
  return undefined;
}
