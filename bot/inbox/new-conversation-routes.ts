/**
 * What the New conversation dialog asks: the providers and senders the caller may text from (the
 * links of their channels, or of the one channel the dialog was opened in, and each provider's
 * default sender), WhatsApp templates, a number checked as typed, and the send itself through
 * the `text` and `whatsapp` commands' own paths.
 */
import { createHash } from 'node:crypto';
import type { Provider, ProviderId } from '../../adapters/types.ts';
import { MAX_AGENT_TEXT } from '../../cards/limits.ts';
import { normalizePhone } from '../commands/phone.ts';
import { sendWhatsAppTemplate } from '../commands/send-template.ts';
import { queueText } from '../commands/start-text.ts';
import { UsageError } from '../commands/types.ts';
import type { Route, Store } from '../store/types.ts';
import { textProblem } from '../text-fit.ts';
import type { Caller } from './auth/caller.ts';
import { HttpError, type InboxRoute, queryOf } from './http.ts';
import type {
  NewConversationRequest,
  NewConversationResult,
  NumberCheck,
  SenderOption,
  TemplateOption,
} from './wire.ts';

export type Providers = Partial<Record<ProviderId, Provider>>;

function senderOptions(providers: Providers, routes: readonly Route[]): SenderOption[] {
  const out: SenderOption[] = [];
  for (const provider of Object.values(providers)) {
    if (!provider) continue;
    const linked = routes.filter((r) => r.provider === provider.id || r.provider === '*');
    const senders = new Set(linked.map((r) => r.businessNumber).filter((n) => n !== '*'));
    // A link of every number ('*') or no link: the provider's default sender.
    if (provider.defaultSender && (senders.size === 0 || linked.some((r) => r.businessNumber === '*'))) {
      senders.add(provider.defaultSender);
    }
    if (senders.size === 0) continue;
    out.push({
      provider: provider.id,
      senders: [...senders],
      templates: provider.capabilities.templates !== undefined,
    });
  }
  return out;
}

function callerRoutes(caller: Caller, channel: string | undefined): Route[] {
  return channel ? caller.routes.filter((r) => r.teamsChannelId === channel) : caller.routes;
}

export function sendersRoute(providers: Providers): InboxRoute {
  return async (req, res, caller) => {
    res.send(200, senderOptions(providers, callerRoutes(caller, queryOf(req)['channel'])));
  };
}

/** {{1}}, {{2}}…: the body parameters of a WhatsApp template, in order. */
export function templateParameters(content: string | undefined): string[] {
  const found = new Set<string>();
  for (const m of (content ?? '').matchAll(/\{\{\s*(\d+)\s*\}\}/g)) found.add(`{{${m[1]}}}`);
  return [...found].sort((a, b) => Number(a.slice(2, -2)) - Number(b.slice(2, -2)));
}

export function templatesRoute(providers: Providers): InboxRoute {
  return async (req, res) => {
    const provider = providers[queryOf(req)['provider'] as ProviderId];
    const capability = provider?.capabilities.templates;
    if (!capability) throw new HttpError(404, 'that provider is not enabled or has no WhatsApp templates');
    const list = await capability.listTemplates();
    const body: TemplateOption[] = list.map((t) => ({
      name: t.name,
      ...(t.language ? { language: t.language } : {}),
      ...(t.content ? { text: t.content } : {}),
      parameters: templateParameters(t.content),
    }));
    res.send(200, body);
  };
}

