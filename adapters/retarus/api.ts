/**
 * The five operations of the Retarus REST API v1 (providers README §2.3, and the connector's
 * operations): send a job, job report, recipient statuses, list jobs, version.
 */
import { z } from 'zod';
import { type Answerer, readAnswer } from '../answer.ts';
import { ProviderNotFoundError, ProviderValidationError } from '../errors.ts';
import type { JobQuery } from '../types.ts';
import { callRetarus, lookupRetarus, type RetarusConnection } from './client.ts';
import {
  countRetarusSms,
  RETARUS_MAX_SMS_PER_JOB,
  type RetarusJob,
  splitRetarusJob,
  toWireJob,
} from './job.ts';
import { type JobReport, jobReportSchema, type RecipientReport, recipientReportSchema } from './reports.ts';
import { invalidRetarusField, validateRetarusJob } from './validate.ts';

const RETARUS: Answerer = { id: 'retarus', name: 'Retarus' };

/**
 * 409 on POST /jobs with duplicateDetection: Retarus accepted a byte-identical job within the last
 * 10 minutes. For a retried send this means the first attempt went out, so it is not a failure.
 */
export class RetarusDuplicateJobError extends ProviderValidationError {
  constructor(
    message: string,
    details?: unknown,
    /** Jobs of the same sendRetarusJob call accepted before the duplicate part. */
    readonly acceptedJobIds: readonly string[] = [],
  ) {
    super(message, 'retarus', 409, details);
  }
}

/** The documented pattern of job ids (GET /sms?jobId=). */
const JOB_ID = /^J\..{18,38}$/;

export function isRetarusJobId(jobId: string): boolean {
  return JOB_ID.test(jobId);
}

export function checkRetarusJobId(jobId: string): void {
  if (!JOB_ID.test(jobId)) {
    throw new ProviderValidationError(
      `Retarus job ids look like J.20221116-102407.583-0lajfsfmoXIZJO93PQ (J\\..{18,38}), got ${JSON.stringify(jobId)}`,
      'retarus',
    );
  }
}

const jobResponse = z.object({ jobId: z.string().min(1) }).passthrough();

/** POST {sendUrl}/jobs for one job of at most 3,000 SMS; resolves with its job id. */
export async function postRetarusJob(connection: RetarusConnection, job: RetarusJob): Promise<string> {
  const count = countRetarusSms(job);
  if (count > RETARUS_MAX_SMS_PER_JOB) {
    throw invalidRetarusField(
      'messages',
      `add up to ${count} SMS; one job takes at most ${RETARUS_MAX_SMS_PER_JOB}`,
    );
  }
  let body: unknown;
  try {
    body = await callRetarus(connection, connection.sendUrl, 'POST', '/jobs', toWireJob(job));
  } catch (err) {
    if (err instanceof ProviderValidationError && err.status === 409) {
      throw new RetarusDuplicateJobError(
        `Retarus already accepted an identical job in the last 10 minutes (duplicateDetection): ${err.message}`,
        err.details,
      );
    }
    throw err;
  }
  return readAnswer(jobResponse, body, RETARUS, 'POST /jobs').jobId;
}

/**
 * Validates, splits a job of more than 3,000 SMS into several, and sends them in order; resolves
 * with one job id per part. A duplicate part says which earlier parts went out.
 */
export async function sendRetarusJob(connection: RetarusConnection, job: RetarusJob): Promise<string[]> {
  validateRetarusJob(job);
  const jobIds: string[] = [];
  for (const part of splitRetarusJob(job)) {
    try {
      jobIds.push(await postRetarusJob(connection, part));
    } catch (err) {
      if (err instanceof RetarusDuplicateJobError && jobIds.length > 0) {
        throw new RetarusDuplicateJobError(err.message, err.details, [...jobIds]);
      }
      throw err;
    }
  }
  return jobIds;
}

export async function getRetarusJob(connection: RetarusConnection, jobId: string): Promise<JobReport> {
  checkRetarusJobId(jobId);
  const { body } = await lookupRetarus(connection, `/jobs/${encodeURIComponent(jobId)}`, `job ${jobId}`);
  return readAnswer(jobReportSchema, body, RETARUS, 'GET /jobs/{jobId}');
}

const recipientsResponse = z.array(recipientReportSchema);

/** GET /sms?jobId=: one report per recipient. `bases` puts a known data centre first. */
export async function getRetarusRecipients(
  connection: RetarusConnection,
  jobId: string,
  bases: readonly string[] = connection.statusUrls,
): Promise<RecipientReport[]> {
  checkRetarusJobId(jobId);
  const query = new URLSearchParams({ jobId });
  const { body } = await lookupRetarus(connection, `/sms?${query}`, `job ${jobId}`, bases);
  return readAnswer(recipientsResponse, body, RETARUS, 'GET /sms');
}

