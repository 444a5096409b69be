/**
 * The shape of a Bot Framework activity as far as botbuilder and this bot read it. A field of the
 * wrong type (a number for `serviceUrl`, a string for `entities`) is answered 400 naming the field,
 * instead of failing deep inside botbuilder as a 500. Fields the bot does not read pass through.
 */
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { WebhookParseError } from '../../adapters/errors.ts';
import { checkPayload } from '../../adapters/webhook-parse.ts';

const id = z.string().max(1024);
const shortText = z.string().max(1024);

const account = z
  .object({
    id,
    name: shortText.optional(),
    aadObjectId: shortText.optional(),
    role: shortText.optional(),
  })
  .passthrough();

const optionalAccount = z
  .object({ id: id.optional(), name: shortText.optional(), aadObjectId: shortText.optional() })
  .passthrough();

const conversation = z
  .object({
    id,
    name: shortText.optional(),
    conversationType: shortText.optional(),
    tenantId: shortText.optional(),
    isGroup: z.boolean().optional(),
  })
  .passthrough();

const idAndName = z.object({ id: id.optional(), name: shortText.optional() }).passthrough();

const channelData = z
  .object({
    tenant: idAndName.optional(),
    channel: idAndName.optional(),
    team: idAndName.optional(),
    eventType: shortText.optional(),
  })
  .passthrough();

const entity = z
  .object({ type: shortText, text: z.string().optional(), mentioned: optionalAccount.optional() })
  .passthrough();

const attachment = z
  .object({ contentType: shortText, contentUrl: z.string().optional(), name: z.string().optional() })
  .passthrough();

const time = z.string().max(64);

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\/[^\s/]+/i.test(value), 'must be an http(s) URL');

const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: id.optional(),
    timestamp: time.optional(),
    localTimestamp: time.optional(),
    expiration: time.optional(),
    serviceUrl: httpUrl,
    channelId: z.string().min(1).max(64),
    from: account,
    recipient: account,
    conversation,
    replyToId: id.optional(),
    text: z.string().optional(),
    textFormat: shortText.optional(),
    locale: shortText.optional(),
    name: shortText.optional(),
    action: shortText.optional(),
    channelData: channelData.optional(),
    entities: z.array(entity).optional(),
    attachments: z.array(attachment).optional(),
    membersAdded: z.array(optionalAccount).optional(),
    membersRemoved: z.array(optionalAccount).optional(),
  })
  .passthrough();

/**
 * The activity, with its time fields as botbuilder's own validation leaves them (Date, with the
 * text kept as raw*). Throws WebhookParseError naming the first wrong field.
 */
export function readActivity(body: unknown): Activity {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new WebhookParseError('the body is not a Bot Framework activity (a JSON object)');
  const activity = checkPayload(activitySchema, body, 'an activity') as Record<string, unknown>;
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value = activity[field];
    if (typeof value !== 'string') continue;
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new WebhookParseError(`"${field}" is not a time in an activity`);
    activity[`raw${field[0]?.toUpperCase()}${field.slice(1)}`] = value;
    activity[field] = at;
  }
  return activity as unknown as Activity;
}
