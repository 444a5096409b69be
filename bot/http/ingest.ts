/**
 * The part every inbound route shares once a request is authenticated and read: parse it with the
 * provider's adapter, mark keyword opt-outs, store the events once. A parse error is the sender's
 * (400, saying what); a store failure is ours (503: nothing was acknowledged, the sender retries).
 */
import type { Logger } from 'pino';
import { WebhookParseError, WebhookVerificationError } from '../../adapters/errors.ts';
import type { Provider, WebhookEvent, WebhookRequest } from '../../adapters/types.ts';
import { markOptOuts } from '../opt-out.ts';
import type { IngestOutcome, Store } from '../store/types.ts';

export type Ingested =
  | { ok: true; outcomes: IngestOutcome[] }
  | { ok: false; status: 400 | 401 | 503; error: string };

export async function parseAndStore(
  provider: Provider,
  request: WebhookRequest,
  store: Store,
  log: Logger,
  mediaMaxBytes: number = DEFAULT_MEDIA_MAX_BYTES,
): Promise<Ingested> {
  let events: ReturnType<Provider['parseWebhook']>;
  try {
    // Keyword opt-outs (STOP, …) are marked here, the same for every provider.
    events = limitMedia(markOptOuts(provider.parseWebhook(request)), mediaMaxBytes);
  } catch (err) {
    if (err instanceof WebhookParseError) return { ok: false, status: 400, error: err.message };
    if (err instanceof WebhookVerificationError) return { ok: false, status: 401, error: err.message };
    throw err;
  }
  try {
    return { ok: true, outcomes: await store.ingest(events) };
  } catch (err) {
    log.error({ err, provider: provider.id }, 'could not store webhook events');
    return { ok: false, status: 503, error: 'could not store the event right now; retry later' };
  }
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
