/**
 * The Microsoft 365 Agents Playground's INTERNAL API: the routes its own web page uses to post a
 * user's message and to receive what the bot posts. They are undocumented and may change in any
 * release, which is why package.json pins the Playground to one exact version, and why every use
 * of them lives in this file.
 *
 * We use them because the Playground has no public way to act as a user without a browser, and
 * the demo and the browser test must link the Playground's team channel to the sandbox before a
 * customer message can start a thread there (teams.md §4, "Browser-free driving").
 */
import { WebSocket } from 'undici';

/** The Playground's built-in mock Teams context (its default configuration). */
export const PLAYGROUND = {
  teamId: 'team-id',
  generalChannelId: 'team-id',
  bot: { id: '00000000-0000-0000-0000-00000000000011', name: 'Test Bot' },
  user: { id: 'user-id-0', name: 'Alex Wilber' },
} as const;

export interface PostedMessage {
  messageId: string;
  /** The new post's thread: `<channel>;messageid=<id>`. */
  postConversationId: string;
}

/**
 * Starts a new post in the General channel as Alex Wilber, @mentioning the bot: the bot receives
 * `<at>Test Bot</at> <text>`. Answers once the Playground took the post, before the bot has it.
 */
export async function postMention(playgroundUrl: string, text: string): Promise<PostedMessage> {
  const mention = `<at>${PLAYGROUND.bot.name}</at>`;
  const res = await fetch(
    new URL(`/_conversation/v1/conversations/${PLAYGROUND.generalChannelId}/messages`, playgroundUrl),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'text',
        text: `${mention} ${text}`,
        textFormat: 'plain',
        from: { id: PLAYGROUND.user.id },
        mentions: [{ mentioned: { id: PLAYGROUND.bot.id, name: PLAYGROUND.bot.name }, text: mention }],
      }),
      signal: AbortSignal.timeout(10_000),
    },
  );
  const body = (await res.json().catch(() => ({}))) as Partial<PostedMessage>;
  if (!res.ok || !body.postConversationId || !body.messageId) {
    throw new Error(`the Playground did not take the post (${res.status}): ${JSON.stringify(body)}`);
  }
  return { messageId: body.messageId, postConversationId: body.postConversationId };
}

/**
 * Posts `text` to the bot like postMention and resolves with the text of the bot's first answer in
 * that post's thread.
 *
 * It listens on the stream the Playground's page uses. While no page is connected the Playground
 * keeps what the bot posts for the first page that connects, and a listener here takes that
 * backlog instead; so listen only around one exchange, before anyone opens the page (the answer
 * to a post made this way is not shown on the page anyway), or while the page is open.
 */
export async function askBot(playgroundUrl: string, text: string, timeoutMs = 15_000): Promise<string> {
  const streamUrl = new URL('/_ws_conversation/v1/conversations/stream', playgroundUrl);
  streamUrl.protocol = streamUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(streamUrl);
  const answers = new Map<string, string>();
  let wanted: string | undefined;
  let settle: ((text: string) => void) | undefined;
  ws.addEventListener('message', (event) => {
    const answer = botAnswer(String(event.data));
    if (!answer || answers.has(answer.conversationId)) return;
    answers.set(answer.conversationId, answer.text);
    if (answer.conversationId === wanted) settle?.(answer.text);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      ws.addEventListener('error', () => reject(new Error(`could not listen to ${streamUrl}`)));
    });
    const posted = await postMention(playgroundUrl, text);
    wanted = posted.postConversationId;
    const early = answers.get(wanted);
    if (early !== undefined) return early;
    return await new Promise<string>((resolve, reject) => {
      settle = resolve;
      setTimeout(
        () => reject(new Error(`the bot did not answer "${text}" within ${timeoutMs / 1000} s`)),
        timeoutMs,
      ).unref();
    });
  } finally {
    ws.close();
  }
}

/** The conversation and the visible text of a bot post on the Playground's stream, if it is one. */
function botAnswer(data: string): { conversationId: string; text: string } | undefined {
  let event: {
    action?: string;
    actionConversationId?: string;
    message?: { from?: { id?: string }; text?: string; attachments?: Array<{ content?: unknown }> };
  };
  try {
    event = JSON.parse(data);
  } catch {
    return undefined;
  }
  const message = event.message;
  if (event.action !== 'createMessage' || !event.actionConversationId || !message) return undefined;
  if (message.from?.id !== PLAYGROUND.bot.id) return undefined;
  const texts = [message.text ?? '', ...(message.attachments ?? []).flatMap((a) => textsOf(a.content))];
  return { conversationId: event.actionConversationId, text: texts.filter(Boolean).join('\n') };
}

/** Every `text` string of a card, in order. */
function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'text' && typeof value === 'string' ? [value] : textsOf(value),
  );
}
