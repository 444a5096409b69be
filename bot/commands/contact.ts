import type { Contact } from '../../adapters/types.ts';
import { executeAction } from '../../cards/actions.ts';
import { renderContactCard } from '../../cards/contact.ts';
import { renderNoticeCard } from '../../cards/notice.ts';
import { confirmToken } from '../teams/actions/confirm-actions.ts';
import { parseFlags } from './args.ts';
import { normalizePhone } from './phone.ts';
import { providerWith } from './provider-of.ts';
import { type Command, UsageError } from './types.ts';

/** Every field of a SmartDialog group contact (seeds/002), as a flag. */
const FIELDS = {
  first: { type: 'string' },
  last: { type: 'string' },
  email: { type: 'string' },
  gender: { type: 'string' },
  'birth-year': { type: 'string' },
  street: { type: 'string' },
  zip: { type: 'string' },
  city: { type: 'string' },
  country: { type: 'string' },
  inactive: { type: 'boolean' },
  active: { type: 'boolean' },
  custom: { type: 'string', multiple: true },
  region: { type: 'string', multiple: true },
} as const;

const GENDERS = ['Male', 'Female', 'Other'] as const;

type Values = ReturnType<typeof parseFlags<typeof FIELDS>>['values'];

function contactOf(phone: string, values: Values): Contact {
  const gender = values.gender
    ? GENDERS.find((g) => g.toLowerCase() === values.gender!.toLowerCase())
    : undefined;
  if (values.gender && !gender)
    throw new UsageError(`--gender must be Male, Female or Other, not "${values.gender}"`);
  const year = values['birth-year'];
  if (year !== undefined && !/^(19|20)\d{2}$/.test(year)) {
    throw new UsageError(`--birth-year must be a year such as 1985, not "${year}"`);
  }
  if (values.country !== undefined && !/^[a-z]{3}$/i.test(values.country)) {
    throw new UsageError(`--country takes a 3-letter code such as FIN, not "${values.country}"`);
  }
  if (values.active && values.inactive) throw new UsageError('say --active or --inactive, not both');
  const custom: Record<string, string> = {};
  for (const pair of values.custom ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--custom takes name=value, not "${pair}"`);
    custom[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return {
    phone,
    ...(values.first ? { firstName: values.first } : {}),
    ...(values.last ? { lastName: values.last } : {}),
    ...(values.email ? { email: values.email } : {}),
    ...(gender ? { gender } : {}),
    ...(year ? { birthYear: Number(year) } : {}),
    ...(values.street ? { streetAddress: values.street } : {}),
    ...(values.zip ? { zipCode: values.zip } : {}),
    ...(values.city ? { city: values.city } : {}),
    ...(values.country ? { countryCode: values.country.toUpperCase() } : {}),
    ...(values.inactive ? { active: false } : values.active ? { active: true } : {}),
    ...(Object.keys(custom).length > 0 ? { custom } : {}),
    ...(values.region?.length ? { regions: values.region.map((r) => r.toUpperCase()) } : {}),
  };
}

export const contact: Command = {
  name: 'contact',
  usage:
    'contact <phone> | contact add|update <phone> [--first X] [--last Y] [--email E] [--gender Male|Female|Other] [--birth-year 1985] [--street S] [--zip Z] [--city C] [--country FIN] [--active|--inactive] [--custom name=value]… [--region FI]… | contact delete <phone> | contact delete-all',
  description:
    'Looks up, adds, changes or removes a contact of the SmartDialog group (every contact field); delete-all asks to confirm first.',
  example: 'contact add +358401234567 --first Aino --last Virtanen --city Helsinki --custom tier=gold',
  async run(ctx) {
    const [first, ...rest] = ctx.args;
    if (!first) throw new UsageError('Name a phone number, or add, update, delete or delete-all.');
    const { capability } = providerWith(ctx, 'contacts', 'smartdialog');
    if (first === 'add' || first === 'update') {
      const { positionals, values } = parseFlags(rest, FIELDS);
      // Numbers are often typed with spaces: `+358 40 123 4567`.
      const data = contactOf(normalizePhone(positionals.join('') || undefined), values);
      const saved =
        first === 'add' ? await capability.createContact(data) : await capability.updateContact(data);
      await ctx.reply(renderContactCard(withoutRaw(saved)));
      return;
    }
    if (first === 'delete-all') {
      const token = confirmToken('contact-delete-all');
      await ctx.reply(
        renderNoticeCard({
          title: 'Delete every contact of the group?',
          text: 'This removes all contacts of the SmartDialog group service. It cannot be undone.',
          style: 'warning',
          actions: [
            executeAction('Delete all contacts', 'confirm', { token }, { withoutInputs: true }),
            executeAction('Cancel', 'cancel-confirm', { token }, { withoutInputs: true }),
          ],
        }),
      );
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
