/**
 * Retarus's JobReport and RecipientReport (GET /jobs/{id}, GET /sms?jobId=, and the status push,
 * providers README §2.3–2.4) and their normalized forms. The push and a poll build receipts here,
 * so both dedupe against each other.
 */
import { z } from 'zod';
import { isoTime } from '../time.ts';
import type { DeliveryReceipt, ProviderJob, RecipientStatus } from '../types.ts';
import { mapRetarusStatus, retarusVendorStatus } from './status.ts';

const text = z.string().nullish();

export const recipientReportSchema = z
  .object({
    smsId: z.string().min(1),
    dst: text,
    processStatus: z.string().min(1),
    // Empty while OPEN or CANCELED before the first attempt.
    status: text,
    customerRef: text,
    reason: text,
    sentTs: text,
    finishedTs: text,
  })
  .passthrough();

export const jobReportSchema = z
  .object({
    jobId: z.string().min(1),
    src: text,
    // Echoed in lower case ("utf-16") although the request enum is upper case.
    encoding: text,
    billcode: text,
    statusRequested: z.boolean().nullish(),
    flash: z.boolean().nullish(),
    validityMin: z.number().nullish(),
    customerRef: text,
    qos: text,
    receiptTs: text,
    // Absent until the job is final.
    finishedTs: text,
    recipientIds: z.array(z.string()).nullish(),
  })
  .passthrough();

export type RecipientReport = z.output<typeof recipientReportSchema>;
export type JobReport = z.output<typeof jobReportSchema>;

export interface ReceiptContext {
  jobId: string;
  statusRequested?: boolean;
  /** When Retarus received the job: the time of a recipient report that has no time of its own. */
  receiptTs?: string | null;
  now: () => Date;
}

/**
 * One receipt per recipient. The receipt id carries the status pair, so a repeated push dedupes
 * while progress (RUNNING → DONE) is a new receipt.
 */
export function toRetarusReceipt(report: RecipientReport, context: ReceiptContext): DeliveryReceipt {
  const mapped = mapRetarusStatus(report.processStatus, report.status, context.statusRequested);
  const correlationId = correlationOf(report);
  const reason = failureReason(mapped.reason, report.reason);
  return {
    kind: 'receipt',
    provider: 'retarus',
    providerMessageId: context.jobId,
    recipient: report.smsId,
    receiptId: `${report.smsId}:${pairKey(report)}`,
    status: mapped.status,
    vendorStatus: retarusVendorStatus(report.processStatus, report.status),
    ...(reason ? { reason } : {}),
    at: isoTime(report.finishedTs ?? report.sentTs ?? context.receiptTs, context.now),
    ...(correlationId ? { correlationId } : {}),
    raw: report,
  };
}

export function toRecipientStatus(report: RecipientReport, statusRequested?: boolean): RecipientStatus {
  const mapped = mapRetarusStatus(report.processStatus, report.status, statusRequested);
  const reason = failureReason(mapped.reason, report.reason);
  return {
    recipientId: report.smsId,
    to: report.dst ?? '',
    status: mapped.status,
    vendorStatus: retarusVendorStatus(report.processStatus, report.status),
    ...(reason ? { reason } : {}),
    ...(report.customerRef ? { customerRef: report.customerRef } : {}),
    ...(report.sentTs ? { sentAt: report.sentTs } : {}),
    ...(report.finishedTs ? { finishedAt: report.finishedTs } : {}),
    raw: report,
  };
}

export function toProviderJob(report: JobReport): ProviderJob {
  return {
    jobId: report.jobId,
    ...(report.src ? { sender: report.src } : {}),
    ...(report.encoding ? { encoding: report.encoding } : {}),
    ...(report.customerRef ? { customerRef: report.customerRef } : {}),
    ...(report.receiptTs ? { receivedAt: report.receiptTs } : {}),
    ...(report.finishedTs ? { finishedAt: report.finishedTs } : {}),
    recipientIds: report.recipientIds ?? [],
    raw: report,
  };
}

/**
 * We put our message id in the recipient's customerRef. Retarus fills in the recipient number
 * when none was sent, so a number (or the dst itself) is not one of our ids.
 */
export function correlationOf(report: Pick<RecipientReport, 'customerRef' | 'dst'>): string | undefined {
  const ref = report.customerRef?.trim();
  if (!ref || ref === report.dst || ref.startsWith('+') || /^\d+$/.test(ref)) return undefined;
  return ref;
}

function pairKey(report: RecipientReport): string {
  return `${report.processStatus.trim().toUpperCase()}:${(report.status ?? '').trim().toUpperCase()}`;
}

/** The carrier's own words (e.g. `message_state:UNDELIVERABLE …`) help with failures only. */
function failureReason(mapped: string | undefined, carrier: string | null | undefined): string | undefined {
  if (!mapped) return undefined;
  return carrier ? `${mapped} (${carrier})` : mapped;
}