export const numberCheckRoute: InboxRoute = async (req, res) => {
  const typed = queryOf(req)['number'] ?? '';
  if (typed.length > 40) throw new HttpError(400, 'number is longer than 40 characters');
  let body: NumberCheck;
  try {
    body = { e164: normalizePhone(typed) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    body = { error: err.message };
  }
  res.send(200, body);
};

function parseRequest(body: unknown): NewConversationRequest {
  const b = (body ?? {}) as Partial<Record<keyof NewConversationRequest, unknown>>;
  const str = (v: unknown, name: string) => {
    if (typeof v !== 'string' || !v.trim()) throw new HttpError(400, `the body needs "${name}"`);
    return v.trim();
  };
  const nonce = str(b.nonce, 'nonce');
  if (!/^[\w-]{8,64}$/.test(nonce)) throw new HttpError(400, 'nonce must be 8 to 64 letters, digits, - or _');
  const out: NewConversationRequest = {
    provider: str(b.provider, 'provider'),
    from: str(b.from, 'from'),
    to: str(b.to, 'to'),
    nonce,
  };
  if (b.template !== undefined) {
    const t = b.template as { name?: unknown; language?: unknown; parameters?: unknown };
    const params = Array.isArray(t.parameters) ? t.parameters : [];
    if (!params.every((p): p is string => typeof p === 'string' && p.length <= 500) || params.length > 20) {
      throw new HttpError(400, 'template.parameters must be at most 20 texts of at most 500 characters');
    }
    out.template = {
      name: str(t.name, 'template.name'),
      parameters: params,
      ...(typeof t.language === 'string' && t.language !== '' ? { language: t.language } : {}),
    };
  } else {
    const text = str(b.text, 'text');
    if (text.length > MAX_AGENT_TEXT)
      throw new HttpError(400, `the message has ${text.length} characters; at most ${MAX_AGENT_TEXT} fit`);
    out.text = text;
  }
  return out;
}

export function createConversationRoute(store: Store, providers: Providers): InboxRoute {
  return async (req, res, caller) => {
    const body = parseRequest(req.body);
    const provider = providers[body.provider as ProviderId];
    if (!provider) throw new HttpError(400, `${body.provider} is not enabled on this bot`);
    const allowed = senderOptions(providers, caller.routes).find((o) => o.provider === provider.id);
    if (!allowed?.senders.includes(body.from)) {
      throw new HttpError(400, `${body.from} is not a sender of ${provider.id} linked to your channels`);
    }
    let to: string;
    try {
      to = normalizePhone(body.to);
    } catch (err) {
      if (err instanceof UsageError) throw new HttpError(400, err.message);
      throw err;
    }
    // One send per (caller, nonce): the dialog submitted twice, or resent after a lost answer.
    const key = `inbox-new:${createHash('sha256').update(`${caller.viewer.id}\n${body.nonce}`).digest('hex').slice(0, 32)}`;
    let result: NewConversationResult;
    if (body.template) {
      const outcome = await sendWhatsAppTemplate(store, provider, {
        to,
        template: body.template.name,
        ...(body.template.language ? { language: body.template.language } : {}),
        params: body.template.parameters,
        key,
        author: caller.viewer,
      });
      if (outcome.status === 'refused') throw new HttpError(400, outcome.message);
      result =
        outcome.status === 'opted-out'
          ? { status: 'opted-out', message: `${to} opted out (STOP): nothing was sent.` }
          : {
              status: outcome.status === 'duplicate' ? 'duplicate' : 'queued',
              ...(outcome.threadId ? { conversationId: outcome.threadId } : {}),
              message: `Template "${body.template.name}" is on its way to ${to}; its card shows the delivery status.`,
            };
    } else {
      // The same check as `text`: a text the provider would refuse or cut is not queued.
      const problem = textProblem(provider, provider.defaultChannel ?? 'sms', body.text ?? '');
      if (problem) throw new HttpError(400, problem);
      const outcome = await queueText(
        store,
        { provider: provider.id, to, from: body.from, text: body.text ?? '' },
        caller.viewer,
        key,
        provider,
      );
      result =
        outcome.status === 'opted-out' || outcome.status === 'no-sender'
          ? { status: 'opted-out', message: `${to} opted out (STOP): nothing was sent.` }
          : {
              status: outcome.status,
              ...(outcome.threadId ? { conversationId: outcome.threadId } : {}),
              message:
                outcome.status === 'duplicate'
                  ? `This message to ${to} was already sent.`
                  : `Message to ${to} queued${outcome.route?.channelName ? `; the thread appears in ${outcome.route.channelName}` : ''}.`,
            };
    }
    res.send(200, result);
  };
}
