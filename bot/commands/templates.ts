import { providerWith } from './provider-of.ts';
import type { Command } from './types.ts';
import { templatePicker } from './whatsapp.ts';

export const templates: Command = {
  name: 'templates',
  usage: 'templates',
  description:
    'Lists the approved WhatsApp templates (SmartDialog) with their language and parameters, with a form to send one.',
  example: 'templates',
  async run(ctx) {
    const { capability } = providerWith(ctx, 'templates', 'smartdialog');
    await ctx.reply(templatePicker(await capability.listTemplates()));
  },
};
