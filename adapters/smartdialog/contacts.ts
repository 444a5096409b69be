/**
 * Contacts of a group service: /groupcontact/{Customer}/{Group Service}[/{Phone}] (providers
 * README §3.2). Wire fields are camelCase; "Group Service" is only the template's name for a
 * service id.
 */
import { z } from 'zod';
import { ProviderNotFoundError } from '../errors.ts';
import type { Contact } from '../types.ts';
import { callSmartDialog, parseAnswer, type SmartDialogClient, segment } from './api.ts';
import { checkRequired, invalid } from './validate.ts';
import { optional } from './wire.ts';

function contactPath(client: SmartDialogClient, groupServiceId: string, phone?: string): string {
  const base = `/groupcontact/${segment(client.customerId)}/${segment(groupServiceId)}`;
  return phone === undefined ? base : `${base}/${segment(phone)}`;
}

/** The request body of POST (with phone) and PUT (phone is in the path, not the body). */
export function toContactBody(contact: Contact, withPhone: boolean): Record<string, unknown> {
  checkRequired('phone', contact.phone);
  if (contact.countryCode !== undefined && !/^[a-z]{3}$/i.test(contact.countryCode)) {
    throw invalid(`countryCode must be a 3-letter country code, got "${contact.countryCode}"`);
  }
  if (contact.birthYear !== undefined && !Number.isInteger(contact.birthYear)) {
    throw invalid(`birthYear must be a whole year, got ${contact.birthYear}`);
  }
  const custom = Object.entries(contact.custom ?? {}).map(([name, value]) => ({ name, value }));
  return {
    ...(withPhone ? { phone: contact.phone } : {}),
    ...optional('active', contact.active),
    ...optional('email', contact.email),
    ...optional('firstName', contact.firstName),
    ...optional('lastName', contact.lastName),
    ...optional('gender', contact.gender),
    ...optional('birthYear', contact.birthYear),
    ...optional('streetAddress', contact.streetAddress),
    ...optional('zipCode', contact.zipCode),
    ...optional('city', contact.city),
    ...optional('countryCode', contact.countryCode),
    ...(custom.length > 0 ? { customContactProperties: custom } : {}),
    // Empty means Finland to SmartDialog (swagger), so it is only sent when given.
    ...optional('phoneNumberRegions', contact.regions),
  };
}

const text = z.string().nullish();
const contactAnswer = z
  .object({
    phone: z.string().min(1),
    email: text,
    firstname: text,
    lastname: text,
    gender: z.enum(['Male', 'Female', 'Other']).nullish(),
    birthyear: z.number().int().nullish(),
    streetaddress: text,
    zipcode: text,
    city: text,
    countrycode: text,
    active: z.boolean().nullish(),
    customcontactproperties: z.array(z.object({ name: z.string(), value: text }).passthrough()).nullish(),
    phonenumberregions: z.array(z.string()).nullish(),
  })
  .passthrough();

/** GET …/{Phone}; undefined when SmartDialog does not know the number (404 or an empty answer). */
export async function getGroupContact(
  client: SmartDialogClient,
  groupServiceId: string,
  phone: string,
  region?: string,
): Promise<Contact | undefined> {
  checkRequired('phone', phone);
  const query = region === undefined ? '' : `?Region=${encodeURIComponent(region)}`;
  let body: unknown;
  try {
    body = (
      await callSmartDialog(client, {
        method: 'GET',
        path: `${contactPath(client, groupServiceId, phone)}${query}`,
      })
    ).body;
  } catch (err) {
    // The answer for an unknown number is NOT FOUND in the swagger; 404 is the plausible one.
    if (err instanceof ProviderNotFoundError) return undefined;
    throw err;
  }
  if (body === undefined || body === null || body === '') return undefined;
  return toContact(
    parseAnswer(contactAnswer, body, 'GET /groupcontact/{Customer}/{Group Service}/{Phone}'),
    body,
  );
}

