/** Activities as Teams sends them to /api/messages, for driving the bot over real HTTP. */
import { randomUUID } from 'node:crypto';

export const BOT = { id: '28:textbridge-bot', name: 'textbridge' };
export const AGENT = {
  id: '29:user-alex',
  name: 'Alex Wilber',
  aadObjectId: '00000000-0000-0000-0000-000000000020',
};
/** A guest of the team (userRole "guest" in the fake connector's member list). */
export const GUEST = {
  id: '29:guest-gus',
  name: 'Gus Guest',
  aadObjectId: '00000000-0000-0000-0000-000000000030',
};
export const TENANT = '00000000-0000-0000-0000-000000000001';
export const CHANNEL = { id: '19:general@thread.tacv2', name: 'Support' };

/** Who sends an activity and from where: our agent in our tenant's Support channel by default. */
export interface Sender {
  tenant?: string;
  from?: { id: string; name: string; aadObjectId?: string };
  channel?: { id: string; name: string };
  team?: { id: string; name: string };
}

/** The parts of an activity that say who and where, for `sender`. */
export function senderFields(sender: Sender = {}, conversationId: string) {
  const tenant = sender.tenant ?? TENANT;
  return {
    from: sender.from ?? AGENT,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: tenant },
    channelData: {
      channel: sender.channel ?? CHANNEL,
      team: sender.team ?? { id: '19:team@thread.tacv2', name: 'Contoso' },
      tenant: { id: tenant },
    },
  };
}

export interface ActivityOptions {
  serviceUrl: string;
  text: string;
  /** The conversation the message is typed in; a new post in the channel by default. */
  conversationId?: string;
  mention?: boolean;
  id?: string;
  sender?: Sender;
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
    ...senderFields(
      opts.sender,
      opts.conversationId ?? `${(opts.sender?.channel ?? CHANNEL).id};messageid=${id}`,
    ),
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
