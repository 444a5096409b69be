/** Builds the enabled providers from the configuration. */

import { createRetarusProvider, RETARUS_WEBHOOK_CONTENT_TYPES } from '../adapters/retarus/index.ts';
import { createSandboxProvider } from '../adapters/sandbox/index.ts';
import { createSinchProvider } from '../adapters/sinch/index.ts';
import { createSinchConversationProvider } from '../adapters/sinch-conversation/index.ts';
import { createSmartDialogProvider } from '../adapters/smartdialog/index.ts';
import type { Provider, ProviderId, WebhookEvent } from '../adapters/types.ts';
import type { Config } from './config.ts';
import type { WebhookTarget } from './http/webhook-route.ts';

export interface ProviderSet {
  providers: Partial<Record<ProviderId, Provider>>;
  webhooks: Partial<Record<ProviderId, WebhookTarget>>;
  /** Sends per minute allowed to each provider. */
  ratePerMinute: Partial<Record<ProviderId, number>>;
}

export function buildProviders(
  config: Config,
  ingest: (events: WebhookEvent[]) => Promise<unknown>,
): ProviderSet {
  const set: ProviderSet = { providers: {}, webhooks: {}, ratePerMinute: {} };
  if (config.sandbox) {
    // Receipts go straight to ingest, the same path a provider's webhook takes after parsing.
    // No webhook: its only route, /sandbox/inbound, answers loopback callers only.
    set.providers.sandbox = createSandboxProvider({ emit: ingest });
    set.ratePerMinute.sandbox = 6000;
  }
  if (config.sinch) {
    const s = config.sinch;
    // Per-message callbacks cannot carry custom headers, so the secret travels in the query.
    const callbackUrl = config.publicUrl
      ? `${config.publicUrl}/webhooks/sinch?secret=${encodeURIComponent(s.webhookSecret)}`
      : undefined;
    const provider = createSinchProvider({
      apiKey: s.apiKey,
      apiSecret: s.apiSecret,
      baseUrl: s.baseUrl,
      sourceNumber: s.sourceNumber,
      callbackUrl,
      signatureKeys: s.signatureKeys,
    });
    set.providers.sinch = provider;
    set.webhooks.sinch = { provider, secret: s.webhookSecret, contentTypes: ['application/json'] };
    set.ratePerMinute.sinch = s.ratePerMinute;
  }
  if (config.sinchConversation) {
    const c = config.sinchConversation;
    const provider = createSinchConversationProvider({
      projectId: c.projectId,
      appId: c.appId,
      keyId: c.keyId,
      keySecret: c.keySecret,
      baseUrl: c.baseUrl,
      authUrl: c.authUrl,
      webhookSecret: c.webhookSecret,
      smsSender: c.smsSender,
    });
    set.providers['sinch-conversation'] = provider;
    // Sinch signs every callback with the webhook secret (HMAC); the route requires the signature.
    set.webhooks['sinch-conversation'] = {
      provider,
      secret: c.webhookSecret,
      contentTypes: ['application/json'],
    };
    set.ratePerMinute['sinch-conversation'] = c.ratePerMinute;
  }
  if (config.retarus) {
    const r = config.retarus;
    const provider = createRetarusProvider({
      username: r.username,
      password: r.password,
      sendUrl: r.sendUrl,
      statusUrls: r.statusUrls,
      sender: r.sender,
    });
    set.providers.retarus = provider;
    // Retarus pushes (status reports and inbound SMS) carry the secret as their Basic password.
    set.webhooks.retarus = { provider, secret: r.webhookSecret, contentTypes: RETARUS_WEBHOOK_CONTENT_TYPES };
    set.ratePerMinute.retarus = r.ratePerMinute;
  }
  if (config.smartdialog) {
    const d = config.smartdialog;
    const secretQuery = `secret=${encodeURIComponent(d.webhookSecret)}`;
    const provider = createSmartDialogProvider({
      baseUrl: d.baseUrl,
      auth: d.auth,
      customerId: d.customerId,
      serviceId: d.serviceId,
      whatsappServiceId: d.whatsappServiceId,
      sender: d.sender,
      groupServiceId: d.groupServiceId,
      // Delivery reports come as GET to this URL; SmartDialog keeps its query (ours: the secret).
      dlrUrl: config.publicUrl ? `${config.publicUrl}/webhooks/smartdialog?${secretQuery}` : undefined,
    });
    set.providers.smartdialog = provider;
    set.webhooks.smartdialog = {
      provider,
      secret: d.webhookSecret,
      contentTypes: ['application/json'],
      acceptsGet: true,
    };
    set.ratePerMinute.smartdialog = d.ratePerMinute;
  }
  return set;
}
