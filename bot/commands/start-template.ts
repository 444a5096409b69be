/**
 * Sends a WhatsApp template to a customer as a job: the customer's thread is created or continued
 * with an outbound card showing the filled-in body, and the template's receipts move that card.
 * The one path for the `whatsapp` command, the templates card's Send button and (later) a "New
 * conversation" dialog.
 */
import type { MessageTemplate, Provider } from '../../adapters/types.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import type { Store } from '../store/types.ts';
import { optedOutCard } from './start-text.ts';

export interface TemplateSend {
  to: string;
  template: MessageTemplate;
  bodyParameters: string[];
  author: { name: string; id?: string };
  /** The same key never sends twice (a command's activity id, a card's nonce). */
  dedupeKey: string;
}

/** What is wrong with the parameters, in words for the agent; undefined when they fit. */
export function templateParametersProblem(template: MessageTemplate, given: string[]): string | undefined {
  const wanted = template.parameters;
  if (wanted === undefined || wanted === given.length) return undefined;
  const names = Array.from({ length: wanted }, (_, i) => `{{${i + 1}}}`).join(', ');
  return `template "${template.name}" takes ${wanted === 0 ? 'no parameters' : `${wanted} parameter${wanted === 1 ? '' : 's'} (${names})`}; ${given.length} ${given.length === 1 ? 'was' : 'were'} given`;
}

/** The body the customer will read, for the card: {{n}} filled in. */
export function renderTemplateBody(template: MessageTemplate, params: string[]): string {
  if (!template.content) {
    return `WhatsApp template "${template.name}"${params.length > 0 ? `: ${params.join(', ')}` : ''}`;
  }
  return template.content.replace(
    /\{\{\s*(\d+)\s*\}\}/g,
    (whole, n: string) => params[Number(n) - 1] ?? whole,
  );
}

/** Queues the template send; the caller has checked opt-out and parameters. */
export async function queueTemplate(
  store: Store,
  provider: Pick<Provider, 'id' | 'defaultSender'>,
  send: TemplateSend,
) {
  // A template send names no sender (SmartDialog's WhatsApp service has its identity); the
  // thread is filed under the default sender, or under "WhatsApp" when none is configured.
  const businessNumber = provider.defaultSender ?? 'WhatsApp';
  const outcome = await store.startConversation({
    provider: provider.id,
    businessNumber,
    customerNumber: send.to,
    channel: 'whatsapp',
    text: renderTemplateBody(send.template, send.bodyParameters),
    authorName: send.author.name,
    authorId: send.author.id,
    dedupeKey: send.dedupeKey,
    template: {
      id: send.template.id,
      name: send.template.name,
      ...(send.template.language ? { language: send.template.language } : {}),
      bodyParameters: send.bodyParameters,
    },
  });
  return { ...outcome, businessNumber };
}

export async function startTemplate(
  store: Store,
  provider: Pick<Provider, 'id' | 'defaultSender'>,
  send: TemplateSend,
): Promise<AdaptiveCard> {
  if (await store.isOptedOut(send.to)) return optedOutCard(send.to);
  const problem = templateParametersProblem(send.template, send.bodyParameters);
  if (problem) {
    return renderNoticeCard({
      title: 'Not sent: the parameters do not fit',
      text: `${problem}.`,
      style: 'attention',
    });
  }
  const outcome = await queueTemplate(store, provider, send);
  const route = await store.findRoute(provider.id, outcome.businessNumber);
  return renderNoticeCard({
    title: outcome.duplicate ? 'Already sent' : 'WhatsApp template queued',
    text: route
      ? `Template "${send.template.name}" is on its way to ${send.to}; its card in ${route.channelName ?? 'the linked channel'} shows the delivery status.`
      : `Template "${send.template.name}" is on its way to ${send.to}; its thread appears once a channel is linked to ${provider.id} ${outcome.businessNumber}.`,
    style: 'good',
    facts: [
      { title: 'To', value: send.to },
      {
        title: 'Parameters',
        value: send.bodyParameters.length > 0 ? send.bodyParameters.join(', ') : 'none',
      },
    ],
  });
}

/** Templates named `name` (or with that id), case-insensitive, narrowed to `language` when given. */
export function findTemplates(list: MessageTemplate[], name: string, language?: string): MessageTemplate[] {
  const wanted = name.toLowerCase();
  const byId = list.filter((t) => t.id === name);
  const byName = byId.length > 0 ? byId : list.filter((t) => t.name.toLowerCase() === wanted);
  return language ? byName.filter((t) => t.language?.toLowerCase() === language.toLowerCase()) : byName;
}
