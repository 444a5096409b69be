/**
 * Provider.send for SmartDialog: one call per distinct text. Requests with the same text, sender,
 * service and attachment (a text to several numbers) go out as one message with several
 * Recipients; an answer threaded under a customer's message (ReplyTo) goes alone.
 */
import { createHash } from 'node:crypto';
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
  const results = new Map<OutboundRequest, SendResult>();
  for (const group of groupByText(client, requests)) {
    const sent =
      group.length === 1
        ? [await sendOne(client, group[0] as OutboundRequest)]
        : await sendGroup(client, group);
    for (const [i, request] of group.entries()) results.set(request, sent[i] as SendResult);
  }
  return requests.map((r) => results.get(r) as SendResult);
}

/** Requests that can share one message: same service, sender, text and attachment, no ReplyTo. */
function groupByText(client: SmartDialogClient, requests: OutboundRequest[]): OutboundRequest[][] {
  const groups = new Map<string, OutboundRequest[]>();
  const alone: OutboundRequest[][] = [];
  for (const request of requests) {
    if (request.replyTo !== undefined) {
      alone.push([request]);
      continue;
    }
    const key = JSON.stringify([
      serviceOf(client, request),
      request.from ?? client.sender,
      request.text,
      request.media ?? [],
    ]);
    const group = groups.get(key);
    if (group) group.push(request);
    else groups.set(key, [request]);
  }
  return [...alone, ...groups.values()];
}

const serviceOf = (client: SmartDialogClient, request: OutboundRequest) =>
  request.channel === 'whatsapp' ? client.whatsappServiceId : client.serviceId;

/**
 * One message to several recipients. Each recipient's id, which SmartDialog says is what its
 * delivery status carries, becomes that request's provider message id; the DlrUrl carries no
 * message id of ours then (it would not tell the recipients apart). The RequestId is derived from
 * the requests', so a retry of the same group is refused as a duplicate.
 */
async function sendGroup(client: SmartDialogClient, group: OutboundRequest[]): Promise<SendResult[]> {
  const first = group[0] as OutboundRequest;
  const message: SmartDialogMessage = {
    ...toSmartDialogMessage(client, first),
    recipients: group.map((r) => ({ address: r.to })),
    ...(client.dlrUrl ? { dlrUrl: client.dlrUrl } : {}),
    requestId: createHash('sha256')
      .update(
        group
          .map((r) => r.idempotencyKey)
          .sort()
          .join('\n'),
      )
      .digest('hex'),
  };
  try {
    const sent = await sendSmartDialogMessage(client, message, undefined, serviceOf(client, first));
    return group.map((r, i) => {
      const recipient = sent.recipients.find((x) => x.address === r.to) ?? sent.recipients[i];
      return {
        correlationId: r.correlationId,
        providerMessageId: recipient?.id ?? sent.messageId,
        status: 'queued',
      };
    });
  } catch (err) {
    return group.map((r) => alreadySent(err, r.correlationId));
  }
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
