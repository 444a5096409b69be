import type { Contact } from '../../adapters/types.ts';
import { renderContactCard } from '../../cards/contact.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import { parseFlags } from './args.ts';
import { normalizePhone } from './phone.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

const FIELDS = {
  first: { type: 'string' },
  last: { type: 'string' },
  email: { type: 'string' },
  city: { type: 'string' },
  country: { type: 'string' },
  inactive: { type: 'boolean' },
} as const;

export const contact: Command = {
  name: 'contact',
  usage:
    'contact <phone> | contact add|update <phone> [--first X] [--last Y] [--email E] [--city C] [--country FIN] [--inactive] | contact delete <phone>',
  description: 'Looks up, adds, changes or removes a contact of the SmartDialog group.',
  example: 'contact add +358401234567 --first Aino --last Virtanen',
  async run(ctx) {
    const [first, ...rest] = ctx.args;
    if (!first) throw new UsageError('Name a phone number, or add, update or delete.');
    const { capability } = providerWith(ctx, 'contacts', 'smartdialog');
    if (first === 'add' || first === 'update') {
      const { positionals, values } = parseFlags(rest, FIELDS);
      // Numbers are often typed with spaces: `+358 40 123 4567`.
      const phone = normalizePhone(positionals.join('') || undefined);
      const data: Contact = {
        phone,
        ...(values.first ? { firstName: values.first } : {}),
        ...(values.last ? { lastName: values.last } : {}),
        ...(values.email ? { email: values.email } : {}),
        ...(values.city ? { city: values.city } : {}),
        ...(values.country ? { countryCode: values.country.toUpperCase() } : {}),
        ...(values.inactive ? { active: false } : {}),
      };
      const saved =
        first === 'add' ? await capability.createContact(data) : await capability.updateContact(data);
      await ctx.reply(renderContactCard(withoutRaw(saved)));
      return;
    }
    if (first === 'delete') {
      const phone = normalizePhone(rest.join('') || undefined);
      await capability.deleteContact(phone);
      await ctx.reply(
        renderNoticeCard({
          title: 'Contact deleted',
          text: `${phone} is no longer in the group.`,
          style: 'good',
        }),
      );
      return;
    }
    const phone = normalizePhone(ctx.args.join(''));
    const found = await capability.getContact(phone);
    if (!found) {
      await ctx.reply(
        renderNoticeCard({
          title: 'No such contact',
          text: `${phone} is not in the group. Add it with \`contact add ${phone} --first … --last …\`.`,
          style: 'warning',
        }),
      );
      return;
    }
    await ctx.reply(renderContactCard(withoutRaw(found)));
  },
};

function withoutRaw({ raw: _raw, ...rest }: Contact) {
  return rest;
}
