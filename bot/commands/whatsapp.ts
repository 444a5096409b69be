import { randomUUID } from 'node:crypto';
import { renderNoticeCard } from '../../cards/notice.ts';
import { normalizePhone } from './phone.ts';
import { providerWith } from './provider-of.ts';
import { sendWhatsAppTemplate } from './send-template.ts';
import { optedOutCard } from './start-text.ts';
import { type Command, UsageError } from './types.ts';

export const whatsapp: Command = {
  name: 'whatsapp',
  usage: 'whatsapp <number> <template> [parameters…]',
  description:
    'Sends an approved WhatsApp template to a customer (SmartDialog); parameters fill the body in order.',
  example: 'whatsapp +358401234567 order_shipped 4711 Tuesday',
  async run(ctx) {
    const [number, template, ...params] = ctx.args;
    const to = normalizePhone(number);
    if (!template) throw new UsageError('Name the template (see `templates`).');
    await ctx.access.requireMember(ctx.turn, 'text customers');
    const { capability } = providerWith(ctx, 'templates', 'smartdialog');
    // The command's activity id: a Teams redelivery of the same command carries the same
    // RequestId, which the provider deduplicates, so the template goes out once.
    const key = ctx.turn.activity.id ? `whatsapp:${ctx.turn.activity.id}` : randomUUID();
    const outcome = await sendWhatsAppTemplate(ctx.store, capability, { to, template, params, key });
    if (outcome.status === 'opted-out') {
      await ctx.reply(optedOutCard(to));
      return;
    }
    await ctx.reply(
      renderNoticeCard({
        title: 'WhatsApp template sent',
        text: `Template "${template}" is on its way to ${to}.`,
        style: 'good',
        facts: [
          { title: 'Parameters', value: params.length > 0 ? params.join(', ') : 'none' },
          { title: 'SmartDialog id', value: outcome.providerMessageId || 'pending' },
        ],
      }),
    );
  },
};
