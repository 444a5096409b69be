/**
 * Provider.send for SmartDialog: one call per message (its recipients share one text, ours never
 * do), threaded under the customer's message when we answer one.
 */
import { ProviderNotSupportedError } from '../errors.ts';
import type { OutboundRequest, SendResult } from '../types.ts';
import type { SmartDialogClient } from './api.ts';
import { dlrUrlFor } from './dlr-url.ts';
import {
  duplicateMessageId,
  isDuplicateRequest,
  type SmartDialogMessage,
  sendSmartDialogMessage,
} from './messages.ts';
import { invalid } from './validate.ts';

/** vendorStatus of a send SmartDialog refused as a repeat of one it already took. */
export const DUPLICATE_REQUEST = 'duplicate RequestId';

export async function sendSmartDialogRequests(
  client: SmartDialogClient,
  requests: OutboundRequest[],
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  for (const request of requests) results.push(await sendOne(client, request));
  return results;
}

async function sendOne(client: SmartDialogClient, request: OutboundRequest): Promise<SendResult> {
  const message = toSmartDialogMessage(client, request);
  try {
    // The service decides the channel: a WhatsApp thread is answered through the WhatsApp service.
    const service = request.channel === 'whatsapp' ? client.whatsappServiceId : client.serviceId;
    const sent = await sendSmartDialogMessage(client, message, request.replyTo, service);
    // SmartDialog says nothing about the message's state, only that it took it.
    return { correlationId: request.correlationId, providerMessageId: sent.messageId, status: 'queued' };
  } catch (err) {
    return alreadySent(err, request.correlationId);
  }
}

/**
 * The result of a send SmartDialog refused as a duplicate RequestId, or `err` rethrown. RequestId
 * = idempotencyKey, so a duplicate means an earlier attempt of this very message got through (a
 * timeout or crash after SmartDialog took it). Its MessageId is unknown unless the answer names
 * it; the delivery report finds the message by tb_message_id and fills it in.
 */
export function alreadySent(err: unknown, correlationId: string): SendResult {
  if (!isDuplicateRequest(err)) throw err;
  return {
    correlationId,
    providerMessageId: duplicateMessageId(err) ?? '',
    status: 'queued',
    vendorStatus: DUPLICATE_REQUEST,
  };
}

export function toSmartDialogMessage(
  client: SmartDialogClient,
  request: OutboundRequest,
): SmartDialogMessage {
  if (request.channel !== 'sms' && request.channel !== 'whatsapp') {
    // The connector documents SMS and WhatsApp only (seed: "SMS e WhatsApp").
    throw new ProviderNotSupportedError(`SmartDialog cannot send ${request.channel} messages`, 'smartdialog');
  }
  const media = request.media ?? [];
  if (media.length > 1) {
    throw new ProviderNotSupportedError(
      `SmartDialog carries one attachment per message (AttachmentUri), not ${media.length}`,
      'smartdialog',
    );
  }
  const sender = request.from ?? client.sender;
  if (!sender) throw invalid('Sender is required: the message names none and no default sender is set');
  return {
    sender,
    content: request.text,
    recipients: [{ address: request.to }],
    ...(media[0] ? { attachmentUri: media[0] } : {}),
    ...(client.dlrUrl ? { dlrUrl: dlrUrlFor(client.dlrUrl, request.correlationId) } : {}),
    requestId: request.idempotencyKey,
  };
}
