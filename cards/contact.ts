import { compileTemplate } from './template.ts';
import { clipFacts, clipShort, type Fact } from './text.ts';
import type { AdaptiveCard, CardContact } from './types.ts';

export type ContactCardData = CardContact;

/** Most custom properties listed; the rest are counted. */
export const MAX_CONTACT_PROPERTIES = 30;

const NOT_SET = 'Not set';

const expand = compileTemplate(new URL('./templates/contact.json', import.meta.url));

/** The answer to `contact <phone>` and to adding or updating a contact. */
export function renderContactCard(data: ContactCardData): AdaptiveCard {
  const name = [data.firstName, data.lastName]
    .map((part) => part?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
  const phone = clipShort(data.phone);
  const facts: Fact[] = [
    { title: 'Phone', value: phone },
    { title: 'Name', value: name ? clipShort(name) : NOT_SET },
    { title: 'Email', value: data.email?.trim() ? clipShort(data.email.trim()) : NOT_SET },
    { title: 'Address', value: address(data) || NOT_SET },
    { title: 'Country', value: data.countryCode?.trim() ? clipShort(data.countryCode.trim(), 20) : NOT_SET },
    ...(data.gender ? [{ title: 'Gender', value: data.gender }] : []),
    ...(data.birthYear !== undefined ? [{ title: 'Birth year', value: String(data.birthYear) }] : []),
    ...(data.regions?.length ? [{ title: 'Regions', value: clipShort(data.regions.join(', '), 200) }] : []),
  ];
  const custom = Object.entries(data.custom ?? {}).map(([title, value]) => ({ title, value }));
  return expand({
    title: name ? clipShort(name) : phone,
    activeLabel: data.active === undefined ? '' : data.active ? '● Active' : '● Inactive',
    activeColor: data.active ? 'Good' : 'Warning',
    facts,
    custom: clipFacts(custom, MAX_CONTACT_PROPERTIES),
  });
}

/** "Main Street 1, 00100 Helsinki" from whichever parts are set. */
function address(contact: CardContact): string {
  const town = [contact.zipCode, contact.city]
    .map((part) => part?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
  const parts = [contact.streetAddress?.trim() ?? '', town].filter(Boolean);
  return clipShort(parts.join(', '), 200);
}
