/**
 * A local stand-in for the Bot Connector (Teams' /v3 REST API) as botbuilder 4.23's CloudAdapter
 * calls it with an empty MicrosoftAppId: no auth, http: on 127.0.0.1 (teams.md §1, §4, §5).
 * It records every write, models channel threads (`<channel>;messageid=<root id>`) and can answer
 * the next writes with a Teams-style error (429 with Retry-After, 413, …).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity, ChannelAccount } from 'botbuilder';
import { classify, Throttle, type ThrottleLimits } from './throttle.ts';

export { DOCUMENTED_LIMITS } from './throttle.ts';
export type { ThrottleLimits };

export type FakeActivity = Partial<Activity>;

export interface FakeActivityRecord {
  id: string;
  conversationId: string;
  /** The current version, with the id the fake assigned. */
  activity: FakeActivity;
  /** How many times it was replaced (PUT). */
  updates: number;
  /** Every version received, oldest first; the last one is `activity`. */
  history: FakeActivity[];
}

export interface FakeWrite {
  conversationId: string;
  activityId: string;
  activity: FakeActivity;
  at: number;
}

export interface FakeRequest {
  method: string;
  /** Decoded path segments, e.g. ['v3', 'conversations', '19:abc@thread.tacv2;messageid=1', 'activities']. */
  path: string[];
  status: number;
  /** As received, e.g. the bot's `authorization` header. */
  headers: IncomingHttpHeaders;
}

export interface FakeThread {
  rootId: string;
  channelId: string;
  /** The root post, then its replies in the order they were posted. */
  activities: FakeActivityRecord[];
}

export interface FailOptions {
  retryAfter?: string;
  /** The body's error.code; defaults to the usual Teams code for the status. */
  code?: string;
}

export interface FakeConnectorOptions {
  /** Members that /members and /pagedmembers return. */
  members?: ChannelAccount[];
  /** Members of particular teams or chats (by conversation id), instead of `members`. */
  membersOf?: Record<string, ChannelAccount[]>;
  /** Bodies larger than this get Teams' 413 MessageSizeTooBig; default about 100 KB (teams.md §2). */
  maxBodyBytes?: number;
  /** Answer 429 above Teams' documented rate limits, as Teams does (throttle.ts). */
  throttle?: ThrottleLimits;
}

