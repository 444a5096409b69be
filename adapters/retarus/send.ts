/**
 * The Provider's send and findSent for Retarus: our outbound requests become as few jobs as
 * possible (one per sender and encoding, one message per distinct text), and every recipient
 * carries our message id in customerRef so reports, lookups and retries find their message.
 */
import { ProviderNotSupportedError, ProviderUnavailableError } from '../errors.ts';
import type { OutboundRequest, SendOptions, SendResult } from '../types.ts';
import { postRetarusJob, RetarusDuplicateJobError } from './api.ts';
import type { RetarusConnection } from './client.ts';
import { type FoundRecipient, findRetarusRecipients } from './find.ts';
import { isGsm7 } from './gsm7.ts';
import {
  RETARUS_MAX_PARTS,
  type RetarusJob,
  type RetarusJobOptions,
  type RetarusMessage,
  splitRetarusJob,
} from './job.ts';
import { mapRetarusStatus, retarusVendorStatus } from './status.ts';
import { validateRetarusJob } from './validate.ts';

export interface RetarusSendSettings extends RetarusConnection {
  /** Sender for requests that name none; Retarus uses the login's default when both are absent. */
  sender?: string;
  statusRequested: boolean;
}

/** duplicateDetection remembers a body for 10 minutes; the window adds slack for clock skew. */
const DUPLICATE_WINDOW_MS = 15 * 60_000;
/** Slack around findSent's window for clock skew between us and Retarus. */
const CLOCK_SLACK_MS = 2 * 60_000;
/** How soon to ask again when Retarus says "duplicate" but does not list the job yet. */
const DUPLICATE_RETRY_MS = 30_000;

/**
 * One job per sender and encoding. The encoding follows the text: GSM-7 texts go STANDARD, any
 * other as UTF-16, because STANDARD with REPLACE or TRANSLITERATE would change what the agent wrote.
 * TO_UTF16 covers a character that Retarus's GSM table and ours disagree on.
 */
export function toRetarusJobs(settings: RetarusSendSettings, requests: OutboundRequest[]): RetarusJob[] {
  const jobs = new Map<string, { job: RetarusJob; byText: Map<string, RetarusMessage> }>();
  for (const request of requests) {
    if (request.channel !== 'sms' || (request.media?.length ?? 0) > 0) {
      throw new ProviderNotSupportedError(
        `Retarus sends SMS text only, not ${describeChannel(request)}`,
        'retarus',
      );
    }
    const src = request.from ?? settings.sender;
    const encoding = isGsm7(request.text) ? 'STANDARD' : 'UTF-16';
    const extra = jobOptions(request.options);
    // Requests with other options go in other jobs: options belong to a whole job.
    const key = `${src ?? ''}\n${encoding}\n${JSON.stringify(extra)}`;
    let entry = jobs.get(key);
    if (!entry) {
      const options = {
        ...(src !== undefined ? { src } : {}),
        encoding,
        statusRequested: settings.statusRequested,
        invalidCharacters: 'TO_UTF16',
        // Said outright, so no smaller account default cuts a text the bot checked against 20.
        maxParts: RETARUS_MAX_PARTS,
        ...extra,
        duplicateDetection: true,
      } as const;
      entry = { job: { options, messages: [] }, byText: new Map() };
      jobs.set(key, entry);
    }
    let message = entry.byText.get(request.text);
    if (!message) {
      message = { text: request.text, recipients: [] };
      entry.byText.set(request.text, message);
      entry.job.messages.push(message);
    }
    message.recipients.push({ dst: request.to, customerRef: request.correlationId });
  }
  return [...jobs.values()].map((entry) => entry.job);
}

/**
 * Sends; resolves with one result per request, in order. Everything is validated before the first
 * job goes out. A 409 means an identical earlier attempt was accepted: its job is looked up
 * instead. When a later job fails after earlier ones went out, the error is retryable and has no
 * status, so the retry asks findSent about each message before sending it again.
 */
