/**
 * Parses what Retarus pushes to us (providers README §2.4), both configured in the EAS portal:
 * the status push (the job report with a `recipients[]` array, JSON) and the inbound SMS push
 * (XML by default, or JSON). Retarus names neither kind in the request, so the fields decide:
 * `recipients[]` is a status push, `smsId` + `src` + `dst` an inbound SMS. Pure: the secret (Basic
 * auth password) is checked before, storage happens after.
 */
import { z } from 'zod';
import { WebhookParseError } from '../errors.ts';
import type { WebhookEvent, WebhookRequest } from '../types.ts';
import { checkPayload, jsonBody } from '../webhook-parse.ts';
import { isRetarusInbound, readRetarusInboundXml, toRetarusInbound } from './inbound.ts';
import { jobReportSchema, recipientReportSchema, toRetarusReceipt } from './reports.ts';

/** The media types Retarus posts: JSON for status pushes, XML (the default) or JSON for inbound SMS. */
export const RETARUS_WEBHOOK_CONTENT_TYPES = ['application/json', 'application/xml', 'text/xml'] as const;

const statusPushSchema = jobReportSchema.extend({ recipients: z.array(recipientReportSchema) });

/** Throws WebhookParseError naming the field when the body is neither kind of push. */
export function parseRetarusWebhook(req: WebhookRequest, now: () => Date = () => new Date()): WebhookEvent[] {
  const text = req.rawBody.toString('utf8');
  if (text.trim() === '')
    throw new WebhookParseError('the body is empty; a Retarus push carries JSON or XML');
  if (isXml(req.contentType, text)) {
    const fields = readRetarusInboundXml(text);
    return [toRetarusInbound(fields, fields, now)];
  }
  const body = jsonBody(text, 'a Retarus push carries JSON or XML');
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new WebhookParseError('a Retarus push must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  if ('recipients' in record) return parseStatusPush(record, now);
  if (isRetarusInbound(record)) return [toRetarusInbound(record, record, now)];
  throw new WebhookParseError(
    'the body is neither a Retarus status push ("recipients" is required) nor an inbound SMS ' +
      '("smsId", "src" and "dst" are required)',
  );
}

function parseStatusPush(body: Record<string, unknown>, now: () => Date): WebhookEvent[] {
  const report = checkPayload(statusPushSchema, body, 'a status push', formatPath);
  return report.recipients.map((recipient) =>
    toRetarusReceipt(recipient, {
      jobId: report.jobId,
      statusRequested: report.statusRequested ?? undefined,
      receiptTs: report.receiptTs,
      now,
    }),
  );
}

/** By the declared type; without a usable one, by the first character. */
function isXml(contentType: string, text: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.endsWith('/xml') || type.endsWith('+xml')) return true;
  if (type.endsWith('/json') || type.endsWith('+json')) return false;
  return text.trimStart().startsWith('<');
}

/** `recipients[1].processStatus`, the way the field reads in the payload. */
function formatPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
