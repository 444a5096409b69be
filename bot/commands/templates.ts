import { renderTemplatesCard } from '../../cards/templates.ts';
import { providerWith } from './provider-of.ts';
import type { Command } from './types.ts';

export const templates: Command = {
  name: 'templates',
  usage: 'templates',
  description: 'Lists the approved WhatsApp templates (SmartDialog).',
  example: 'templates',
  async run(ctx) {
    const { capability } = providerWith(ctx, 'templates', 'smartdialog');
    const list = await capability.listTemplates();
    await ctx.reply(
      renderTemplatesCard({
        templates: list.map(({ id, name, category, language, content }) => ({
          id,
          name,
          category,
          language,
          content,
        })),
      }),
    );
  },
};
