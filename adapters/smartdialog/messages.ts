/**
 * Sending: POST /messages, POST /messages/reply/{ParentMessageId} and POST
 * /messages/discussion/reply (providers README §3.2). Field names are PascalCase on the wire.
 */
import { z } from 'zod';
import { ProviderValidationError } from '../errors.ts';
import { callSmartDialog, errorMessageOf, parseAnswer, type SmartDialogClient, segment } from './api.ts';
import { checkDateTime, checkMaxLength, checkRequired, invalid } from './validate.ts';
import { idText, lowerKeys, optional, optionalIdText } from './wire.ts';

/** swagger maxLength of CustomerData and RequestId on every send operation. */
export const MAX_CUSTOMER_DATA = 255;
export const MAX_REQUEST_ID = 1000;

export interface SmartDialogRecipient {
  address: string;
  /** Values for `$(name)` placeholders in the content. */
  personalization?: Record<string, string>;
}

export interface SmartDialogMessage {
  sender: string;
  content: string;
  recipients: SmartDialogRecipient[];
  /** ISO-8601; absent sends now. */
  sendDateTime?: string;
  /** One attachment, for WhatsApp services. */
  attachmentUri?: string;
  /** Billing and grouping data, ≤255 characters. */
  customerData?: string;
  adMessage?: boolean;
  /** Called with GET when the delivery status is known. */
  dlrUrl?: string;
  /** Duplicate ids are refused for 7 days, ≤1000 characters. */
  requestId?: string;
}

export interface SmartDialogSent {
  messageId: string;
  messagePartCount?: number;
  /** `id` is the recipient id SmartDialog uses for delivery status information. */
  recipients: Array<{ address?: string; id?: string }>;
  threadId?: string;
  raw: unknown;
}

export function toSendBody(message: SmartDialogMessage): Record<string, unknown> {
  checkRequired('Sender', message.sender);
  checkRequired('Content', message.content);
  if (message.recipients.length === 0) throw invalid('Recipients must name at least one recipient');
  for (const [i, r] of message.recipients.entries()) checkRequired(`Recipients[${i}].Address`, r.address);
  checkMaxLength('CustomerData', message.customerData, MAX_CUSTOMER_DATA);
  checkMaxLength('RequestId', message.requestId, MAX_REQUEST_ID);
  checkDateTime('SendDateTime', message.sendDateTime);
  return {
    Sender: message.sender,
    Content: message.content,
    // The only value the swagger enum allows; the service decides SMS or WhatsApp.
    Protocol: 'SMS',
    Recipients: message.recipients.map((r) => ({
      Address: r.address,
      ...(r.personalization ? { Personalization: r.personalization } : {}),
    })),
    ...optional('SendDateTime', message.sendDateTime),
    ...optional('AttachmentUri', message.attachmentUri),
    ...optional('CustomerData', message.customerData),
    ...optional('AdMessage', message.adMessage),
    ...optional('DlrUrl', message.dlrUrl),
    ...optional('RequestId', message.requestId),
  };
}

/** POST /messages, or POST /messages/reply/{replyTo} so SmartDialog threads it under that message. */
export async function sendSmartDialogMessage(
  client: SmartDialogClient,
  message: SmartDialogMessage,
  replyTo?: string,
  serviceId: string = client.serviceId,
): Promise<SmartDialogSent> {
  const body = toSendBody(message);
  const path = replyTo === undefined ? '/messages' : `/messages/reply/${segment(replyTo)}`;
  const res = await callSmartDialog(client, {
    method: 'POST',
    path,
    headers: { 'Customer-Id': client.customerId, 'Service-Id': serviceId },
    body,
  });
  return toSent(res.body, `POST ${replyTo === undefined ? path : '/messages/reply/{id}'}`);
}

export interface SmartDialogThreadReply {
  threadId: string;
  content: string;
  customerData?: string;
}

/** POST /messages/discussion/reply; its customer header is `CustomerId`, without the hyphen. */
export async function sendSmartDialogThreadReply(
  client: SmartDialogClient,
  reply: SmartDialogThreadReply,
): Promise<SmartDialogSent> {
  checkRequired('ThreadId', reply.threadId);
  checkRequired('Content', reply.content);
  checkMaxLength('CustomerData', reply.customerData, MAX_CUSTOMER_DATA);
  const res = await callSmartDialog(client, {
    method: 'POST',
    path: '/messages/discussion/reply',
    headers: { CustomerId: client.customerId },
    body: {
      ThreadId: reply.threadId,
      Content: reply.content,
      ...optional('CustomerData', reply.customerData),
    },
  });
  return toSent(res.body, 'POST /messages/discussion/reply');
}

/** Lower-cased keys: /messages answers PascalCase, the template send camelCase. */
const sentAnswer = z
  .object({
    messageid: idText,
    messagepartcount: z.number().int().nullish(),
    recipients: z
      .array(z.object({ address: z.string().nullish(), id: optionalIdText }).passthrough())
      .nullish(),
    threadid: optionalIdText,
  })
  .passthrough();

export function toSent(body: unknown, operation: string): SmartDialogSent {
  const answer = parseAnswer(sentAnswer, body, operation);
  return {
    messageId: answer.messageid,
    ...(answer.messagepartcount != null ? { messagePartCount: answer.messagepartcount } : {}),
    recipients: (answer.recipients ?? []).map((r) => ({
      ...(r.address ? { address: r.address } : {}),
      ...(r.id ? { id: r.id } : {}),
    })),
    ...(answer.threadid ? { threadId: answer.threadid } : {}),
    raw: body,
  };
}

/**
 * What SmartDialog answers to a repeated RequestId is NOT FOUND ("sending is cancelled", swagger).
 * The likely answer, as on Arena's messaging gateway, is a 4xx whose errorMessage names the
 * duplicate request id; that is what counts as "already sent" here.
 */
export function isDuplicateRequest(err: unknown): err is ProviderValidationError {
  if (!(err instanceof ProviderValidationError)) return false;
  const said = errorMessageOf(err.details) ?? err.message;
  return /duplicate/i.test(said) && /request[\s_-]*id/i.test(said);
}

/** The original message id, should a duplicate answer carry one (undocumented). */
export function duplicateMessageId(err: ProviderValidationError): string | undefined {
  const body = lowerKeys(err.details) as Record<string, unknown> | undefined;
  const id = body && typeof body === 'object' ? body['messageid'] : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
