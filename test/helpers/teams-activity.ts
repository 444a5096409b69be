/** Activities as Teams sends them to /api/messages, for driving the bot over real HTTP. */
import { randomUUID } from 'node:crypto';

export const BOT = { id: '28:textbridge-bot', name: 'textbridge' };
export const AGENT = {
  id: '29:alex',
  name: 'Alex Wilber',
  aadObjectId: '00000000-0000-0000-0000-000000000020',
};
export const TENANT = '00000000-0000-0000-0000-000000000001';
export const CHANNEL = { id: '19:general@thread.tacv2', name: 'Support' };

export interface ActivityOptions {
  serviceUrl: string;
  text: string;
  /** The conversation the message is typed in; a new post in the channel by default. */
  conversationId?: string;
  mention?: boolean;
  id?: string;
}

/** A channel message from an agent, @mentioning the bot unless told otherwise. */
export function channelMessage(opts: ActivityOptions): Record<string, unknown> {
  const id = opts.id ?? randomUUID();
  const mention = opts.mention ?? true;
  const at = `<at>${BOT.name}</at>`;
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: opts.serviceUrl,
    from: AGENT,
    recipient: BOT,
    conversation: {
      id: opts.conversationId ?? `${CHANNEL.id};messageid=${id}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: TENANT,
    },
    channelData: {
      channel: CHANNEL,
      team: { id: '19:team@thread.tacv2', name: 'Contoso' },
      tenant: { id: TENANT },
    },
    text: mention ? `${at} ${opts.text}` : opts.text,
    textFormat: 'plain',
    entities: mention ? [{ type: 'mention', mentioned: BOT, text: at }] : [],
  };
}

export async function postActivity(appUrl: string, activity: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await res.arrayBuffer();
  return res.status;
}
