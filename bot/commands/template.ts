import { parseArgs } from 'node:util';
import { renderNoticeCard } from '../../cards/notice.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

const BUTTON_TYPES = ['Call', 'QuickReply', 'Url'] as const;

export const template: Command = {
  name: 'template',
  usage:
    'template create <name> --lang <xx> --category <category> [--identity <WhatsApp number>] [--button Call|QuickReply|Url:<label>:<data>]… [--attachment <url>] <content with {{1}}…>',
  description:
    'Creates a WhatsApp template at SmartDialog (it then waits for WhatsApp’s approval); its placeholders are numbered in double braces, 1 first',
  example: 'template create order_shipped --lang en --category UTILITY Your order {{1}} ships on {{2}}.',
  async run(ctx) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(ctx.args);
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/\. To specify.*$/s, ''));
    }
    const { values, positionals } = parsed;
    const [verb, name, ...words] = positionals;
    if (verb !== 'create') throw new UsageError('Say `template create …` (use `templates` to list them).');
    if (!name) throw new UsageError('Name the template.');
    const content = words.join(' ').trim();
    if (!content) throw new UsageError('Write the template’s content after the flags.');
    if (!values.lang || !/^[a-z]{2}$/i.test(values.lang)) {
      throw new UsageError('--lang takes the 2-letter language code of the template, such as en or fi');
    }
    if (!values.category) throw new UsageError('--category is required, for example UTILITY or MARKETING');
    const { provider, capability } = providerWith(ctx, 'templates', 'smartdialog');
    const identity = values.identity ?? provider.defaultSender;
    if (!identity) {
      throw new UsageError('Say which WhatsApp number the template belongs to with --identity <number>.');
    }
    const buttons = (values.button ?? []).map(button);
    await capability.createTemplate({
      identity,
      displayName: name,
      content,
      category: values.category.toUpperCase(),
      language: values.lang.toLowerCase(),
      ...(buttons.length > 0 ? { buttons } : {}),
      ...(values.attachment ? { attachmentUrl: values.attachment } : {}),
    });
    await ctx.reply(
      renderNoticeCard({
        title: 'WhatsApp template created',
        text: `"${name}" was submitted for ${identity}. WhatsApp reviews it before it can be sent; \`templates\` lists it meanwhile.`,
        style: 'good',
        facts: [
          { title: 'Language', value: values.lang.toLowerCase() },
          { title: 'Category', value: values.category.toUpperCase() },
          { title: 'Content', value: content },
        ],
      }),
    );
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      lang: { type: 'string' },
      category: { type: 'string' },
      identity: { type: 'string' },
      button: { type: 'string', multiple: true },
      attachment: { type: 'string' },
    },
  });
}

/** `QuickReply:Yes:yes` → a button; Url data may itself hold colons. */
function button(spec: string): { type: (typeof BUTTON_TYPES)[number]; label: string; data: string } {
  const [type, label, ...data] = spec.split(':');
  const known = BUTTON_TYPES.find((t) => t.toLowerCase() === type?.toLowerCase());
  if (!known || !label || data.length === 0) {
    throw new UsageError(`--button takes Call|QuickReply|Url:<label>:<data>, not "${spec}"`);
  }
  return { type: known, label, data: data.join(':') };
}