export async function sendRetarusMessages(
  settings: RetarusSendSettings,
  requests: OutboundRequest[],
  now: () => Date = () => new Date(),
): Promise<SendResult[]> {
  const jobs = toRetarusJobs(settings, requests);
  for (const job of jobs) validateRetarusJob(job);
  const parts = jobs.flatMap((job) => splitRetarusJob(job));
  const results = new Map<string, SendResult>();
  const taken = new Set<string>();
  for (const part of parts) {
    let partResults: SendResult[];
    try {
      const jobId = await postRetarusJob(settings, part);
      partResults = refsOf(part).map((ref) => ({
        correlationId: ref,
        providerMessageId: jobId,
        status: 'queued',
      }));
    } catch (err) {
      if (err instanceof RetarusDuplicateJobError)
        partResults = await resolveDuplicate(settings, part, now());
      else if (taken.size === 0) throw err;
      else throw partlySent(taken, parts.length, err);
    }
    for (const result of partResults) {
      results.set(result.correlationId, result);
      taken.add(result.providerMessageId);
    }
  }
  return requests.map((request) => results.get(request.correlationId)!);
}

function partlySent(taken: Set<string>, parts: number, err: unknown): ProviderUnavailableError {
  const jobs = [...taken].join(', ');
  return new ProviderUnavailableError(
    `Retarus took ${taken.size} of ${parts} jobs of this send (${jobs}), then failed: ${(err as Error).message}`,
    'retarus',
  );
}

async function resolveDuplicate(
  settings: RetarusSendSettings,
  part: RetarusJob,
  now: Date,
): Promise<SendResult[]> {
  const refs = refsOf(part);
  const from = new Date(now.getTime() - DUPLICATE_WINDOW_MS);
  const found = await findRetarusRecipients(settings, refs, from, new Date(now.getTime() + CLOCK_SLACK_MS));
  const missing = refs.filter((ref) => !found.has(ref));
  if (missing.length > 0) {
    throw new ProviderUnavailableError(
      `Retarus says it already accepted this job (409, duplicateDetection) but lists no job for ${missing.join(', ')} yet`,
      'retarus',
      undefined,
      DUPLICATE_RETRY_MS,
    );
  }
  return refs.map((ref) => toSendResult(settings, ref, found.get(ref)!));
}

/** Provider.findSent: was this request sent since `since` (for a send cut off by a crash)? */
export async function findRetarusSent(
  settings: RetarusSendSettings,
  request: OutboundRequest,
  since: Date,
  now: Date = new Date(),
): Promise<SendResult | undefined> {
  const from = new Date(since.getTime() - CLOCK_SLACK_MS);
  const to = new Date(Math.max(now.getTime(), since.getTime()) + CLOCK_SLACK_MS);
  const found = await findRetarusRecipients(settings, [request.correlationId], from, to);
  const hit = found.get(request.correlationId);
  return hit ? toSendResult(settings, request.correlationId, hit) : undefined;
}

function toSendResult(settings: RetarusSendSettings, correlationId: string, hit: FoundRecipient): SendResult {
  const { processStatus, status } = hit.report;
  return {
    correlationId,
    providerMessageId: hit.jobId,
    status: mapRetarusStatus(processStatus, status, settings.statusRequested).status,
    vendorStatus: retarusVendorStatus(processStatus, status),
  };
}

/** The agent's job options (`text --flash …`) in Retarus's names. */
function jobOptions(options: SendOptions | undefined): Partial<RetarusJobOptions> {
  if (!options) return {};
  return {
    ...(options.flash ? { flash: true } : {}),
    ...(options.validityMinutes !== undefined ? { validityMin: options.validityMinutes } : {}),
    ...(options.billcode !== undefined ? { billcode: options.billcode } : {}),
    ...(options.qos !== undefined ? { qos: options.qos } : {}),
    ...(options.maxParts !== undefined ? { maxParts: options.maxParts } : {}),
    ...(options.blackoutPeriods?.length ? { blackoutPeriods: [...options.blackoutPeriods] } : {}),
  };
}

function refsOf(job: RetarusJob): string[] {
  return job.messages.flatMap((message) =>
    message.recipients.map((recipient) => recipient.customerRef ?? ''),
  );
}

function describeChannel(request: OutboundRequest): string {
  return request.channel === 'sms' ? 'media' : request.channel;
}
