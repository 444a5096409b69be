/**
 * Calls to the Sinch Engage / MessageMedia REST API (providers README §1.3).
 * Same paths on every host, so the base URL is the only per-region difference.
 */
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { type Answerer, readAnswer } from '../answer.ts';
import { ProviderError, ProviderNotSupportedError } from '../errors.ts';
import { basicAuth, type HttpMethod, joinUrl, requestJson } from '../http.ts';
import type { OutboundRequest, SendResult, StatusResult } from '../types.ts';
import { mapSinchStatus } from './status.ts';

const SINCH: Answerer = { id: 'sinch', name: 'Sinch' };

export interface SinchClientConfig {
  apiKey: string;
  apiSecret: string;
  /** e.g. https://eu.app.api.sinch.com, without a trailing path. */
  baseUrl: string;
  /** Sender for requests that name none; Sinch uses the account default when both are absent. */
  sourceNumber?: string;
  /** Where Sinch pushes delivery reports and replies for each message we send. */
  callbackUrl?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

/** "Up to 100 per request" (POST /v1/messages). */
export const SINCH_MAX_BATCH = 100;

/** Metadata key carrying our message id; Sinch echoes metadata on every report and reply. */
export const CORRELATION_KEY = 'tb_message_id';

export interface SinchOutboundMessage {
  content: string;
  destination_number: string;
  source_number?: string;
  source_number_type?: 'ALPHANUMERIC';
  delivery_report: true;
  callback_url?: string;
  format: 'SMS' | 'MMS';
  media?: string[];
  metadata: Record<string, string>;
}

export function toSinchMessage(config: SinchClientConfig, req: OutboundRequest): SinchOutboundMessage {
  if (req.channel !== 'sms' && req.channel !== 'mms') {
    // RCS/WhatsApp sends are not in the public API (README §1.0), only in reports.
    throw new ProviderNotSupportedError(
      `Sinch cannot send ${req.channel} messages through its public API`,
      'sinch',
    );
  }
  const media = req.media ?? [];
  const isMms = req.channel === 'mms' || media.length > 0;
  const source = req.from ?? config.sourceNumber;
  return {
    content: req.text,
    destination_number: req.to,
    ...(source ? { source_number: source } : {}),
    // Sinch infers the type from the number and "may be inaccurate" for alpha tags, so say it.
    ...(source && /[a-z]/i.test(source) ? { source_number_type: 'ALPHANUMERIC' as const } : {}),
    delivery_report: true,
    ...(config.callbackUrl ? { callback_url: config.callbackUrl } : {}),
    format: isMms ? 'MMS' : 'SMS',
    ...(isMms && media.length > 0 ? { media } : {}),
    // The agent's --meta pairs, and ours last so it cannot be overwritten.
    metadata: { ...req.options?.metadata, [CORRELATION_KEY]: req.correlationId },
  };
}

const sentMessage = z
  .object({
    message_id: z.string().min(1),
    status: z.string().nullish(),
    metadata: z.record(z.unknown()).nullish(),
  })
  .passthrough();
const sendResponse = z.object({ messages: z.array(sentMessage) });

/**
 * Sends in chunks of 100, one chunk after the other. A chunk is all-or-nothing at Sinch; if a
 * later chunk fails, the earlier ones were sent and findSent recovers them on the retry.
 */
export async function sendSinchMessages(
  config: SinchClientConfig,
  requests: OutboundRequest[],
): Promise<SendResult[]> {
  const messages = requests.map((req) => toSinchMessage(config, req));
  const results: SendResult[] = [];
  for (let start = 0; start < requests.length; start += SINCH_MAX_BATCH) {
    const chunk = requests.slice(start, start + SINCH_MAX_BATCH);
    const body = { messages: messages.slice(start, start + SINCH_MAX_BATCH) };
    const res = await call(config, 'POST', '/v1/messages', body);
    results.push(...correlate(chunk, res));
  }
  return results;
}

/** Sinch answers in request order; the echoed metadata double-checks the index. */
function correlate(chunk: OutboundRequest[], body: unknown): SendResult[] {
  const echoed = readAnswer(sendResponse, body, SINCH, 'POST /v1/messages').messages;
  const byCorrelation = new Map(echoed.map((msg) => [msg.metadata?.[CORRELATION_KEY], msg]));
  return chunk.map((req, index) => {
    const indexed = echoed[index];
    const echoesUs = indexed?.metadata?.[CORRELATION_KEY] === req.correlationId;
    const match = echoesUs ? indexed : (byCorrelation.get(req.correlationId) ?? indexed);
    if (!match) {
      throw new ProviderError(
        `Sinch accepted ${chunk.length} messages but answered with ${echoed.length}; message ${index} has no id`,
        'sinch',
        202,
      );
    }
    const vendorStatus = match.status ?? 'queued';
    return {
      correlationId: req.correlationId,
      providerMessageId: match.message_id,
      status: mapSinchStatus(vendorStatus).status,
      vendorStatus,
    };
  });
}

const statusResponse = z
  .object({ message_id: z.string().nullish(), status: z.string().nullish() })
  .passthrough();

/** GET /v1/messages/{id}; Sinch keeps messages for 45 days, after that this is a 404. */
export async function getSinchMessageStatus(
  config: SinchClientConfig,
  providerMessageId: string,
): Promise<StatusResult> {
  const body = await call(config, 'GET', `/v1/messages/${encodeURIComponent(providerMessageId)}`);
  const answer = readAnswer(statusResponse, body, SINCH, 'GET /v1/messages/{id}');
  const vendorStatus = answer.status ?? 'undefined';
  const mapped = mapSinchStatus(vendorStatus);
  return {
    providerMessageId: answer.message_id ?? providerMessageId,
    status: mapped.status,
    vendorStatus,
    ...(mapped.reason ? { reason: mapped.reason } : {}),
    raw: body,
  };
}

const detailRecord = z
  .object({
    message_id: z.string().min(1),
    status: z.string().nullish(),
    status_code: z.union([z.number(), z.string()]).nullish(),
    direction: z.string().nullish(),
    metadata: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
  })
  .passthrough();
const detailResponse = z.object({ messages: z.array(detailRecord).nullish() }).passthrough();

/** Slack for clock skew between us and Sinch, and for the report window's inclusive edges. */
const WINDOW_SLACK_MS = 5 * 60_000;

/**
 * Asks the detail report whether a message with our correlation id went out since `since`
 * (there is no idempotency key on send, README §1.7), so a send interrupted by a crash or a
 * timeout is not sent twice. The docs promise no freshness for reports, so a miss seconds
 * after an interrupted send is weaker evidence than a miss minutes later.
 */
export async function findSinchSentMessage(
  config: SinchClientConfig,
  req: OutboundRequest,
  since: Date,
  now: Date = new Date(),
): Promise<SendResult | undefined> {
  const start = new Date(since.getTime() - WINDOW_SLACK_MS);
  const end = new Date(Math.max(now.getTime(), since.getTime()) + WINDOW_SLACK_MS);
  const body = await call(config, 'POST', '/v2-preview/reporting/messages/detail', {
    start_date: start.toISOString(),
    end_date: end.toISOString(),
    // Without it the dates are read in the account's timezone.
    timezone: 'UTC',
    direction: 'outbound',
    metadata_key: CORRELATION_KEY,
    metadata_value: req.correlationId,
    page: 0,
    page_size: 10,
  });
  const detail = readAnswer(detailResponse, body, SINCH, 'POST /v2-preview/reporting/messages/detail');
  const found = (detail.messages ?? []).find((record) => isOurs(record, req.correlationId));
  if (!found) return undefined;
  const vendorStatus = found.status ?? 'undefined';
  return {
    correlationId: req.correlationId,
    providerMessageId: found.message_id,
    status: mapSinchStatus(vendorStatus).status,
    vendorStatus,
  };
}

/** Trust the server-side filter, but when metadata is echoed make sure it is really ours. */
function isOurs(record: z.infer<typeof detailRecord>, correlationId: string): boolean {
  if (record.direction && record.direction.toLowerCase() !== 'outbound') return false;
  if (!record.metadata) return true;
  return record.metadata.some((pair) => pair.key === CORRELATION_KEY && pair.value === correlationId);
}

export async function call(
  config: SinchClientConfig,
  method: HttpMethod,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await requestJson({
    provider: 'sinch',
    method,
    url: joinUrl(config.baseUrl, path),
    headers: { authorization: basicAuth(config.apiKey, config.apiSecret) },
    body,
    timeoutMs: config.timeoutMs,
    dispatcher: config.dispatcher,
  });
  return res.body;
}

/** Basic over TLS: the documented HMAC scheme and the official SDKs disagree (README §1.2). */
