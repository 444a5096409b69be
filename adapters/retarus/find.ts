/**
 * Finds jobs we sent by the customerRef we gave each recipient (our message id). Retarus has no
 * lookup by customerRef, so this lists the job ids of a time window on every data centre and
 * reads their recipients, newest job first.
 */
import { ProviderError, ProviderNotFoundError } from '../errors.ts';
import { hostOf } from '../http.ts';
import { getRetarusRecipients, listRetarusJobsAt, MAX_SPAN_MS } from './api.ts';
import type { RetarusConnection } from './client.ts';
import type { RecipientReport } from './reports.ts';

export interface FoundRecipient {
  jobId: string;
  report: RecipientReport;
}

/** Reading recipients costs one call per job; past this many the answer would come too late. */
export const MAX_JOBS_SEARCHED = 100;
const PAGE = 1000;
/** Guards against a data centre that ignores offset and repeats its first page forever. */
const MAX_PAGES = 10;

/**
 * Resolves with the recipients whose customerRef is one of `customerRefs`, keyed by it; refs not
 * found are absent. Throws rather than answer "not found" when the window holds more jobs than it
 * searches, because a wrong "not found" makes the caller send a second time.
 */
export async function findRetarusRecipients(
  connection: RetarusConnection,
  customerRefs: Iterable<string>,
  from: Date,
  to: Date,
): Promise<Map<string, FoundRecipient>> {
  const wanted = new Set(customerRefs);
  const found = new Map<string, FoundRecipient>();
  const window = { from: new Date(Math.max(from.getTime(), to.getTime() - MAX_SPAN_MS)), to };
  const jobs = await listWindow(connection, window);
  // Job ids start with their creation time (J.YYYYMMDD-HHMMSS.mmm-…): newest first.
  jobs.sort((a, b) => (a.jobId < b.jobId ? 1 : a.jobId > b.jobId ? -1 : 0));
  for (const [index, job] of jobs.entries()) {
    if (found.size === wanted.size) break;
    if (index === MAX_JOBS_SEARCHED) {
      throw new ProviderError(
        `Retarus lists ${jobs.length} jobs between ${window.from.toISOString()} and ${to.toISOString()}; ` +
          `the newest ${MAX_JOBS_SEARCHED} do not carry ${[...wanted].filter((ref) => !found.has(ref)).join(', ')}, ` +
          'so whether it was sent cannot be told; it is not sent again to avoid a duplicate',
        'retarus',
      );
    }
    for (const report of await recipientsOf(connection, job)) {
      const ref = report.customerRef ?? '';
      if (wanted.has(ref) && !found.has(ref)) found.set(ref, { jobId: job.jobId, report });
    }
  }
  return found;
}

interface Listed {
  jobId: string;
  baseUrl: string;
}

async function listWindow(
  connection: RetarusConnection,
  window: { from: Date; to: Date },
): Promise<Listed[]> {
  const jobs: Listed[] = [];
  for (const baseUrl of connection.statusUrls) {
    for (let n = 0; ; n += 1) {
      if (n === MAX_PAGES) {
        throw new ProviderError(
          `Retarus lists more than ${MAX_PAGES * PAGE} jobs on ${hostOf(baseUrl)}`,
          'retarus',
        );
      }
      const page = await listRetarusJobsAt(connection, baseUrl, { ...window, offset: n * PAGE, limit: PAGE });
      for (const jobId of page) jobs.push({ jobId, baseUrl });
      if (page.length < PAGE) break;
    }
  }
  return jobs;
}

/** The listing data centre is asked first; a job that vanished since the listing has no recipients. */
async function recipientsOf(connection: RetarusConnection, job: Listed): Promise<RecipientReport[]> {
  const bases = [job.baseUrl, ...connection.statusUrls.filter((base) => base !== job.baseUrl)];
  try {
    return await getRetarusRecipients(connection, job.jobId, bases);
  } catch (err) {
    if (err instanceof ProviderNotFoundError) return [];
    throw err;
  }
}
