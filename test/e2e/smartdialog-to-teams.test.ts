/**
 * SmartDialog end to end over real HTTP: the webhook action is registered as an operator would,
 * a customer's message arrives through it, the agent's answer goes out as a threaded reply, and
 * the GET delivery callback moves the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSmartDialog, startFakeSmartDialog } from '../fakes/smartdialog.ts';
import type { AppHarness } from '../helpers/app.ts';
import { cardText } from '../helpers/cards.ts';
import {
  SMARTDIALOG_SECRET as SECRET,
  startSmartDialogApp,
  SMARTDIALOG_TOKEN as TOKEN,
} from '../helpers/smartdialog-app.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { customerThread } from '../helpers/threads.ts';
import { eventually } from '../helpers/wait.ts';

const CUSTOMER = '+358401112223';
const BUSINESS = '+358409998887';

describe('SmartDialog to Teams and back', () => {
  let fake: FakeSmartDialog;
  let h: AppHarness;
  beforeAll(async () => {
    fake = await startFakeSmartDialog({ tokens: [TOKEN] });
    h = await startSmartDialogApp(fake, { SMARTDIALOG_SENDER: BUSINESS });
    await postActivity(
      h.url,
      channelMessage({ serviceUrl: h.connector.serviceUrl, text: 'link smartdialog' }),
    );
    await eventually('the link', () => h.connector.posts.length === 1);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const cardsWith = (text: string) => h.connector.shown().filter((p) => cardText(p.activity).includes(text));

  it('threads the customer, replies through the reply endpoint and shows Delivered', async () => {
    expect(
      await fake.inbound({
        sender: CUSTOMER,
        recipient: BUSINESS,
        content: 'Moi! Where is my parcel?',
        messageId: 'in-1',
      }),
    ).toEqual([200]);
    expect(
      await fake.inbound({
        sender: CUSTOMER,
        recipient: BUSINESS,
        content: 'Moi! Where is my parcel?',
        messageId: 'in-1',
      }),
    ).toEqual([200]);
    const root = await customerThread(h.app.store, h.connector, 'Where is my parcel?');
    expect(cardText(root.activity)).toContain('SmartDialog');
    expect(cardsWith('Where is my parcel?')).toHaveLength(1);

    await postActivity(
      h.url,
      channelMessage({
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'It left the depot',
      }),
    );
    const sent = await eventually('the SmartDialog send', () => fake.sent[0]);
    const call = fake.requests.find((r) => r.method === 'POST' && r.path.includes('/messages/reply/'));
    expect(call?.path).toContain('/messages/reply/in-1');
    const body = call?.body as Record<string, unknown>;
    expect(body['Content']).toBe('It left the depot');
    expect(body['RequestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(String(body['DlrUrl'])).toContain(`secret=${SECRET}`);
    expect(String(body['DlrUrl'])).toContain(`tb_message_id=${body['RequestId']}`);

    const card = await eventually('the answer card', () => cardsWith('It left the depot')[0]);
    expect(await fake.deliver(sent.messageId, 'delivered')).toBe(200);
    await eventually('Delivered', () =>
      cardText(h.connector.activities.get(card.activityId)?.activity).includes('Delivered'),
    );
  });

  it('keeps a receipt it cannot read instead of dropping it', async () => {
    const res = await fetch(
      `${h.url}/webhooks/smartdialog?secret=${SECRET}&tb_message_id=unknown-id&status=WEIRD`,
    );
    expect(res.status).toBe(200);
    const rows = await h.app.store.db
      .selectFrom('receipts')
      .selectAll()
      .where('provider', '=', 'smartdialog')
      .execute();
    expect(rows.some((r) => r.vendor_status === 'WEIRD' && r.status === 'unknown')).toBe(true);
  });

  it('acknowledges a receipt for an id it never sent once, keeps it unmatched, and does not chase it', async () => {
    const url = `${h.url}/webhooks/smartdialog?secret=${SECRET}&tb_message_id=never-sent-0001&status=delivered`;
    for (let i = 0; i < 3; i++) expect((await fetch(url)).status).toBe(200);
    const stored = await h.app.store.db
      .selectFrom('receipts')
      .selectAll()
      .where('provider', '=', 'smartdialog')
      .where('raw', 'like', '%never-sent-0001%')
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.message_id).toBeNull();
    const chasing = await h.app.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'apply-receipt')
      .execute();
    expect(chasing).toEqual([]);
  });

  it('refuses callbacks without the secret', async () => {
    expect((await fetch(`${h.url}/webhooks/smartdialog?status=delivered&tb_message_id=x`)).status).toBe(401);
    const res = await fetch(`${h.url}/webhooks/smartdialog?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: CUSTOMER }),
    });
    expect(res.status).toBe(400);
  });

  it('links an attachment through a signed /media link that leads to SmartDialog’s copy', async () => {
    const resourceLocation = 'https://files.example/attachments/receipt.pdf';
    await fake.inbound({
      sender: '+358401112299',
      recipient: BUSINESS,
      content: 'Here is the receipt',
      messageId: 'in-media-1',
      attachments: [{ name: 'receipt.pdf', mimeType: 'application/pdf', resourceLocation }],
    });
    const card = await eventually('the card', () => cardsWith('Here is the receipt')[0]);
    const link = /\[receipt\.pdf\]\(([^)]+)\)/.exec(cardText(card.activity))?.[1];
    expect(link).toMatch(/\/media\/[0-9a-f-]{36}\?sig=/);
    expect(cardText(card.activity)).not.toContain(resourceLocation);
    const res = await fetch(link!, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(resourceLocation);
  });
});
