/**
 * The part every inbound route shares once a request is authenticated and read: hold it to the
 * input limits, parse it with the provider's adapter, mark keyword opt-outs, store the events
 * once. A body over the limits or that does not parse is the sender's (400, saying what, and
 * nothing was parsed, stored or logged of it); a store failure is ours (503: nothing was
 * acknowledged, the sender retries).
 */
import type { Logger } from 'pino';
import { WebhookParseError, WebhookVerificationError } from '../../adapters/errors.ts';
import type { Provider, WebhookEvent, WebhookRequest } from '../../adapters/types.ts';
import { markOptOuts } from '../opt-out.ts';
import { type IngestRow, toIngestRows } from '../store/ingest-rows.ts';
import type { IngestOutcome, Store } from '../store/types.ts';
import { bodyLimitProblem, queryLimitProblem } from './body-limits.ts';
import { eventProblem } from './event-fields.ts';

export type Ingested =
  | { ok: true; outcomes: IngestOutcome[] }
  | { ok: false; status: 400 | 401 | 503; error: string };

export type Parsed = { ok: true; rows: IngestRow[] } | { ok: false; status: 400 | 401; error: string };

/**
 * The request as the rows the store writes. Synchronous: the request, its body and the parsed
 * provider JSON are garbage once this returns, so nothing of them waits for the disk with the
 * rows (a suspended async function keeps every local alive until it resumes).
 */
export function parseRows(
  provider: Provider,
  request: WebhookRequest,
  mediaMaxBytes: number = DEFAULT_MEDIA_MAX_BYTES,
): Parsed {
  const tooMuch = queryLimitProblem(request.query) ?? bodyLimitProblem(request.rawBody, request.contentType);
  if (tooMuch) return { ok: false, status: 400, error: tooMuch };
  let events: WebhookEvent[];
  try {
    // Keyword opt-outs (STOP, …) are marked here, the same for every provider.
    events = limitMedia(markOptOuts(provider.parseWebhook(request)), mediaMaxBytes);
  } catch (err) {
    if (err instanceof WebhookParseError) return { ok: false, status: 400, error: err.message };
    if (err instanceof WebhookVerificationError) return { ok: false, status: 401, error: err.message };
    // An adapter that trips over input it did not foresee: the route's guard logs it and answers
    // 400 (route-guard.ts), never 500.
    throw err;
  }
  const badField = eventProblem(events, provider);
  if (badField) return { ok: false, status: 400, error: badField };
  return { ok: true, rows: toIngestRows(events) };
}

export async function storeRows(
  store: Store,
  rows: IngestRow[],
  log: Logger,
  provider: string,
): Promise<Ingested> {
  try {
    return { ok: true, outcomes: await store.ingestRows(rows) };
  } catch (err) {
    log.error({ err, provider }, 'could not store webhook events');
    return { ok: false, status: 503, error: 'could not store the event right now; retry later' };
  }
}

export async function parseAndStore(
  provider: Provider,
  request: WebhookRequest,
  store: Store,
  log: Logger,
  mediaMaxBytes: number = DEFAULT_MEDIA_MAX_BYTES,
): Promise<Ingested> {
  const parsed = parseRows(provider, request, mediaMaxBytes);
  return parsed.ok ? storeRows(store, parsed.rows, log, provider.id) : parsed;
}

/** MEDIA_MAX_BYTES's default. */
export const DEFAULT_MEDIA_MAX_BYTES = 5 * 1024 * 1024;

/** Inline media over the limit is described, not kept: the card says it was too large. */
function limitMedia(events: WebhookEvent[], maxBytes: number): WebhookEvent[] {
  return events.map((e) => {
    if (e.kind !== 'inbound' || !e.media.some((m) => m.data !== undefined)) return e;
    const media = e.media.map((m) => {
      if (m.data === undefined || Buffer.byteLength(m.data, 'base64') <= maxBytes) return m;
      const { data: _data, ...rest } = m;
      return { ...rest, tooLarge: true };
    });
    return { ...e, media };
  });
}

/** The media type of a request, lower case and without parameters ("" when there is none). */
export function mediaTypeOf(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers['content-type'];
  return (typeof raw === 'string' ? raw : '').split(';')[0]?.trim().toLowerCase() ?? '';
}
