/**
 * Provider.send for the Conversation API: POST /messages:send, one message per call (the API has
 * no batch form on this endpoint). RCS goes first; with an SMS sender configured, SMS is the
 * fallback (channel_priority_order RCS, SMS, both identities, SMS_SENDER), as Sinch documents it.
 */
import { z } from 'zod';
import { readAnswer } from '../answer.ts';
import { ProviderNotSupportedError, ProviderValidationError } from '../errors.ts';
import type { OutboundRequest, SendResult } from '../types.ts';
import { type ConversationClient, callConversation } from './api.ts';

/** Key of our message id inside message_metadata, which Sinch returns on every delivery report. */
export const CORRELATION_KEY = 'tb_message_id';

/** RCS text limit (docs …/rcs/message-support); SMS fallback is cut into parts by Sinch. */
export const RCS_MAX_TEXT = 3072;

type Channel = 'RCS' | 'SMS';

export interface ConversationSendRequest {
  app_id: string;
  recipient: { identified_by: { channel_identities: Array<{ channel: Channel; identity: string }> } };
  message: { text_message: { text: string } } | { media_message: { url: string } };
  channel_priority_order?: Channel[];
  channel_properties?: Record<string, string>;
  message_metadata: string;
}

export function toConversationRequest(
  client: Pick<ConversationClient, 'appId' | 'smsSender'>,
  req: OutboundRequest,
): ConversationSendRequest {
  if (req.channel !== 'rcs' && req.channel !== 'sms') {
    throw new ProviderNotSupportedError(
      `sinch-conversation sends RCS (with SMS fallback) and SMS, not ${req.channel}`,
      'sinch-conversation',
    );
  }
  const media = req.media ?? [];
  if (media.length > 1 || (media.length === 1 && req.text.trim() !== '')) {
    // An AppMessage carries exactly one kind of content; sending part of it would lose the rest.
    throw new ProviderValidationError(
      'sinch-conversation sends one text or one media file per message, not both',
      'sinch-conversation',
    );
  }
  const channels: Channel[] = req.channel === 'sms' ? ['SMS'] : client.smsSender ? ['RCS', 'SMS'] : ['RCS'];
  if (channels.includes('SMS') && !client.smsSender) {
    throw new ProviderValidationError(
      'sinch-conversation needs SINCH_CONVERSATION_SMS_SENDER to send SMS',
      'sinch-conversation',
    );
  }
  return {
    app_id: client.appId,
    recipient: {
      identified_by: { channel_identities: channels.map((channel) => ({ channel, identity: req.to })) },
    },
    message: media[0] ? { media_message: { url: media[0] } } : { text_message: { text: req.text } },
    ...(channels.length > 1 ? { channel_priority_order: channels } : {}),
    ...(client.smsSender && channels.includes('SMS')
      ? { channel_properties: { SMS_SENDER: client.smsSender } }
      : {}),
    message_metadata: JSON.stringify({ [CORRELATION_KEY]: req.correlationId }),
  };
}

const sendAnswer = z
  .object({ message_id: z.string().min(1), accepted_time: z.string().nullish() })
  .passthrough();

export async function sendConversationMessages(
  client: ConversationClient,
  requests: OutboundRequest[],
): Promise<SendResult[]> {
  const bodies = requests.map((req) => toConversationRequest(client, req));
  const results: SendResult[] = [];
  for (const [i, body] of bodies.entries()) {
    const answer = readAnswer(
      sendAnswer,
      await callConversation(client, 'POST', '/messages:send', body),
      { id: 'sinch-conversation', name: 'Sinch Conversation API' },
      'POST /messages:send',
    );
    // "Accepted means queued, not delivered."
    results.push({
      correlationId: requests[i]!.correlationId,
      providerMessageId: answer.message_id,
      status: 'queued',
      vendorStatus: 'accepted',
    });
  }
  return results;
}

/** Our id from message_metadata (JSON we wrote), or undefined for anyone else's metadata. */
export function correlationFromMetadata(metadata: unknown): string | undefined {
  if (typeof metadata !== 'string' || !metadata.startsWith('{')) return undefined;
  try {
    const value = (JSON.parse(metadata) as Record<string, unknown>)[CORRELATION_KEY];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
