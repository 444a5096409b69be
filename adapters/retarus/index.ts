/**
 * Retarus SMS for Applications (REST v1) behind the Provider interface.
 */
import { ProviderNotFoundError } from '../errors.ts';
import type { DeliveryReceipt, Provider, StatusResult } from '../types.ts';
import {
  describeRetarusVersion,
  getRetarusJob,
  getRetarusRecipients,
  getRetarusVersion,
  isRetarusJobId,
  listRetarusJobs,
} from './api.ts';
import type { RetarusConnection } from './client.ts';
import { RETARUS_MAX_PARTS, RETARUS_MAX_SMS_PER_JOB } from './job.ts';
import { toProviderJob, toRecipientStatus, toRetarusReceipt } from './reports.ts';
import { findRetarusSent, type RetarusSendSettings, sendRetarusMessages } from './send.ts';
import { mapRetarusStatus, retarusVendorStatus } from './status.ts';
import { isRetarusSender } from './validate.ts';
import { parseRetarusWebhook } from './webhook.ts';

export { RetarusDuplicateJobError, sendRetarusJob } from './api.ts';
export type { RetarusConnection } from './client.ts';
export type { RetarusJob, RetarusJobOptions, RetarusMessage, RetarusRecipient } from './job.ts';
export { RETARUS_WEBHOOK_CONTENT_TYPES } from './webhook.ts';

export interface RetarusProviderOptions extends RetarusConnection {
  /** Sender id for requests that name none. */
  sender?: string;
  /** Ask for handset delivery notifications (final success SUC_FIN rather than SUC_ACC); default true. */
  statusRequested?: boolean;
}

/** Sends go to the HA host, which serves nothing else; lookups ask de2 (primary), then de1 (§2.1). */
export const retarusDefaultUrls = {
  send: 'https://sms4a.eu.retarus.com/rest/v1',
  status: ['https://sms4a.de2.retarus.com/rest/v1', 'https://sms4a.de1.retarus.com/rest/v1'],
} as const;

export function createRetarusProvider(options: RetarusProviderOptions): Provider {
  check(options);
  const settings: RetarusSendSettings = {
    ...options,
    statusUrls: [...options.statusUrls],
    statusRequested: options.statusRequested ?? true,
  };
  const now = () => new Date();
  return {
    id: 'retarus',
    idempotentSends: true,
    maxBatch: RETARUS_MAX_SMS_PER_JOB,
    ...(options.sender ? { defaultSender: options.sender } : {}),
    sendOptions: ['flash', 'validityMinutes', 'billcode', 'blackoutPeriods', 'qos', 'maxParts'],
    send: (requests) => sendRetarusMessages(settings, requests),
    getStatus: async (jobId) => {
      // Any other id is simply not one of Retarus's: "not found", not "could not ask".
      if (!isRetarusJobId(jobId))
        throw new ProviderNotFoundError(`"${jobId}" is not a Retarus job id`, 'retarus');
      return getStatus(settings, jobId);
    },
    findSent: (request, since) => findRetarusSent(settings, request, since),
    parseWebhook: (request) => parseRetarusWebhook(request),
    textLimits: {
      // maxParts is at most 20 and "longer messages are truncated": 20 × 153 GSM-7, 20 × 67 UCS-2.
      sms: { maxSegments: RETARUS_MAX_PARTS, source: 'Retarus sends at most 20 SMS parts a message' },
    },
    capabilities: {
      jobs: {
        getJob: async (jobId) => toProviderJob(await getRetarusJob(settings, jobId)),
        getJobRecipients: async (jobId) =>
          (await getRetarusRecipients(settings, jobId)).map((r) =>
            toRecipientStatus(r, settings.statusRequested),
          ),
        listJobs: async (query) => (await listRetarusJobs(settings, query)).map((job) => job.jobId),
      },
      version: {
        getVersion: async () => {
          const version = await getRetarusVersion(settings);
          return { version: describeRetarusVersion(version), raw: version };
        },
      },
      reconcile: { pollStatus: (jobIds) => pollStatus(settings, jobIds, now) },
    },
  };
}

function check(options: RetarusProviderOptions): void {
  if (!options.username || !options.password) throw new TypeError('Retarus needs both username and password');
  if (!URL.canParse(options.sendUrl)) throw new TypeError(`Retarus sendUrl is not a URL: ${options.sendUrl}`);
  if (options.statusUrls.length === 0) throw new TypeError('Retarus needs at least one status URL');
  for (const url of options.statusUrls) {
    if (!URL.canParse(url)) throw new TypeError(`Retarus status URL is not a URL: ${url}`);
  }
  if (options.sender !== undefined && !isRetarusSender(options.sender)) {
    throw new TypeError(`Retarus sender must be up to 20 digits or 11 characters, got "${options.sender}"`);
  }
}

/**
 * A job id stands for all its recipients, which may be several of our messages; this is the first
 * recipient's status. Receipts (push and pollStatus) carry each recipient's own, with our id.
 */
async function getStatus(settings: RetarusSendSettings, jobId: string): Promise<StatusResult> {
  const [first] = await getRetarusRecipients(settings, jobId);
  if (!first) return { providerMessageId: jobId, status: 'queued', vendorStatus: 'OPEN', raw: [] };
  const mapped = mapRetarusStatus(first.processStatus, first.status, settings.statusRequested);
  return {
    providerMessageId: jobId,
    status: mapped.status,
    vendorStatus: retarusVendorStatus(first.processStatus, first.status),
    ...(mapped.reason ? { reason: mapped.reason } : {}),
    raw: first,
  };
}

/** Receipts for every recipient of each job, final or not; a job no data centre knows is skipped. */
async function pollStatus(
  settings: RetarusSendSettings,
  jobIds: string[],
  now: () => Date,
): Promise<DeliveryReceipt[]> {
  const receipts: DeliveryReceipt[] = [];
  for (const jobId of new Set(jobIds)) {
    let reports: Awaited<ReturnType<typeof getRetarusRecipients>>;
    try {
      reports = await getRetarusRecipients(settings, jobId);
    } catch (err) {
      if (err instanceof ProviderNotFoundError) continue;
      throw err;
    }
    for (const report of reports) {
      receipts.push(toRetarusReceipt(report, { jobId, statusRequested: settings.statusRequested, now }));
    }
  }
  return receipts;
}
