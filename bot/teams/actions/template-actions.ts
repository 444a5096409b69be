/** Send on the WhatsApp templates card: the picked template, to the number in the form. */
import { createHash } from 'node:crypto';
import { phoneProblem, toE164 } from '../../commands/phone.ts';
import { startTemplate } from '../../commands/start-template.ts';
import { type ActionHandler, ActionRefused, field } from './types.ts';

export const sendTemplate: ActionHandler = async (ctx) => {
  const provider = ctx.providers.smartdialog;
  const templates = provider?.capabilities.templates;
  if (!provider || !templates) throw new ActionRefused('WhatsApp templates are not enabled on this bot');
  await ctx.access.requireMember(ctx.turn, 'text customers');
  const typed = field(ctx.data, 'to');
  const to = toE164(typed);
  if (!to) throw new ActionRefused(phoneProblem(typed));
  const id = field(ctx.data, 'template');
  const template = (await templates.listTemplates()).find((t) => t.id === id);
  if (!template) throw new ActionRefused('that template is no longer approved; type `templates` again');
  const raw = typeof ctx.data['templateParams'] === 'string' ? ctx.data['templateParams'] : '';
  const bodyParameters = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // A double click on one rendering sends once; each rendering carries its own nonce.
  const nonce = typeof ctx.data['nonce'] === 'string' ? ctx.data['nonce'] : '';
  const digest = createHash('sha256')
    .update(JSON.stringify([nonce, to, id, bodyParameters]))
    .digest('hex')
    .slice(0, 32);
  return startTemplate(ctx.store, provider, {
    to,
    template,
    bodyParameters,
    author: { name: ctx.user.name, id: ctx.user.id },
    dedupeKey: `send-template:${digest}`,
  });
};
