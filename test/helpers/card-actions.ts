/** Clicks on card buttons, as Teams sends them: `adaptiveCard/action` invokes. */
import { randomUUID } from 'node:crypto';
import { type Sender, senderFields } from './teams-activity.ts';

/** The data of the card's Action.Execute with `verb`, wherever it sits in the card. */
export function actionData(activity: unknown, verb: string): Record<string, string> | undefined {
  let found: Record<string, string> | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Execute' && o['verb'] === verb) found = o['data'] as Record<string, string>;
    for (const v of Object.values(o)) walk(v);
  };
  walk((activity as { attachments?: unknown })?.attachments);
  return found;
}

export interface InvokeAnswer {
  status: number;
  body: { statusCode?: number; type?: string; value?: unknown };
}

export async function clickAction(
  appUrl: string,
  opts: {
    serviceUrl: string;
    conversationId: string;
    cardId: string;
    verb: string;
    data: Record<string, unknown>;
    sender?: Sender;
  },
): Promise<InvokeAnswer> {
  const activity = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: opts.serviceUrl,
    ...senderFields(opts.sender, opts.conversationId),
    replyToId: opts.cardId,
    value: { action: { type: 'Action.Execute', verb: opts.verb, data: opts.data }, trigger: 'manual' },
  };
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as InvokeAnswer['body']) : {} };
}
