/**
 * A local fake of Retarus SMS for Applications REST v1, as providers README §2.6 describes it: three
 * hosts as path prefixes on one server (`/eu/rest/v1` sends only, `/de1/rest/v1`, `/de2/rest/v1`),
 * each job known only to the data centre it was assigned to, recipients progressing
 * OPEN → RUNNING → DONE, and the status and inbound pushes Retarus sends to us.
 * Its checks are written independently of adapters/retarus, so the adapter cannot agree with itself.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { answer, answerText, type ParsedBody, parseJson, readBody } from './http.ts';

export type RetarusHost = 'eu' | 'de1' | 'de2';
export type RetarusDataCentre = 'de1' | 'de2';
export type FakeFinalStatus = 'SUC_FIN' | 'FAILED_FIN' | 'INVALID_DST' | 'TIMEOUT' | 'SEND_ERR';

export interface FakeRetarusRecipient {
  smsId: string;
  dst: string;
  /** As sent, or the recipient number (Retarus's default). */
  customerRef: string;
  text: string;
  processStatus: 'OPEN' | 'RUNNING' | 'DONE';
  status: string;
  reason?: string;
  sentTs?: string;
  finishedTs?: string;
}

export interface FakeRetarusJobRequest {
  options?: Record<string, unknown>;
  messages: Array<{
    text: string;
    recipients: Array<{ dst: string; customerRef?: string; blackoutPeriods?: unknown }>;
  }>;
}

export interface FakeRetarusJob {
  jobId: string;
  dataCentre: RetarusDataCentre;
  /** The request body as parsed JSON. */
  request: FakeRetarusJobRequest;
  receiptTs: string;
  finishedTs?: string;
  recipients: FakeRetarusRecipient[];
}

export interface RecordedRetarusRequest {
  host?: RetarusHost;
  method: string;
  /** Below /rest/v1, without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, else the raw text, or undefined when empty. */
  body: unknown;
  raw: string;
}

export interface FakeInboundSms {
  src: string;
  dst: string;
  text: string;
  smsId?: string;
  cuNo?: string;
  storeTs?: string;
  /** Root element of the XML variant; the real one is not documented. */
  root?: string;
}

export interface FakeRetarusOptions {
  username: string;
  password: string;
  /** Where jobs sent to the eu host land; random by default, like DNS balancing. */
  dataCentre?: RetarusDataCentre | 'random';
  /** GET /jobs?jobIdsOnly=true answers `{jobId}` objects (default) or plain strings. */
  listShape?: 'objects' | 'strings';
  now?: () => Date;
}

export interface FakeRetarus {
  url: string;
  /** The send-only HA host. */
  sendUrl: string;
  de1Url: string;
  de2Url: string;
  /** de2 then de1, the order of README §2.1 (primary first). */
  statusUrls: string[];
  jobs: FakeRetarusJob[];
  requests: RecordedRetarusRequest[];
  dataCentre: RetarusDataCentre | 'random';
  listShape: 'objects' | 'strings';
  /**
   * The next n requests (those `match` selects, when given) answer `status` with `body` (a string
   * goes out as text/plain) and `headers`.
   */
  failNext(
    n: number,
    status: number,
    body?: unknown,
    headers?: Record<string, string>,
    match?: RetarusHost | RequestMatch,
  ): void;
  /** The next n requests (to `host` only, when given) are read and never answered. */
  hangNext(n: number, host?: RetarusHost): void;
  /**
   * Moves every unfinished recipient of the job one step (OPEN → RUNNING → DONE/SUC_FIN, or SUC_ACC
   * without statusRequested), or straight to DONE with `final`.
   */
  advance(jobId: string, final?: { status: FakeFinalStatus; reason?: string }): void;
  /** The status push body: the job report with `recipients[]` instead of `recipientIds`. */
  reportBody(jobId: string): Record<string, unknown>;
  /** POSTs the status push to `url`; re-posts up to `retries` times on non-2xx; returns the last status. */
  push(
    jobId: string,
    url: string,
    opts?: { basicAuth?: [string, string]; retries?: number },
  ): Promise<number>;
  inboundXml(sms: FakeInboundSms): string;
  inboundJson(sms: FakeInboundSms): Record<string, unknown>;
  /** POSTs an inbound SMS push (XML by default) to `url`; returns our HTTP status. */
  pushInbound(
    url: string,
    sms: FakeInboundSms,
    opts?: { format?: 'xml' | 'json'; basicAuth?: [string, string] },
  ): Promise<number>;
  close(): Promise<void>;
}

