/**
 * The New conversation dialog's API (senders from the caller's links, the number check, the send
 * through `text`'s path) and the bot's side of the dialog (`text` without arguments, task/fetch,
 * task/submit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewConversationResult, NumberCheck, SenderOption } from '../../bot/inbox/wire.ts';
import { cardText } from '../helpers/cards.ts';
import { type InboxHarness, MEGAN, SALES, SUPPORT, startInboxHarness } from '../helpers/inbox-app.ts';
import { CHANNEL, channelMessage } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

describe('New conversation', () => {
  let h: InboxHarness;
  beforeAll(async () => {
    h = await startInboxHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('offers the senders of the caller’s channels', async () => {
    const alex = (await (await h.api('senders')).json()) as SenderOption[];
    expect(alex).toEqual([{ provider: 'sinch', senders: [SUPPORT.number, SALES.number], templates: false }]);
    const megan = (await (await h.api('senders', { token: await h.token(MEGAN) })).json()) as SenderOption[];
    expect(megan).toEqual([{ provider: 'sinch', senders: [SALES.number], templates: false }]);
    const oneChannel = (await (
      await h.api(`senders?channel=${encodeURIComponent(SUPPORT.channel)}`)
    ).json()) as SenderOption[];
    expect(oneChannel[0]?.senders).toEqual([SUPPORT.number]);
  });

  it('checks a number as typed', async () => {
    const check = async (n: string) =>
      (await (await h.api(`numbers/check?number=${encodeURIComponent(n)}`)).json()) as NumberCheck;
    expect(await check('+61 491 570 156')).toEqual({ e164: '+61491570156' });
    expect((await check('0491 570 156')).error).toContain('international format');
  });

  it('sends through the text path once per nonce, and only from the caller’s senders', async () => {
    const body = {
      provider: 'sinch',
      from: SALES.number,
      to: '+61 491 570 777',
      text: 'Your quote is ready.',
      nonce: 'nonce-new-000001',
    };
    const first = (await (
      await h.api('conversations', { token: await h.token(MEGAN), body })
    ).json()) as NewConversationResult;
    expect(first).toMatchObject({ status: 'queued', conversationId: expect.any(String) });
    const again = (await (
      await h.api('conversations', { token: await h.token(MEGAN), body })
    ).json()) as NewConversationResult;
    expect(again.status).toBe('duplicate');
    await eventually('Sinch got it', () => h.sinch.sent.some((s) => s.content === 'Your quote is ready.'));
    expect(h.sinch.sent.filter((s) => s.content === 'Your quote is ready.')).toHaveLength(1);
    const notHers = await h.api('conversations', {
      token: await h.token(MEGAN),
      body: { ...body, from: SUPPORT.number, nonce: 'nonce-new-000002' },
    });
    expect(notHers.status).toBe(400);
    const badNumber = await h.api('conversations', {
      body: { ...body, to: '12', nonce: 'nonce-new-000003' },
    });
    expect(badNumber.status).toBe(400);
  });

  it('answers `text` without arguments with the dialog button, and task/fetch with the dialog', async () => {
    const ask = channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'text' });
    expect(await h.postActivity(ask)).toBe(200);
    const card = await eventually('the New conversation card', () =>
      h.connector.posts.find((p) => cardText(p.activity).includes('New conversation')),
    );
    const content = card.activity.attachments?.[0]?.content as
      | { actions: Array<{ data: unknown }> }
      | undefined;
    const button = content?.actions[0];
    expect(button?.data).toEqual({ msteams: { type: 'task/fetch' }, kind: 'newConversation' });

    const invoke = (name: string, value: unknown) =>
      fetchInvoke(h, {
        ...channelMessage({ serviceUrl: h.connector.serviceUrl, text: '' }),
        type: 'invoke',
        name,
        value,
      });
    const fetched = await invoke('task/fetch', { data: button?.data });
    expect(fetched).toMatchObject({
      task: {
        type: 'continue',
        value: {
          url: `${h.url}/tab/new?channel=${encodeURIComponent(CHANNEL.id)}`,
          title: 'New conversation',
        },
      },
    });
    const submitted = await invoke('task/submit', {
      data: { status: 'queued', message: 'Message to +61491570777 queued.' },
    });
    expect(submitted).toEqual({ task: { type: 'message', value: 'Message to +61491570777 queued.' } });
  });
});

async function fetchInvoke(h: InboxHarness, activity: Record<string, unknown>): Promise<unknown> {
  let answer: unknown;
  const status = await h.postActivity(activity, (body) => {
    answer = body;
  });
  expect(status).toBe(200);
  return answer;
}
