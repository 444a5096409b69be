/**
 * The Teams budget in the Bot Framework client's HTTP pipeline. It sits after the client's retry
 * policy, so it runs for every attempt: the first one, and each retry the SDK makes on its own
 * after a 429 or a 5xx (teams.md §2: the connector client retries 429 honouring Retry-After).
 * Each attempt takes a token of its thread and of the app before it goes out; a 429 all the same
 * holds the thread until its Retry-After.
 */
import type { TeamsBudget, TeamsOp } from '../budget/teams-budget.ts';
import { currentCall } from './budget-context.ts';

/** The parts of @azure/core-rest-pipeline's request, response and policy used here. */
export interface PipelineRequestLike {
  url: string;
  method: string;
  body?: unknown;
}

export interface PipelineResponseLike {
  status: number;
  headers: { get(name: string): string | undefined };
}

export interface PipelinePolicyLike {
  name: string;
  sendRequest(
    request: PipelineRequestLike,
    next: (request: PipelineRequestLike) => Promise<PipelineResponseLike>,
  ): Promise<PipelineResponseLike>;
}

export const BUDGET_POLICY = 'textbridge-teams-budget';

/** The channel part of a thread's conversation id (`<channel>;messageid=<root>`). */
export function channelOf(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at < 0 ? conversationId : conversationId.slice(0, at);
}

/** What Teams counts a request as, from its method, path and (for a new conversation) body. */
export function opOf(request: PipelineRequestLike): TeamsOp | undefined {
  const path = new URL(request.url).pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const at = path.indexOf('v3');
  if (at < 0) return undefined;
  const [area, id, sub] = path.slice(at + 1);
  const method = request.method.toUpperCase();
  if (area === 'conversations' && id === undefined && method === 'POST') {
    return { thread: newConversationThread(request.body), kind: 'create' };
  }
  if (area === 'conversations' && id !== undefined) {
    const kind = method === 'GET' ? 'read' : sub === 'activities' ? 'send' : 'read';
    return { thread: channelOf(id), kind };
  }
  if (area === 'teams' && id !== undefined) return { thread: id, kind: 'read' };
  return { thread: 'app', kind: 'read' };
}

/** A new thread counts against its channel; a new chat against its member. */
function newConversationThread(body: unknown): string {
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {
      channelData?: { channel?: { id?: string } };
      members?: Array<{ id?: string }>;
    };
    return parsed?.channelData?.channel?.id ?? parsed?.members?.[0]?.id ?? 'new-chat';
  } catch {
    return 'new-chat';
  }
}

function retryAfterMs(response: PipelineResponseLike): number {
  const raw = response.headers.get('retry-after');
  if (raw && /^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw) * 1000;
  const date = raw ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1_000;
}

export function budgetPolicy(budget: TeamsBudget): PipelinePolicyLike {
  return {
    name: BUDGET_POLICY,
    async sendRequest(request, next) {
      const op = opOf(request);
      if (!op) return next(request);
      const call = currentCall();
      const prepaid = call?.prepaid;
      let grant: Awaited<ReturnType<TeamsBudget['acquire']>>;
      if (prepaid && !prepaid.used && prepaid.op.thread === op.thread && prepaid.op.kind === op.kind) {
        prepaid.used = true;
        grant = prepaid.grant;
      } else {
        grant = await budget.acquire(op, call?.priority ?? 'reply');
      }
      try {
        const response = await next(request);
        if (response.status === 429) budget.pause(op, Date.now() + retryAfterMs(response));
        return response;
      } finally {
        // Answered or not, Teams may have counted it: it counts from its end.
        grant.settle();
      }
    },
  };
}
