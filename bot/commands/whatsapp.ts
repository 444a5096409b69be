import { randomUUID } from 'node:crypto';
import type { MessageTemplate } from '../../adapters/types.ts';
import { renderTemplatesCard } from '../../cards/templates.ts';
import type { AdaptiveCard } from '../../cards/types.ts';
import { parseFlags } from './args.ts';
import { normalizePhone } from './phone.ts';
import { providerWith } from './provider-of.ts';
import { findTemplates, startTemplate } from './start-template.ts';
import { optedOutCard } from './start-text.ts';
import { type Command, UsageError } from './types.ts';

/** The templates card as a picker: the customer filled in, the templates listed with their parameters. */
export function templatePicker(
  list: MessageTemplate[],
  opts: { to?: string; note?: string; selected?: string } = {},
): AdaptiveCard {
  return renderTemplatesCard({
    templates: list.map(({ raw: _raw, ...t }) => t),
    nonce: randomUUID(),
    ...opts,
  });
}

export const whatsapp: Command = {
  name: 'whatsapp',
  usage: 'whatsapp <number> [<template name> [parameters…]] [--lang <code>]',
  description:
    "Sends an approved WhatsApp template (SmartDialog), picked by name; the parameters fill the template's placeholders in order. Without a template it shows the picker.",
  example: 'whatsapp +358401234567 order_shipped 4711 Tuesday',
  async run(ctx) {
    const { positionals, values } = parseFlags(ctx.args, { lang: { type: 'string' } });
    const [number, name, ...params] = positionals;
    const to = normalizePhone(number);
    await ctx.access.requireMember(ctx.turn, 'text customers');
    const { provider, capability } = providerWith(ctx, 'templates', 'smartdialog');
    if (await ctx.store.isOptedOut(to)) {
      await ctx.reply(optedOutCard(to));
      return;
    }
    const list = await capability.listTemplates();
    if (!name) {
      await ctx.reply(templatePicker(list, { to }));
      return;
    }
    const found = findTemplates(list, name, values.lang);
    if (found.length === 0) {
      const names = [...new Set(list.map((t) => t.name))].join(', ') || 'none';
      throw new UsageError(
        `there is no template "${name}"${values.lang ? ` in ${values.lang}` : ''}`,
        `Approved templates: ${names}. Type \`templates\` to see them with their languages and parameters.`,
      );
    }
    if (found.length > 1) {
      // Same name in several languages: the agent picks one.
      await ctx.reply(
        templatePicker(found, {
          to,
          note: `"${name}" exists in several languages; pick one, or add --lang.`,
        }),
      );
      return;
    }
    const author = { name: ctx.turn.activity.from?.name ?? 'Agent', id: ctx.turn.activity.from?.aadObjectId };
    // A Teams redelivery of the command carries the same activity id: one message, one send.
    const dedupeKey = `whatsapp:${ctx.turn.activity.id ?? randomUUID()}`;
    await ctx.reply(
      await startTemplate(ctx.store, provider, {
        to,
        template: found[0]!,
        bodyParameters: params,
        author,
        dedupeKey,
      }),
    );
  },
};
