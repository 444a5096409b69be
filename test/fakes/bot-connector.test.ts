import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationParameters,
  type ConversationReference,
  MessageFactory,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENTED_LIMITS, type FakeConnector, startFakeConnector } from './bot-connector.ts';

const CHANNEL = '19:abc@thread.tacv2';
const card = (text: string) => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] },
});

let connector: FakeConnector;
let adapter: CloudAdapter;

beforeEach(async () => {
  connector = await startFakeConnector();
  // An empty app id is botbuilder's no-auth local mode (teams.md §1).
  adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
});

afterEach(async () => {
  await connector.close();
});

/** Starts a channel thread the way the bot does for a new customer. */
async function createThread(text: string): Promise<{ ref: Partial<ConversationReference>; rootId: string }> {
  let ref: Partial<ConversationReference> | undefined;
  const parameters = {
    isGroup: true,
    channelData: { channel: { id: CHANNEL } },
    activity: MessageFactory.attachment(card(text)),
  } as ConversationParameters;
  await adapter.createConversationAsync('', 'msteams', connector.serviceUrl, '', parameters, async (ctx) => {
    ref = TurnContext.getConversationReference(ctx.activity);
  });
  if (!ref?.conversation) throw new Error('createConversationAsync did not run its callback');
  // The create activity's id is the new conversation id; the root post id follows ';messageid='.
  const rootId = ref.conversation.id.split(';messageid=')[1] ?? '';
  return { ref, rootId };
}