export interface FakeConnector {
  /** Base URL with a trailing slash, as Teams puts it in activities. */
  serviceUrl: string;
  activities: Map<string, FakeActivityRecord>;
  posts: FakeWrite[];
  updates: FakeWrite[];
  deletes: Array<Omit<FakeWrite, 'activity'>>;
  /** Every request with the status it got, including injected failures and retries. */
  requests: FakeRequest[];
  threads(): FakeThread[];
  /** What the channel shows now: every posted activity in its latest version, oldest post first. */
  shown(): FakeWrite[];
  /** Requests answered 429 by the throttle, with what they were. */
  throttled: Array<{ thread: string; kind: string; at: number }>;
  /** Requests the throttle let through, with when they arrived (for budget-use figures). */
  admitted: Array<{ thread: string; kind: string; at: number; method: string }>;
  /** The next n writes (POST, PUT, DELETE) answer `status` with a Teams-style error body. */
  failNext(n: number, status: number, opts?: FailOptions): void;
  /** Leaves posts, updates and deletes unanswered until `release()`: Teams calls in flight. */
  hold(): void;
  release(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BadArgument',
  403: 'Forbidden',
  404: 'NotFound',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Teams names each member's role: `user`, or `guest` for someone invited from outside. */
const DEFAULT_MEMBERS: Array<ChannelAccount & { userRole: string }> = [
  {
    id: '29:user-alex',
    name: 'Alex Wilber',
    aadObjectId: '00000000-0000-0000-0000-000000000020',
    userRole: 'user',
  },
  {
    id: '29:user-megan',
    name: 'Megan Bowen',
    aadObjectId: '00000000-0000-0000-0000-000000000021',
    userRole: 'user',
  },
  {
    id: '29:guest-gus',
    name: 'Gus Guest',
    aadObjectId: '00000000-0000-0000-0000-000000000030',
    userRole: 'guest',
  },
];

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Failure {
  status: number;
  opts: FailOptions;
}

const THREAD_MARKER = ';messageid=';

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const members = options.members ?? DEFAULT_MEMBERS;
  const maxBodyBytes = options.maxBodyBytes ?? 100 * 1024;
  const activities = new Map<string, FakeActivityRecord>();
  const posts: FakeWrite[] = [];
  const updates: FakeWrite[] = [];
  const deletes: Array<Omit<FakeWrite, 'activity'>> = [];
  const requests: FakeRequest[] = [];
  const roots: Array<{ rootId: string; channelId: string }> = [];
  const failures: Failure[] = [];
  const throttle = options.throttle ? new Throttle(options.throttle) : undefined;
  const throttled: FakeConnector['throttled'] = [];
  const admitted: FakeConnector['admitted'] = [];
  // Teams message ids are epoch milliseconds; keep them unique and increasing.
  let lastId = Date.now();
  const nextId = () => String(++lastId);

  function record(conversationId: string, id: string, body: FakeActivity): void {
    const activity = { ...body, id };
    activities.set(id, { id, conversationId, activity, updates: 0, history: [activity] });
    posts.push({ conversationId, activityId: id, activity, at: Date.now() });
  }

  function createConversation(body: Record<string, unknown>): Reply {
    const channelData = body['channelData'] as { channel?: { id?: string } } | undefined;
    const channelId = channelData?.channel?.id;
    const activity = body['activity'] as FakeActivity | undefined;
    const id = nextId();
    // Without a channel this is a new chat, not a thread: its id has no ';messageid='.
    const conversationId = channelId ? `${channelId}${THREAD_MARKER}${id}` : `a:${randomUUID()}`;
    if (activity) record(conversationId, id, activity);
    if (activity && channelId) roots.push({ rootId: id, channelId });
    return { status: 201, body: { id: conversationId, activityId: activity ? id : undefined } };
  }

  function postActivity(conversationId: string, body: FakeActivity): Reply {
    const id = nextId();
    record(conversationId, id, body);
    // Posting to a conversation itself rather than to a thread in it starts a new thread, as a
    // post to a channel does in Teams.
    if (!conversationId.includes(THREAD_MARKER)) roots.push({ rootId: id, channelId: conversationId });
    return { status: 201, body: { id } };
  }

  function findActivity(conversationId: string, activityId: string): FakeActivityRecord | Reply {
    const found = activities.get(activityId);
    if (found && channelOf(found.conversationId) === channelOf(conversationId)) return found;
    return teamsError(
      404,
      'ActivityNotFoundInConversation',
      `Activity ${activityId} not found in ${conversationId}`,
    );
  }

  function updateActivity(conversationId: string, activityId: string, body: FakeActivity): Reply {
    const found = findActivity(conversationId, activityId);
    if ('status' in found) return found;
    const activity = { ...body, id: activityId };
    found.activity = activity;
    found.updates += 1;
    found.history.push(activity);
    updates.push({ conversationId, activityId, activity, at: Date.now() });
    return { status: 200, body: { id: activityId } };
  }

  function deleteActivity(conversationId: string, activityId: string): Reply {
    const found = findActivity(conversationId, activityId);
    if ('status' in found) return found;
    activities.delete(activityId);
    deletes.push({ conversationId, activityId, at: Date.now() });
    return { status: 200 };
  }

  function route(method: string, parts: string[], body: Record<string, unknown>): Reply {
    const [v3, conversations, conversationId = '', sub, activityId, extra] = parts;
    if (v3 !== 'v3' || conversations !== 'conversations') return notFound(method, parts);
    const write = method === 'POST' || method === 'PUT' || method === 'DELETE';
    const failure = write ? failures.shift() : undefined;
    if (failure) return failWith(failure);
    const activity = body as FakeActivity;
    if (method === 'POST' && parts.length === 2) return createConversation(body);
    const roster = options.membersOf?.[conversationId] ?? members;
    if (method === 'GET' && sub === 'members' && activityId) {
      // Teams finds a member by Teams id, Entra object id or UPN (team-chat-member-api-changes.md).
      const member = roster.find((m) => m.id === activityId || m.aadObjectId === activityId);
      return member
        ? { status: 200, body: member }
        : teamsError(404, 'MemberNotFoundInConversation', activityId);
    }
    if (method === 'GET' && sub === 'members') return { status: 200, body: roster };
    if (method === 'GET' && sub === 'pagedmembers') return { status: 200, body: { members: roster } };
    if (sub !== 'activities' || extra !== undefined) return notFound(method, parts);
    if (method === 'POST') return postActivity(conversationId, activity);
    if (method === 'PUT' && activityId) return updateActivity(conversationId, activityId, activity);
    if (method === 'DELETE' && activityId) return deleteActivity(conversationId, activityId);
    return notFound(method, parts);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { code: 'InternalServerError', message: `fake Bot Connector: ${String(err)}` },
        }),
      );
    });
  });

  let held: { promise: Promise<void>; release: () => void } | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    if (held && method !== 'GET') await held.promise;
    // Conversation ids carry ';', ':' and '@' and arrive percent-encoded, one path segment each.
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    let reply: Reply;
    const op = classify(method, parts, raw);
    const wait = throttle && op ? throttle.admit(op, Date.now()) : 0;
    if (op && wait > 0) {
      throttled.push({ ...op, at: Date.now() });
      reply = {
        ...teamsError(429, 'TooManyRequests', `Rate limit for ${op.kind} in ${op.thread} exceeded`),
        headers: { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
      };
    } else if (raw.length > maxBodyBytes) {
      reply = teamsError(
        413,
        'MessageSizeTooBig',
        `Message size ${raw.length} is over ${maxBodyBytes} bytes`,
      );
    } else {
      const body = raw.length > 0 ? parseJson(raw) : {};
      reply = body instanceof Error ? teamsError(400, 'BadSyntax', body.message) : route(method, parts, body);
    }
    if (op && reply.status !== 429) admitted.push({ ...op, at: Date.now(), method });
    requests.push({ method, path: parts, status: reply.status, headers: req.headers });
    const headers = {
      ...reply.headers,
      ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    activities,
    posts,
    updates,
    deletes,
    requests,
    throttled,
    admitted,
    threads: () =>
      roots.map(({ rootId, channelId }) => ({
        rootId,
        channelId,
        activities: posts
          .filter(
            (p) => p.activityId === rootId || p.conversationId === `${channelId}${THREAD_MARKER}${rootId}`,
          )
          .flatMap((p) => activities.get(p.activityId) ?? []),
      })),
    hold() {
      if (held) return;
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      held = { promise, release };
    },
    release() {
      held?.release();
      held = undefined;
    },
    shown: () =>
      posts.flatMap((p) => {
        const current = activities.get(p.activityId);
        return current ? [{ ...p, activity: current.activity }] : [];
      }),
    failNext(n, status, opts = {}) {
      for (let i = 0; i < n; i += 1) failures.push({ status, opts });
    },
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`fake Bot Connector: condition not met within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function channelOf(conversationId: string): string {
  return conversationId.split(THREAD_MARKER)[0] ?? conversationId;
}

function teamsError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

function failWith({ status, opts }: Failure): Reply {
  const reply = teamsError(status, opts.code ?? ERROR_CODES[status] ?? 'ServiceError', `Injected ${status}`);
  return opts.retryAfter === undefined ? reply : { ...reply, headers: { 'retry-after': opts.retryAfter } };
}

function notFound(method: string, parts: string[]): Reply {
  return teamsError(404, 'NotFound', `No fake route for ${method} /${parts.join('/')}`);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): Record<string, unknown> | Error {
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof body === 'object' && body !== null && !Array.isArray(body))
      return body as Record<string, unknown>;
    return new Error('The body must be a JSON object');
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
