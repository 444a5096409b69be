/**
 * A WhatsApp template named by its name (the Inbox's New conversation dialog, a script): looked
 * up among the approved templates, checked, then queued as a job through startTemplate's path,
 * so it starts or continues the customer's thread with a card its receipts move. The same `key`
 * sends once (a resubmitted dialog).
 */
import type { Provider } from '../../adapters/types.ts';
import type { Store } from '../store/types.ts';
import { findTemplates, queueTemplate, templateParametersProblem } from './start-template.ts';

export type TemplateOutcome =
  | { status: 'opted-out' }
  | { status: 'refused'; message: string }
  | { status: 'sent' | 'duplicate'; threadId?: string; messageId?: string };

export async function sendWhatsAppTemplate(
  store: Store,
  provider: Provider,
  req: {
    to: string;
    /** The template's name (or id). */
    template: string;
    language?: string;
    params: string[];
    key: string;
    author: { name: string; id?: string };
  },
): Promise<TemplateOutcome> {
  const capability = provider.capabilities.templates;
  if (!capability) return { status: 'refused', message: `${provider.id} sends no WhatsApp templates` };
  if (await store.isOptedOut(req.to)) return { status: 'opted-out' };
  const found = findTemplates(await capability.listTemplates(), req.template, req.language);
  if (found.length === 0)
    return { status: 'refused', message: `there is no approved template "${req.template}"` };
  if (found.length > 1) {
    return {
      status: 'refused',
      message: `"${req.template}" exists in several languages (${found.map((t) => t.language ?? '?').join(', ')}); name the language`,
    };
  }
  const template = found[0]!;
  const problem = templateParametersProblem(template, req.params);
  if (problem) return { status: 'refused', message: problem };
  const outcome = await queueTemplate(store, provider, {
    to: req.to,
    template,
    bodyParameters: req.params,
    author: req.author,
    dedupeKey: req.key,
  });
  return outcome.duplicate
    ? { status: 'duplicate' }
    : { status: 'sent', threadId: outcome.threadId, messageId: outcome.messageId };
}