describe('fake Bot Connector with botbuilder CloudAdapter', () => {
  it('records a new thread, a reply in it and an in-place update', async () => {
    const { ref, rootId } = await createThread('New customer +49 170 1234567');
    expect(ref.conversation?.id).toBe(`${CHANNEL};messageid=${rootId}`);

    let replyId = '';
    await adapter.continueConversationAsync('', ref, async (ctx) => {
      replyId = (await ctx.sendActivity(MessageFactory.attachment(card('Queued'))))?.id ?? '';
    });
    await adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.updateActivity({ ...MessageFactory.attachment(card('Delivered')), id: replyId });
    });

    const [thread, ...others] = connector.threads();
    expect(others).toEqual([]);
    expect(thread?.rootId).toBe(rootId);
    expect(thread?.channelId).toBe(CHANNEL);
    expect(thread?.activities.map((a) => a.id)).toEqual([rootId, replyId]);

    const root = connector.activities.get(rootId);
    expect(root?.conversationId).toBe(`${CHANNEL};messageid=${rootId}`);
    expect(root?.activity.attachments?.[0]?.content.body[0].text).toBe('New customer +49 170 1234567');

    const reply = connector.activities.get(replyId);
    expect(reply).toMatchObject({ conversationId: `${CHANNEL};messageid=${rootId}`, updates: 1 });
    expect(reply?.history.map((a) => a.attachments?.[0]?.content.body[0].text)).toEqual([
      'Queued',
      'Delivered',
    ]);
    expect(reply?.activity.attachments?.[0]?.content.body[0].text).toBe('Delivered');

    // A proactive send is a reply to the synthetic continuation activity: POST …/activities/<uuid>.
    expect(connector.requests.map((r) => [r.method, r.path.length, r.status])).toEqual([
      ['POST', 2, 201],
      ['POST', 5, 201],
      ['PUT', 5, 200],
    ]);
    expect(connector.posts.map((p) => p.activityId)).toEqual([rootId, replyId]);
    expect(connector.updates).toEqual([
      expect.objectContaining({ conversationId: `${CHANNEL};messageid=${rootId}`, activityId: replyId }),
    ]);
  });

  it('answers 404 ActivityNotFoundInConversation for an unknown activity', async () => {
    const { ref } = await createThread('root');
    const update = adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.updateActivity({ ...MessageFactory.text('x'), id: '999' });
    });
    await expect(update).rejects.toMatchObject({ statusCode: 404, code: 'ActivityNotFoundInConversation' });
    const remove = adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.deleteActivity('999');
    });
    await expect(remove).rejects.toMatchObject({ statusCode: 404 });
  });

  it('deletes an activity from its thread', async () => {
    const { ref, rootId } = await createThread('root');
    await adapter.continueConversationAsync('', ref, async (ctx) => {
      const sent = await ctx.sendActivity('internal');
      await ctx.deleteActivity(sent?.id ?? '');
    });
    expect(connector.deletes).toHaveLength(1);
    expect(connector.threads()[0]?.activities.map((a) => a.id)).toEqual([rootId]);
  });

  it('lets the SDK retry a 429 with Retry-After transparently', async () => {
    const { ref } = await createThread('root');
    connector.failNext(1, 429, { retryAfter: '0' });
    await adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.sendActivity('after a throttle');
    });
    expect(connector.requests.map((r) => r.status)).toEqual([201, 429, 201]);
    expect(connector.posts.map((p) => p.activity.text)).toEqual([undefined, 'after a throttle']);
  });

  it('surfaces the 429 once the SDK stops retrying', async () => {
    const { ref } = await createThread('root');
    connector.failNext(10, 429, { retryAfter: '0' });
    const send = adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.sendActivity('throttled');
    });
    await expect(send).rejects.toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
    expect(connector.requests.filter((r) => r.status === 429)).toHaveLength(4);
    expect(connector.posts).toHaveLength(1);
  });

  it('surfaces an error the SDK does not retry with its Teams code', async () => {
    const { ref } = await createThread('root');
    connector.failNext(1, 413);
    const send = adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.sendActivity('too big');
    });
    await expect(send).rejects.toMatchObject({ statusCode: 413, code: 'MessageSizeTooBig' });
    expect(connector.requests.map((r) => r.status)).toEqual([201, 413]);
  });

  it('lists members through TeamsInfo', async () => {
    const { ref } = await createThread('root');
    let names: string[] = [];
    await adapter.continueConversationAsync('', ref, async (ctx) => {
      const page = await TeamsInfo.getPagedMembers(ctx);
      names = page.members.map((m) => m.name);
    });
    expect(names).toEqual(['Alex Wilber', 'Megan Bowen', 'Gus Guest']);
  });

  it('waits for a condition and times out with a clear error', async () => {
    const { ref } = await createThread('root');
    const sending = adapter.continueConversationAsync('', ref, async (ctx) => {
      await ctx.sendActivity('later');
    });
    await connector.waitFor(() => connector.posts.length === 2);
    await sending;
    await expect(connector.waitFor(() => false, 30)).rejects.toThrow('within 30 ms');
  });
});

describe('the fake Bot Connector throttling at Teams’ limits', () => {
  it('answers 429 with Retry-After over a thread’s window and counts sends and creates apart', async () => {
    const throttled = await startFakeConnector({ throttle: DOCUMENTED_LIMITS });
    try {
      const post = (kind: 'create' | 'send') =>
        fetch(
          kind === 'create'
            ? `${throttled.serviceUrl}v3/conversations`
            : `${throttled.serviceUrl}v3/conversations/${encodeURIComponent(`${CHANNEL};messageid=1`)}/activities`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              channelData: { channel: { id: CHANNEL } },
              activity: { type: 'message' },
            }),
          },
        );
      const sends = await Promise.all(Array.from({ length: 8 }, () => post('send')));
      expect(sends.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
      expect(sends.find((r) => r.status === 429)?.headers.get('retry-after')).toBe('1');
      // Creates in the same channel have windows of their own.
      expect((await post('create')).status).toBe(201);
      expect(throttled.throttled).toMatchObject([{ thread: CHANNEL, kind: 'send' }]);
      expect(throttled.admitted.filter((a) => a.kind === 'send')).toHaveLength(7);
    } finally {
      await throttled.close();
    }
  });
});