function toContact(c: z.output<typeof contactAnswer>, raw: unknown): Contact {
  const custom = Object.fromEntries((c.customcontactproperties ?? []).map((p) => [p.name, p.value ?? '']));
  return {
    phone: c.phone,
    ...(c.email ? { email: c.email } : {}),
    ...(c.firstname ? { firstName: c.firstname } : {}),
    ...(c.lastname ? { lastName: c.lastname } : {}),
    ...(c.gender ? { gender: c.gender } : {}),
    ...(c.birthyear != null ? { birthYear: c.birthyear } : {}),
    ...(c.streetaddress ? { streetAddress: c.streetaddress } : {}),
    ...(c.zipcode ? { zipCode: c.zipcode } : {}),
    ...(c.city ? { city: c.city } : {}),
    ...(c.countrycode ? { countryCode: c.countrycode } : {}),
    ...(c.active != null ? { active: c.active } : {}),
    ...(Object.keys(custom).length > 0 ? { custom } : {}),
    ...(c.phonenumberregions?.length ? { regions: c.phonenumberregions } : {}),
    raw,
  };
}

/** POST → the new contact's id (a uuid, sent as a JSON string). */
export async function createGroupContact(
  client: SmartDialogClient,
  groupServiceId: string,
  contact: Contact,
): Promise<string | undefined> {
  const body = toContactBody(contact, true);
  const res = await callSmartDialog(client, {
    method: 'POST',
    path: contactPath(client, groupServiceId),
    body,
  });
  return typeof res.body === 'string' && res.body !== '' ? res.body : undefined;
}

/** PUT …/{Phone} → whether SmartDialog updated a contact. */
export async function updateGroupContact(
  client: SmartDialogClient,
  groupServiceId: string,
  contact: Contact,
): Promise<boolean> {
  const body = toContactBody(contact, false);
  const res = await callSmartDialog(client, {
    method: 'PUT',
    path: contactPath(client, groupServiceId, contact.phone),
    body,
  });
  return flag(res.body, 'PUT /groupcontact/{Customer}/{Group Service}/{Phone}');
}

/** DELETE …/{Phone} → whether a contact was deleted. */
export async function deleteGroupContact(
  client: SmartDialogClient,
  groupServiceId: string,
  phone: string,
): Promise<boolean> {
  checkRequired('phone', phone);
  const res = await callSmartDialog(client, {
    method: 'DELETE',
    path: contactPath(client, groupServiceId, phone),
  });
  return flag(res.body, 'DELETE /groupcontact/{Customer}/{Group Service}/{Phone}');
}

/** DELETE /groupcontact/{Customer}/{Group Service}: every contact of the group. */
export async function deleteAllGroupContacts(
  client: SmartDialogClient,
  groupServiceId: string,
): Promise<boolean> {
  const res = await callSmartDialog(client, { method: 'DELETE', path: contactPath(client, groupServiceId) });
  return flag(res.body, 'DELETE /groupcontact/{Customer}/{Group Service}');
}

// The swagger says `boolean`; a text/plain "true" or an empty 200 are read the same way.
const booleanAnswer = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
  z.undefined().transform(() => true),
]);

function flag(body: unknown, operation: string): boolean {
  return parseAnswer(booleanAnswer, typeof body === 'string' ? body.trim().toLowerCase() : body, operation);
}

const regionList = z.array(z.object({ value: z.string(), name: z.string().nullish() }).passthrough());

/** GET /phonenumberregions → the values `regions` / Region accept. */
export async function listPhoneNumberRegions(
  client: SmartDialogClient,
): Promise<Array<{ value: string; name?: string }>> {
  const res = await callSmartDialog(client, { method: 'GET', path: '/phonenumberregions' });
  return parseAnswer(regionList, res.body ?? [], 'GET /phonenumberregions').map((r) => ({
    value: r.value,
    ...(r.name ? { name: r.name } : {}),
  }));
}
