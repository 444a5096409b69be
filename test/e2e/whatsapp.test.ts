/**
 * WhatsApp through SmartDialog end to end over real HTTP: WhatsApp threads are answered through
 * the WhatsApp service, templates are picked by name (sent by id) as jobs with a card whose
 * receipts move it, and free text outside the 24-hour window is held with the template picker.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../fakes/smartdialog.ts';
import { answerTo } from '../helpers/answers.ts';
import type { AppHarness } from '../helpers/app.ts';
import { actionData, clickAction } from '../helpers/card-actions.ts';
import { cardText } from '../helpers/cards.ts';
import { startSmartDialogApp, SMARTDIALOG_TOKEN as TOKEN } from '../helpers/smartdialog-app.ts';
import { CHANNEL, channelMessage, postActivity } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

const BUSINESS = FAKE_SMARTDIALOG.whatsAppIdentity;

describe('WhatsApp through SmartDialog', () => {
  let fake: FakeSmartDialog;
  let h: AppHarness;
  const shipped = { id: randomUUID(), name: 'order_shipped' };
  beforeAll(async () => {
    fake = await startFakeSmartDialog({ tokens: [TOKEN], templateDetails: true });
    for (const [id, language, text] of [
      [shipped.id, 'en', 'Your order {{1}} ships on {{2}}.'],
      [randomUUID(), 'fi', 'Tilauksesi {{1}} lähtee {{2}}.'],
    ] as const) {
      fake.templates.push({
        id,
        displayName: id === shipped.id ? 'order_shipped' : 'order_shipped',
        identity: BUSINESS,
        category: 'UTILITY',
        language,
        rawContent: text,
      });
    }
    fake.templates.push({
      id: randomUUID(),
      displayName: 'hello',
      identity: BUSINESS,
      category: 'UTILITY',
      language: 'en',
      rawContent: 'Hello! How can we help?',
    });
    h = await startSmartDialogApp(fake, {
      SMARTDIALOG_WHATSAPP_SERVICE_ID: FAKE_SMARTDIALOG.whatsAppServiceId,
      SMARTDIALOG_SENDER: BUSINESS,
    });
    await ask('link smartdialog');
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const cardsWith = (text: string) => h.connector.shown().filter((p) => cardText(p.activity).includes(text));
  const current = (activityId: string) => cardText(h.connector.activities.get(activityId)?.activity);

  async function ask(text: string, conversationId?: string) {
    const activity = channelMessage({
      serviceUrl: h.connector.serviceUrl,
      text,
      ...(conversationId ? { conversationId } : {}),
    });
    await postActivity(h.url, activity);
    return answerTo(h.connector, activity);
  }

  async function whatsappThread(customer: string, content: string, timestamp = new Date()) {
    await fake.inbound({
      sender: customer,
      recipient: BUSINESS,
      content,
      protocol: 'WhatsApp',
      messageId: randomUUID(),
      timestamp,
    });
    const root = await eventually('the thread', () => cardsWith(content)[0]);
    await eventually('the thread recorded', () => h.app.store.getThreadByConversation(root.conversationId));
    return root;
  }

  it('answers a WhatsApp customer through the WhatsApp service', async () => {
    const root = await whatsappThread('+358401110001', 'Hei, is it in stock?');
    expect(cardText(root.activity)).toContain('WhatsApp');
    await postActivity(
      h.url,
      channelMessage({
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        text: 'Yes it is',
      }),
    );
    const sent = await eventually('the send', () => fake.sent.find((m) => m.body['Content'] === 'Yes it is'));
    expect(sent.serviceId).toBe(FAKE_SMARTDIALOG.whatsAppServiceId);
  });

  it("takes a Reply-box answer as long as WhatsApp allows, and says WhatsApp's limit past it", async () => {
    const root = await whatsappThread('+358401110009', 'Can you send the whole manual?');
    const click = (reply: string) =>
      clickAction(h.url, {
        serviceUrl: h.connector.serviceUrl,
        conversationId: root.conversationId,
        cardId: root.activityId,
        verb: 'reply',
        data: { ...actionData(root.activity, 'reply'), reply },
      });
    // Longer than ten SMS parts: WhatsApp takes it whole.
    const long = `Step ${'one, then the next. '.repeat(110)}`.trim();
    expect(long.length).toBeGreaterThan(2_000);
    expect((await click(long)).status).toBe(200);
    await eventually('the long answer', () => fake.sent.find((m) => m.body['Content'] === long));
    const tooLong = 'x'.repeat(4_200);
    const refused = await click(tooLong);
    expect(String(refused.body.value)).toContain('WhatsApp takes at most 4,096 characters');
    expect(String(refused.body.value)).toContain('4,200');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent.some((m) => m.body['Content'] === tooLong)).toBe(false);
  });

  it('sends a template picked by name as a job with its own card, which its receipt moves', async () => {
    const customer = '+358401110002';
    const answer = await ask(`whatsapp ${customer} order_shipped 4711 Tuesday --lang en`);
    expect(cardText(answer.activity)).toContain('WhatsApp template queued');
    const sent = await eventually('the template send', () =>
      fake.sent.find((m) => m.operationId === 'SendWhatsappTemplateMessage'),
    );
    // SmartDialog's TemplateName takes the template's id, never the name the agent typed.
    expect(sent.body['TemplateName']).toBe(shipped.id);
    expect(sent.body['BodyParameters']).toEqual(['4711', 'Tuesday']);
    expect(sent.serviceId).toBe(FAKE_SMARTDIALOG.whatsAppServiceId);
    const card = await eventually(
      'the template card',
      // The thread's root card comes first, then the template's own card with its status.
      () =>
        cardsWith('Your order 4711 ships on Tuesday.').find((p) => !cardText(p.activity).includes('wrote:')),
    );
    await eventually('Sent', () => current(card.activityId).includes('Sent'));
    expect(await fake.deliver(sent.messageId, 'delivered')).toBe(200);
    await eventually('Delivered', () => current(card.activityId).includes('Delivered'));
  });

  it('shows the picker for a name in several languages, and refuses the wrong number of parameters', async () => {
    const picker = cardText((await ask('whatsapp +358401110003 order_shipped 1 2')).activity);
    expect(picker).toContain('several languages');
    expect(picker).toContain('order_shipped (fi) · 2 parameters');
    const wrong = cardText((await ask('whatsapp +358401110003 order_shipped 4711 --lang en')).activity);
    expect(wrong).toContain('takes 2 parameters ({{1}}, {{2}}); 1 was given');
    const unknown = cardText((await ask('whatsapp +358401110003 no_such_template')).activity);
    expect(unknown).toContain('there is no template "no_such_template"');
    expect(unknown).toContain('order_shipped, hello');
  });

  it('sends from the templates card: pick, fill the parameters, Send', async () => {
    const card = await ask('templates');
    const data = actionData(card.activity, 'send-template');
    expect(data).toBeDefined();
    const before = fake.sent.length;
    const click = () =>
      clickAction(h.url, {
        serviceUrl: h.connector.serviceUrl,
        conversationId: card.conversationId,
        cardId: card.activityId,
        verb: 'send-template',
        data: { ...data, to: '+358 40 111 0004', template: shipped.id, templateParams: '99\nFriday' },
      });
    const answered = await click();
    expect(JSON.stringify(answered.body)).toContain('WhatsApp template queued');
    await click();
    await eventually('the send', () => fake.sent.length === before + 1);
    expect(fake.sent.at(-1)?.body['BodyParameters']).toEqual(['99', 'Friday']);
  });

  it('holds free text outside the 24-hour window and offers the template picker', async () => {
    const old = new Date(Date.now() - 25 * 3600_000);
    const root = await whatsappThread('+358401110005', 'Are you open tomorrow?', old);
    const before = fake.sent.length;
    const picker = await ask('Yes, from 9', root.conversationId);
    const text = cardText(picker.activity);
    expect(text).toContain('24 hours');
    expect(text).toContain('was held');
    expect(JSON.stringify(picker.activity)).toContain('+358401110005');
    expect(actionData(picker.activity, 'send-template')).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent.length).toBe(before);
    const messages = await h.app.store.db
      .selectFrom('messages')
      .select('body')
      .where('body', '=', 'Yes, from 9')
      .execute();
    expect(messages).toHaveLength(0);
    expect(CHANNEL.id).toBeTruthy();
  });
});
