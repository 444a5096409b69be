/**
 * The one path of a WhatsApp template to a customer (the `whatsapp` command, the Inbox's New
 * conversation dialog): opt-out check, then the provider's template send, deduplicated by the
 * provider on `key` (a redelivered command or a resubmitted dialog sends once).
 */
import type { TemplatesCapability } from '../../adapters/types.ts';
import type { Store } from '../store/types.ts';

export type TemplateOutcome = { status: 'opted-out' } | { status: 'sent'; providerMessageId?: string };

export async function sendWhatsAppTemplate(
  store: Store,
  capability: TemplatesCapability,
  req: { to: string; template: string; params: string[]; key: string },
): Promise<TemplateOutcome> {
  if (await store.isOptedOut(req.to)) return { status: 'opted-out' };
  const [result] = await capability.sendTemplate({
    template: req.template,
    to: [req.to],
    bodyParameters: req.params,
    correlationId: req.key,
    idempotencyKey: req.key,
  });
  return {
    status: 'sent',
    ...(result?.providerMessageId ? { providerMessageId: result.providerMessageId } : {}),
  };
}
