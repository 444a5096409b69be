/**
 * The Inbox API at work: lists and counts, search, paging, a transcript with notes, the card's
 * actions from the Inbox (the Teams card follows), a reply that reaches Sinch, the CSV, and the
 * live feed after a webhook (resumable with Last-Event-ID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationPage } from '../../bot/inbox/wire.ts';
import { cardText } from '../helpers/cards.ts';
import { ALEX, type InboxHarness, SUPPORT, startInboxHarness } from '../helpers/inbox-app.ts';
import { openEventStream } from '../helpers/sse.ts';
import { channelMessage } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

describe('Inbox API', () => {
  let h: InboxHarness;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await startInboxHarness();
    for (let i = 0; i < 5; i++)
      ids.push(await h.customerTexts(`+6149157100${i}`, SUPPORT.number, `Question ${i} about my invoice`));
  });
  afterAll(async () => {
    await h?.close();
  });

  const page = async (query: string) =>
    (await (await h.api(`conversations?${query}`)).json()) as ConversationPage;

  it('lists waiting conversations newest first, with counts, in pages', async () => {
    const first = await page('state=waiting&limit=2');
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    expect(first.counts).toMatchObject({ waiting: 5, unassigned: 5, mine: 0, failed: 0, resolved: 0 });
    expect(first.items[0]).toMatchObject({
      customerNumber: '+61491571004',
      preview: 'Question 4 about my invoice',
      waiting: true,
      channelName: 'Support',
      teamsChannelId: SUPPORT.channel,
    });
    const second = await page(`state=waiting&limit=2&cursor=${first.nextCursor}`);
    const third = await page(`state=waiting&limit=2&cursor=${second.nextCursor}`);
    expect([...second.items, ...third.items].map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.nextCursor).toBeUndefined();
  });

  it('searches by number as typed and by words', async () => {
    expect((await page('state=waiting&q=%2B61 491 571 003')).items.map((i) => i.id)).toEqual([ids[3]]);
    expect((await page('state=waiting&q=QUESTION 2')).items.map((i) => i.id)).toEqual([ids[2]]);
    expect((await page('state=waiting&q=100%25')).items).toEqual([]);
    // A search can leave out the lists' counts (they do not change with it).
    const searched = await page('state=waiting&q=invoice&counts=0');
    expect(searched.items).toHaveLength(5);
    expect(searched.counts).toBeUndefined();
  });

  it('claims, unassigns, resolves and reopens like the card, and the card in Teams follows', async () => {
    const id = ids[0] as string;
    const claim = await h.api(`conversations/${id}/claim`, { body: {} });
    expect(claim.status).toBe(200);
    expect(
      ((await claim.json()) as { conversation: { assignee: string; assignedToMe: boolean } }).conversation,
    ).toMatchObject({
      assignee: ALEX.name,
      assignedToMe: true,
    });
    expect((await page('state=mine')).items.map((i) => i.id)).toEqual([id]);
    await eventually('the root card names the assignee', () =>
      h.connector.updates.some((u) => cardText(u.activity).includes(ALEX.name)),
    );
    await h.api(`conversations/${id}/unassign`, { body: {} });
    expect((await page('state=mine')).items).toEqual([]);
    await h.api(`conversations/${id}/resolve`, { body: {} });
    const afterResolve = await page('state=resolved');
    expect(afterResolve.items.map((i) => i.id)).toEqual([id]);
    expect(afterResolve.counts?.waiting).toBe(4);
    await h.api(`conversations/${id}/reopen`, { body: {} });
    expect((await page('state=resolved')).items).toEqual([]);
  });

  it('replies through the same path as the card: sent once, shown with its status, notes marked', async () => {
    const id = ids[1] as string;
    const body = { text: 'Your invoice is on its way.', nonce: 'nonce-reply-0001' };
    expect((await h.api(`conversations/${id}/reply`, { body })).status).toBe(200);
    // The same submit again (a retried request) sends nothing more.
    expect((await h.api(`conversations/${id}/reply`, { body })).status).toBe(200);
    await eventually('Sinch got the reply', () => h.sinch.sent.some((s) => s.content === body.text));
    expect(h.sinch.sent.filter((s) => s.content === body.text)).toHaveLength(1);

    // A post in the Teams thread without the mention is an internal note.
    const conversationId = (await h.app.store.getThread(id))?.conversationId as string;
    const note = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      conversationId,
      text: 'VIP customer',
      mention: false,
    });
    expect(await h.postActivity(note)).toBe(200);

    const detail = await eventually('the sent reply and the note', async () => {
      const d = (await (await h.api(`conversations/${id}`)).json()) as ConversationDetail;
      const sent = d.entries.find((e) => e.kind === 'outbound');
      return sent?.status === 'sent' && d.entries.some((e) => e.kind === 'note') ? d : undefined;
    });
    expect(detail.entries.map((e) => [e.kind, e.text])).toEqual([
      ['inbound', 'Question 1 about my invoice'],
      ['outbound', 'Your invoice is on its way.'],
      ['note', 'VIP customer'],
    ]);
    expect(detail.entries[1]).toMatchObject({ author: ALEX.name, status: 'sent' });
    expect(detail.conversation).toMatchObject({ waiting: false, lastDirection: 'outbound' });
    expect(detail.teamsLink).toMatch(
      /^https:\/\/teams\.microsoft\.com\/l\/message\/19%3Asupport%40thread\.tacv2\/\d+\?tenantId=/,
    );
    expect(detail.teamsLink).toContain('groupId=');
  });

  it('refuses a reply to a customer who opted out, and an empty one, with the card’s words', async () => {
    const empty = await h.api(`conversations/${ids[2]}/reply`, {
      body: { text: '  ', nonce: 'nonce-empty-01' },
    });
    expect(empty.status).toBe(409);
    expect(((await empty.json()) as { error: string }).error).toBe(
      'Not done: write the reply in the box first.',
    );
    await h.app.store.setOptOut('+61491571002', true, 'STOP');
    const refused = await h.api(`conversations/${ids[2]}/reply`, {
      body: { text: 'Hello?', nonce: 'nonce-opted-01' },
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toContain('opted out');
  });

  it('exports a conversation as CSV', async () => {
    const res = await h.api(`conversations/${ids[1]}/export.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="conversation-\+61491571001-/,
    );
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('time,kind,from,to,author,status,reason,text');
    expect(lines[2]).toContain(
      ',outbound,+61491570000,+61491571001,Alex Wilber,sent,,Your invoice is on its way.',
    );
  });

  it('streams a change within a second of the webhook, and resumes with Last-Event-ID', async () => {
    const token = await h.token();
    const events = await openEventStream(`${h.url}/api/inbox/events`, { authorization: `Bearer ${token}` });
    try {
      const ready = await events.next();
      expect(ready.event).toBe('ready');
      const sentAt = Date.now();
      const id = await h.customerTexts('+61491579999', SUPPORT.number, 'Live?');
      const change = await events.until((e) => e.event === 'change' && e.data.includes(id));
      expect(Date.now() - sentAt).toBeLessThan(1000);
      // A client that reconnects with the last id it saw gets what it missed.
      const missed = await h.customerTexts('+61491579998', SUPPORT.number, 'While you were away');
      const resumed = await openEventStream(`${h.url}/api/inbox/events`, {
        authorization: `Bearer ${token}`,
        'last-event-id': change.id,
      });
      try {
        const first = await resumed.next();
        expect(first.event).toBe('change');
        expect(JSON.parse(first.data).conversations).toContain(missed);
      } finally {
        resumed.close();
      }
    } finally {
      events.close();
    }
  });
});
