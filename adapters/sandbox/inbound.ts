/** The sandbox's inbound format: what `npm run simulate` and the /sandbox/inbound route post. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { WebhookParseError } from '../errors.ts';
import type { InboundMessage, WebhookRequest } from '../types.ts';

export const SANDBOX_BUSINESS_NUMBER = '+15555550000';

const body = z.object({
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +15551234567'),
  text: z.string().min(1, 'must not be empty').max(1600, 'must be at most 1,600 characters'),
  to: z.string().min(1).max(20).optional(),
  id: z.string().min(1).max(100).optional(),
  channel: z.enum(['sms', 'whatsapp']).optional(),
});

export type SandboxInbound = z.infer<typeof body>;

export function parseSandboxInbound(req: WebhookRequest, now = new Date()): InboundMessage[] {
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new WebhookParseError('the body is not valid JSON');
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebhookParseError(`"${issue?.path.join('.') || 'body'}" ${issue?.message ?? 'is invalid'}`);
  }
  const m = parsed.data;
  return [
    {
      kind: 'inbound',
      provider: 'sandbox',
      providerMessageId: m.id ?? `sbx-in-${randomUUID()}`,
      from: m.from,
      to: m.to ?? SANDBOX_BUSINESS_NUMBER,
      channel: m.channel ?? 'sms',
      text: m.text,
      media: [],
      receivedAt: now.toISOString(),
      raw: json,
    },
  ];
}