const MAX_SMS = 3000;
const DUPLICATE_WINDOW_MS = 10 * 60_000;
const MAX_LIST_SPAN_MS = 30 * 24 * 3_600_000;
const JOB_ID = /^J\..{18,38}$/;
const REASONS: Record<string, string> = {
  SUC_FIN: 'message_state:DELIVERED [00000002] (Final) (Message is delivered to destination.)',
  FAILED_FIN: 'message_state:UNDELIVERABLE [00000005] (Final) (Message is undeliverable.)',
  INVALID_DST: 'Invalid destination address',
  TIMEOUT: 'message_state:EXPIRED [00000003] (Final) (Message validity period has expired.)',
  SEND_ERR: 'Internal error while sending',
};

/** Selects requests for failNext; `after` lets that many selected requests through first. */
export interface RequestMatch {
  host?: RetarusHost;
  method?: string;
  path?: string;
  after?: number;
}

interface Failure {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  match: RequestMatch;
}

type Answer = [status: number, body: unknown];

export async function startFakeRetarus(options: FakeRetarusOptions): Promise<FakeRetarus> {
  const now = options.now ?? (() => new Date());
  const expectedAuth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const jobs: FakeRetarusJob[] = [];
  const requests: RecordedRetarusRequest[] = [];
  const failures: Failure[] = [];
  const hangs: Array<RetarusHost | undefined> = [];
  const accepted = new Map<string, number>();
  const state = { dataCentre: options.dataCentre ?? 'random', listShape: options.listShape ?? 'objects' };

  const byId = (jobId: string) => jobs.find((job) => job.jobId === jobId);

  function postJob(host: RetarusHost, raw: string, body: unknown): Answer {
    const problem = jobProblem(body);
    if (problem) return problem;
    const job = body as FakeRetarusJobRequest;
    const options = job.options ?? {};
    const last = accepted.get(raw);
    if (
      options['duplicateDetection'] === true &&
      last !== undefined &&
      now().getTime() - last < DUPLICATE_WINDOW_MS
    ) {
      return [
        409,
        { message: 'Duplicate job: an identical job was accepted in the last 10 minutes', code: 409 },
      ];
    }
    accepted.set(raw, now().getTime());
    const dataCentre = host === 'eu' ? pickDataCentre(state.dataCentre) : host;
    const receiptTs = now().toISOString();
    const recipients = job.messages.flatMap((message) =>
      message.recipients.map((recipient) => ({
        smsId: retarusId('S', now()),
        dst: recipient.dst,
        customerRef: recipient.customerRef ?? recipient.dst,
        text: message.text,
        processStatus: 'OPEN' as const,
        status: '',
      })),
    );
    const stored: FakeRetarusJob = {
      jobId: retarusId('J', now()),
      dataCentre,
      request: job,
      receiptTs,
      recipients,
    };
    jobs.push(stored);
    return [201, { jobId: stored.jobId }];
  }

  function jobReport(job: FakeRetarusJob): Record<string, unknown> {
    const options = clampRetarusOptions(job.request.options ?? {});
    return {
      jobId: job.jobId,
      src: options['src'] ?? 'retarusREST',
      // Echoed in lower case although the request enum is upper case (README §2.3).
      encoding: String(options['encoding'] ?? 'STANDARD').toLowerCase(),
      ...(options['billcode'] !== undefined ? { billcode: options['billcode'] } : {}),
      statusRequested: options['statusRequested'] === true,
      flash: options['flash'] === true,
      validityMin: options['validityMin'] ?? 0,
      ...(options['customerRef'] !== undefined ? { customerRef: options['customerRef'] } : {}),
      qos: options['qos'] ?? 'NORMAL',
      receiptTs: job.receiptTs,
      ...(job.finishedTs ? { finishedTs: job.finishedTs } : {}),
    };
  }

  function recipientReport(recipient: FakeRetarusRecipient): Record<string, unknown> {
    const { text: _text, ...report } = recipient;
    return report;
  }

  function lookup(
    host: RetarusDataCentre,
    method: string,
    path: string,
    query: Record<string, string>,
  ): Answer {
    if (method === 'GET' && path === '/version') {
      return [
        200,
        {
          buildNumber: 4711,
          buildTimestamp: '2024-05-06T07:08:09Z',
          majorVersion: 2016,
          minorVersion: 4,
          versionInfo: `sms4a ${host}`,
        },
      ];
    }
    if (method === 'GET' && path === '/jobs') return listJobs(host, query);
    const jobMatch = /^\/jobs\/([^/]+)$/.exec(path);
    if (method === 'GET' && jobMatch) {
      const job = byId(decodeURIComponent(jobMatch[1]!));
      // A job is known only to the data centre that accepted it.
      return job?.dataCentre === host
        ? [200, { ...jobReport(job), recipientIds: job.recipients.map((r) => r.smsId) }]
        : notFound();
    }
    if (method === 'GET' && path === '/sms') {
      const jobId = query['jobId'] ?? '';
      if (!JOB_ID.test(jobId))
        return [400, { message: `jobId must match J\\..{18,38}, got "${jobId}"`, code: 400 }];
      const job = byId(jobId);
      return job?.dataCentre === host ? [200, job.recipients.map(recipientReport)] : notFound();
    }
    return notFound();
  }

  function listJobs(host: RetarusDataCentre, query: Record<string, string>): Answer {
    if (query['jobIdsOnly'] !== 'true')
      return [400, { message: "jobIdsOnly: only 'true' is supported", code: 400 }];
    const from = Date.parse(query['fromTs'] ?? '');
    const to = Date.parse(query['toTs'] ?? '');
    if (Number.isNaN(from) || Number.isNaN(to))
      return [400, { message: 'fromTs and toTs are required', code: 400 }];
    if (to - from > MAX_LIST_SPAN_MS || to < from) {
      return [400, { message: 'fromTs and toTs must be at most 30 days apart', code: 400 }];
    }
    const offset = Number(query['offset'] ?? 0);
    const limit = Number(query['limit'] ?? 100);
    if (!Number.isInteger(offset) || offset < 0) return [400, { message: 'offset is invalid', code: 400 }];
    if (!Number.isInteger(limit) || limit < 0 || limit > 1000) {
      return [400, { message: 'limit must be between 0 and 1000', code: 400 }];
    }
    const matching = jobs.filter((job) => {
      const at = Date.parse(job.receiptTs);
      if (job.dataCentre !== host || at < from || at > to) return false;
      return query['open'] !== 'true' || job.finishedTs === undefined;
    });
    const page = matching.slice(offset, offset + limit).map((job) => job.jobId);
    return [200, state.listShape === 'strings' ? page : page.map((jobId) => ({ jobId }))];
  }

  function route(host: RetarusHost, req: RecordedRetarusRequest, parsed: ParsedBody): Answer {
    if (req.method === 'POST' && req.path === '/jobs') {
      if (!parsed.ok) return [400, { message: 'Request body is not valid JSON', code: 400 }];
      return postJob(host, req.raw, parsed.value);
    }
    // The HA host is "only to send SMS".
    if (host === 'eu') return notFound();
    return lookup(host, req.method, req.path, req.query);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/(eu|de1|de2)\/rest\/v1(\/.*)?$/.exec(url.pathname);
    const host = match?.[1] as RetarusHost | undefined;
    const parsed = parseJson(raw);
    const recorded: RecordedRetarusRequest = {
      ...(host ? { host } : {}),
      method: req.method ?? 'GET',
      path: match?.[2] ?? url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parsed.ok ? parsed.value : raw || undefined,
      raw,
    };
    requests.push(recorded);
    const hang = hangs.findIndex((h) => h === undefined || h === host);
    if (hang >= 0) {
      hangs.splice(hang, 1);
      return;
    }
    const failure = takeFailure(recorded);
    if (failure) {
      if (typeof failure.body === 'string')
        return answerText(res, failure.status, failure.body, failure.headers);
      return answer(res, failure.status, failure.body, failure.headers);
    }
    if (req.headers.authorization !== expectedAuth) {
      return answer(
        res,
        401,
        { message: 'Unauthorized', code: 401 },
        { 'www-authenticate': 'Basic realm="sms4a"' },
      );
    }
    if (!host) return answer(res, ...notFound());
    answer(res, ...route(host, recorded, parsed));
  }

  function takeFailure(req: RecordedRetarusRequest): Failure | undefined {
    const index = failures.findIndex(({ match }) => {
      const selected =
        (match.host === undefined || match.host === req.host) &&
        (match.method === undefined || match.method === req.method) &&
        (match.path === undefined || match.path === req.path);
      if (!selected || !match.after) return selected;
      match.after -= 1;
      return false;
    });
    return index >= 0 ? failures.splice(index, 1)[0] : undefined;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => answer(res, 500, { message: String(err), code: 500 }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const urlOf = (host: RetarusHost) => `${base}/${host}/rest/v1`;

  function reportBody(jobId: string): Record<string, unknown> {
    const job = byId(jobId);
    if (!job) throw new Error(`fake Retarus has no job ${jobId}`);
    return { ...jobReport(job), recipients: job.recipients.map(recipientReport) };
  }

  function advance(jobId: string, final?: { status: FakeFinalStatus; reason?: string }): void {
    const job = byId(jobId);
    if (!job) throw new Error(`fake Retarus has no job ${jobId}`);
    const at = now().toISOString();
    const statusRequested = job.request.options?.['statusRequested'] === true;
    for (const recipient of job.recipients) {
      if (recipient.processStatus === 'DONE') continue;
      if (!final && recipient.processStatus === 'OPEN') {
        Object.assign(recipient, { processStatus: 'RUNNING', sentTs: at });
        continue;
      }
      const status = final?.status ?? (statusRequested ? 'SUC_FIN' : 'SUC_ACC');
      const reason = final?.reason ?? REASONS[status];
      // An invalid number is refused before anything is sent.
      if (status !== 'INVALID_DST') recipient.sentTs ??= at;
      Object.assign(recipient, {
        processStatus: 'DONE',
        status,
        finishedTs: at,
        ...(reason ? { reason } : {}),
      });
    }
    if (job.recipients.every((recipient) => recipient.processStatus === 'DONE')) job.finishedTs = at;
  }

  return {
    url: base,
    sendUrl: urlOf('eu'),
    de1Url: urlOf('de1'),
    de2Url: urlOf('de2'),
    statusUrls: [urlOf('de2'), urlOf('de1')],
    jobs,
    requests,
    get dataCentre() {
      return state.dataCentre;
    },
    set dataCentre(value) {
      state.dataCentre = value;
    },
    get listShape() {
      return state.listShape;
    },
    set listShape(value) {
      state.listShape = value;
    },
    failNext(n, status, body, headers = {}, match = {}) {
      const selector = typeof match === 'string' ? { host: match } : match;
      for (let i = 0; i < n; i += 1) {
        const fallback = { message: STATUS_CODES[status], code: status };
        failures.push({ status, body: body ?? fallback, headers, match: { ...selector } });
      }
    },
    hangNext(n, host) {
      for (let i = 0; i < n; i += 1) hangs.push(host);
    },
    advance,
    reportBody,
    async push(jobId, url, opts = {}) {
      const body = JSON.stringify(reportBody(jobId));
      let status = 0;
      for (let attempt = 0; attempt <= (opts.retries ?? 0); attempt += 1) {
        status = await post(url, 'application/json; charset=UTF-8', body, opts.basicAuth);
        if (status >= 200 && status < 300) break;
      }
      return status;
    },
    inboundXml,
    inboundJson: (sms) => inboundFields(sms, now),
    async pushInbound(url, sms, opts = {}) {
      const xml = opts.format !== 'json';
      const body = xml ? inboundXml(sms) : JSON.stringify(inboundFields(sms, now));
      // "by default Content-Type: application/xml; charset UTF-8" (README §2.4).
      const type = xml ? 'application/xml; charset=UTF-8' : 'application/json; charset=UTF-8';
      return post(url, type, body, opts.basicAuth);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done())));
    },
  };

  function inboundXml(sms: FakeInboundSms): string {
    const fields = inboundFields(sms, now);
    const root = sms.root ?? 'sms';
    const elements = Object.entries(fields).map(
      ([name, value]) => `  <${name}>${escapeXml(String(value))}</${name}>`,
    );
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>\n${elements.join('\n')}\n</${root}>\n`;
  }
}

// ---------------------------------------------------------------------------------------------
// POST /jobs checks (README §2.3 and §2.6).

function jobProblem(body: unknown): Answer | undefined {
  const bad = (message: string): Answer => [400, { message, code: 400 }];
  if (!body || typeof body !== 'object') return bad('The request body must be a JSON object');
  const { options, messages } = body as { options?: Record<string, unknown>; messages?: unknown };
  if (!Array.isArray(messages) || messages.length === 0) return bad('messages is required');
  let count = 0;
  for (const [m, message] of messages.entries()) {
    const { text, recipients } = (message ?? {}) as { text?: unknown; recipients?: unknown };
    if (typeof text !== 'string' || text === '') return bad(`messages[${m}].text is required`);
    if (!Array.isArray(recipients) || recipients.length === 0)
      return bad(`messages[${m}].recipients is required`);
    for (const [r, recipient] of recipients.entries()) {
      const { dst, blackoutPeriods } = (recipient ?? {}) as { dst?: unknown; blackoutPeriods?: unknown };
      if (typeof dst !== 'string' || dst === '')
        return bad(`messages[${m}].recipients[${r}].dst is required`);
      if (!validPeriods(blackoutPeriods))
        return bad(`messages[${m}].recipients[${r}].blackoutPeriods is invalid`);
    }
    count += recipients.length;
  }
  if (count > MAX_SMS)
    return bad(`Requests which result in more than 3.000 SMS will be rejected (got ${count})`);
  if (!validPeriods(options?.['blackoutPeriods'])) return bad('options.blackoutPeriods is invalid');
  const optionProblem = optionsProblem(options ?? {});
  if (optionProblem) return bad(optionProblem);
  const utf16 = options?.['encoding'] === 'UTF-16';
  const texts = (messages as Array<{ text: string }>).map((message) => message.text);
  if (options?.['invalidCharacters'] === 'REFUSE' && !utf16 && !texts.every(gsmOnly)) {
    return [
      422,
      { message: 'The text contains characters that are not allowed in the chosen encoding', code: 422 },
    ];
  }
  return undefined;
}

/**
 * Option values and enums as developers.retarus.com documents them. An unknown enum value or a
 * value of the wrong type is answered 400 [I: the answer to a bad option is NOT FOUND; 400 is
 * what Retarus gives for other syntax errors]. validityMin and maxParts out of range are not
 * refused: Retarus clamps them (README §2.3), which the fake does too (see clampOptions).
 */
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  encoding: ['STANDARD', 'UTF-16'],
  invalidCharacters: ['REFUSE', 'REPLACE', 'TO_UTF16', 'TRANSLITERATE'],
  qos: ['EXPRESS', 'NORMAL'],
};
const BOOLEANS = ['statusRequested', 'flash', 'duplicateDetection'];
const MAX_LENGTHS: Readonly<Record<string, number>> = { billcode: 70, customerRef: 64 };

function optionsProblem(options: Record<string, unknown>): string | undefined {
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = options[key];
    if (value !== undefined && !allowed.includes(value as string))
      return `options.${key} must be one of ${allowed.join(', ')}`;
  }
  for (const key of BOOLEANS) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean')
      return `options.${key} must be a boolean`;
  }
  for (const [key, max] of Object.entries(MAX_LENGTHS)) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.length > max))
      return `options.${key} must be a string of at most ${max} characters`;
  }
  for (const key of ['validityMin', 'maxParts']) {
    if (options[key] !== undefined && !Number.isInteger(options[key]))
      return `options.${key} must be an integer`;
  }
  if (options['jobPeriod'] !== undefined && Number.isNaN(Date.parse(String(options['jobPeriod']))))
    return 'options.jobPeriod must be an ISO-8601 date-time';
  return undefined;
}

/** validityMin 0 or 5..2880 and maxParts 1..20: "out-of-range values are clamped". */
export function clampRetarusOptions(options: Record<string, unknown>): Record<string, unknown> {
  const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));
  const out = { ...options };
  if (typeof out['validityMin'] === 'number' && out['validityMin'] !== 0)
    out['validityMin'] = clamp(out['validityMin'], 5, 2880);
  if (typeof out['maxParts'] === 'number') out['maxParts'] = clamp(out['maxParts'], 1, 20);
  return out;
}

const INTERVAL_END = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function validPeriods(periods: unknown): boolean {
  if (periods === undefined) return true;
  if (!Array.isArray(periods)) return false;
  return periods.every((period) => {
    if (typeof period !== 'string') return false;
    const [start = '', end = '', extra] = period.split('/');
    if (extra !== undefined || !INTERVAL_END.test(start) || !INTERVAL_END.test(end)) return false;
    return Date.parse(end) > Date.parse(start);
  });
}

const GSM =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿' +
  'abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€';

function gsmOnly(text: string): boolean {
  return [...text].every((char) => GSM.includes(char));
}

// ---------------------------------------------------------------------------------------------
// Helpers.

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `J.20221116-102407.583-0lajfsfmoXIZJO93PQ` (jobs) or `S.…` (SMS), as in the Retarus examples. */
export function retarusId(prefix: 'J' | 'S', at: Date): string {
  const iso = at.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}.${iso.slice(20, 23)}`;
  const random = [...randomBytes(18)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
  return `${prefix}.${stamp}-${random}`;
}

function pickDataCentre(choice: RetarusDataCentre | 'random'): RetarusDataCentre {
  if (choice !== 'random') return choice;
  return Math.random() < 0.5 ? 'de1' : 'de2';
}

function notFound(): Answer {
  return [404, { message: 'Not found', code: 404 }];
}

function inboundFields(sms: FakeInboundSms, now: () => Date): Record<string, string> {
  return {
    cuNo: sms.cuNo ?? '0123456',
    smsId: sms.smsId ?? retarusId('S', now()),
    storeTs: sms.storeTs ?? now().toISOString(),
    src: sms.src,
    dst: sms.dst,
    text: sms.text,
  };
}

function escapeXml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

async function post(
  url: string,
  contentType: string,
  body: string,
  auth?: [string, string],
): Promise<number> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (auth) headers['authorization'] = `Basic ${Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64')}`;
  const res = await request(url, { method: 'POST', headers, body });
  await res.body.dump();
  return res.statusCode;
}
