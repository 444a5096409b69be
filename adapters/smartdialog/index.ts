/**
 * SmartDialog (Arena Interactive) behind the Provider interface, through the connector API
 * (providers README §3). Also the operator's calls to register our inbound webhook.
 */
import type { Dispatcher } from 'undici';
import { ProviderNotSupportedError } from '../errors.ts';
import type { Provider } from '../types.ts';
import type { SmartDialogClient } from './api.ts';
import { createTokenSource, type SmartDialogAuth } from './auth.ts';
import { contactsCapability, optInCapability, templatesCapability } from './capabilities.ts';
import { sendSmartDialogThreadReply } from './messages.ts';
import { sendSmartDialogRequests } from './send.ts';
import { parseSmartDialogWebhook } from './webhook.ts';
import { deleteWebhookAction, registerWebhookAction, type SmartDialogWebhookAction } from './webhooks.ts';

export { SMARTDIALOG_SCOPES, SMARTDIALOG_TOKEN_URL, type SmartDialogAuth } from './auth.ts';
export type { SmartDialogWebhookAction } from './webhooks.ts';

export const SMARTDIALOG_DEFAULT_BASE_URL = 'https://api.arena.fi/api-integrations/v1';

export interface SmartDialogProviderOptions {
  /** SMARTDIALOG_DEFAULT_BASE_URL in production. */
  baseUrl: string;
  auth: SmartDialogAuth;
  customerId: string;
  /** The one-way service, with replies allowed, that sends. */
  serviceId: string;
  /** The service of WhatsApp threads and template sends; serviceId when absent. */
  whatsappServiceId?: string;
  /** Sender for messages that name none. */
  sender?: string;
  /** Enables the contacts capability on this group service. */
  groupServiceId?: string;
  /** Our GET webhook URL including its secret query; tb_message_id is appended per message. */
  dlrUrl?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/** Long enough for a token refresh plus the call, short enough not to hold a worker. */
const DEFAULT_TIMEOUT_MS = 15_000;

/** The client every smartdialog/*.ts operation takes; exported for scripts that need the rest. */
export function createSmartDialogClient(options: SmartDialogProviderOptions): SmartDialogClient {
  if (!URL.canParse(options.baseUrl))
    throw new TypeError(`SmartDialog baseUrl is not a URL: ${options.baseUrl}`);
  if (!options.customerId || !options.serviceId) {
    throw new TypeError('SmartDialog needs both customerId and serviceId');
  }
  if (options.dlrUrl !== undefined && !URL.canParse(options.dlrUrl)) {
    throw new TypeError(`SmartDialog dlrUrl is not a URL: ${options.dlrUrl}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    tokens: createTokenSource(options.auth, { timeoutMs, dispatcher: options.dispatcher }),
    customerId: options.customerId,
    serviceId: options.serviceId,
    whatsappServiceId: options.whatsappServiceId ?? options.serviceId,
    sender: options.sender,
    groupServiceId: options.groupServiceId,
    dlrUrl: options.dlrUrl,
    timeoutMs,
    dispatcher: options.dispatcher,
  };
}

export function createSmartDialogProvider(options: SmartDialogProviderOptions): Provider {
  const client = createSmartDialogClient(options);
  const groupServiceId = options.groupServiceId;
  return {
    id: 'smartdialog',
    idempotentSends: true,
    // Sends that wait together go out as one call per distinct text (send.ts).
    maxBatch: 100,
    ...(options.sender ? { defaultSender: options.sender } : {}),
    send: (requests) => sendSmartDialogRequests(client, requests),
    async getStatus() {
      // The connector has no status lookup; delivery reports only arrive through the DlrUrl.
      throw new ProviderNotSupportedError('SmartDialog has no message status lookup', 'smartdialog');
    },
    parseWebhook: (request) => parseSmartDialogWebhook(request),
    textLimits: {
      // [I] The connector documents no limit; Arena's own integration task refuses content over
      // 1,000 characters, so that is what the bot holds to rather than risk a cut.
      sms: { maxChars: 1000, source: 'SmartDialog is held to 1,000 characters a message' },
      // WhatsApp's own limit of a text message body.
      whatsapp: { maxChars: 4096, source: 'WhatsApp takes at most 4,096 characters a message' },
    },
    capabilities: {
      ...(groupServiceId ? { contacts: contactsCapability(client, groupServiceId) } : {}),
      templates: templatesCapability(client),
      optIn: optInCapability(client),
      discussion: {
        async reply(threadId, content) {
          const sent = await sendSmartDialogThreadReply(client, { threadId, content });
          return {
            messageId: sent.messageId,
            recipients: sent.recipients.length,
            ...(sent.threadId ? { threadId: sent.threadId } : {}),
          };
        },
      },
    },
  };
}

/**
 * Points a two-way service's inbound messages at `endpointUrl` (include its secret). Keep the
 * answer: unregistering needs both ids.
 */
export function registerSmartDialogWebhook(
  config: SmartDialogProviderOptions,
  twoWayServiceId: string,
  endpointUrl: string,
): Promise<SmartDialogWebhookAction> {
  return registerWebhookAction(createSmartDialogClient(config), twoWayServiceId, endpointUrl);
}

export function unregisterSmartDialogWebhook(
  config: SmartDialogProviderOptions,
  pipelineId: string,
  actionId: string,
): Promise<void> {
  return deleteWebhookAction(createSmartDialogClient(config), pipelineId, actionId);
}