/** GET /jobs lists at most 30 days at once. */
export const MAX_SPAN_MS = 30 * 24 * 3_600_000;

// With jobIdsOnly=true the element shape is not documented: JobReport-like objects in the example,
// plain ids in some SDKs. Both are read.
const listResponse = z.array(
  z.union([z.string().min(1), z.object({ jobId: z.string().min(1) }).passthrough()]),
);

export interface ListedJob {
  jobId: string;
  /** The data centre that listed it, and therefore the one that answers its lookups. */
  baseUrl: string;
}

/**
 * GET /jobs?jobIdsOnly=true on every data centre, since each lists only the jobs it accepted.
 * offset and limit therefore apply per data centre.
 */
export async function listRetarusJobs(connection: RetarusConnection, query: JobQuery): Promise<ListedJob[]> {
  const params = listParams(query);
  const listed: ListedJob[] = [];
  for (const baseUrl of connection.statusUrls) {
    for (const jobId of await listAt(connection, baseUrl, params)) listed.push({ jobId, baseUrl });
  }
  return listed;
}

/** One data centre's page of job ids. */
export async function listRetarusJobsAt(
  connection: RetarusConnection,
  baseUrl: string,
  query: JobQuery,
): Promise<string[]> {
  return listAt(connection, baseUrl, listParams(query));
}

async function listAt(
  connection: RetarusConnection,
  baseUrl: string,
  params: URLSearchParams,
): Promise<string[]> {
  let body: unknown;
  try {
    body = await callRetarus(connection, baseUrl, 'GET', `/jobs?${params}`);
  } catch (err) {
    // Same reading as for lookups: this data centre has nothing for us.
    if (err instanceof ProviderNotFoundError) return [];
    throw err;
  }
  return readAnswer(listResponse, body, RETARUS, 'GET /jobs').map((item) =>
    typeof item === 'string' ? item : item.jobId,
  );
}

/** Checked before any call: Retarus refuses spans over 30 days, and limits outside 0..1000. */
function listParams(query: JobQuery): URLSearchParams {
  const { from, to, open, offset, limit } = query;
  if (!(from instanceof Date) || Number.isNaN(from.getTime()))
    throw invalidQuery('from', 'must be a valid date');
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw invalidQuery('to', 'must be a valid date');
  if (to < from) throw invalidQuery('to', `must not be before from (${from.toISOString()})`);
  if (to.getTime() - from.getTime() > MAX_SPAN_MS) {
    const days = ((to.getTime() - from.getTime()) / 86_400_000).toFixed(1);
    throw invalidQuery('to', `must be at most 30 days after from, got ${days} days`);
  }
  if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0)) {
    throw invalidQuery('offset', `must be a whole number of at least 0, got ${offset}`);
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0 && limit <= 1000)) {
    throw invalidQuery('limit', `must be a whole number 0..1000, got ${limit}`);
  }
  const params = new URLSearchParams({
    jobIdsOnly: 'true',
    fromTs: from.toISOString(),
    toTs: to.toISOString(),
  });
  if (open !== undefined) params.set('open', String(open));
  if (offset !== undefined) params.set('offset', String(offset));
  if (limit !== undefined) params.set('limit', String(limit));
  return params;
}

function invalidQuery(field: string, problem: string): ProviderValidationError {
  return new ProviderValidationError(`Retarus job list: ${field} ${problem}`, 'retarus', undefined, {
    field,
  });
}

const versionResponse = z
  .object({
    buildNumber: z.number().nullish(),
    buildTimestamp: z.string().nullish(),
    majorVersion: z.number().nullish(),
    minorVersion: z.number().nullish(),
    versionInfo: z.string().nullish(),
    message: z.string().nullish(),
  })
  .passthrough();

export type RetarusVersion = z.output<typeof versionResponse>;

/** GET /version from the first data centre that answers; the send-only host serves no reads. */
export async function getRetarusVersion(connection: RetarusConnection): Promise<RetarusVersion> {
  const { body } = await lookupRetarus(connection, '/version', 'the version lookup');
  return readAnswer(versionResponse, body, RETARUS, 'GET /version');
}

/** e.g. `2016.4 (build 1234)`. */
export function describeRetarusVersion(version: RetarusVersion): string {
  const number = `${version.majorVersion ?? '?'}.${version.minorVersion ?? '?'}`;
  return version.buildNumber != null ? `${number} (build ${version.buildNumber})` : number;
}
