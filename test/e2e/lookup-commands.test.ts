/**
 * The lookup commands through /api/messages against the provider fakes: each answers with a card,
 * a wrong use with its usage, a provider failure with what failed and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../fakes/smartdialog.ts';
import { answerTo } from '../helpers/answers.ts';
import { type AppHarness, startApp } from '../helpers/app.ts';
import { cardText } from '../helpers/cards.ts';
import { SINCH_KEY, SINCH_SECRET } from '../helpers/sinch-app.ts';
import { channelMessage, postActivity, TENANT } from '../helpers/teams-activity.ts';
import { eventually } from '../helpers/wait.ts';

describe('lookup commands', () => {
  let sinch: FakeSinch;
  let smartdialog: FakeSmartDialog;
  let h: AppHarness;
  beforeAll(async () => {
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    smartdialog = await startFakeSmartDialog({ tokens: ['sd-token'] });
    h = await startApp(() => ({
      SINCH_API_KEY: SINCH_KEY,
      SINCH_API_SECRET: SINCH_SECRET,
      SINCH_BASE_URL: sinch.url,
      SINCH_WEBHOOK_SECRET: 'sinch-secret-0123456789',
      SINCH_SOURCE_NUMBER: '+61491570000',
      SMARTDIALOG_BASE_URL: smartdialog.baseUrl,
      SMARTDIALOG_ACCESS_TOKEN: 'sd-token',
      SMARTDIALOG_CUSTOMER_ID: FAKE_SMARTDIALOG.customerId,
      SMARTDIALOG_SERVICE_ID: FAKE_SMARTDIALOG.serviceId,
      SMARTDIALOG_GROUP_SERVICE_ID: FAKE_SMARTDIALOG.groupServiceId,
      SMARTDIALOG_WEBHOOK_SECRET: 'smartdialog-secret-0123456789',
    }));
  });
  afterAll(async () => {
    await h?.close();
    await sinch?.close();
    await smartdialog?.close();
  });

  /** The same text works in a channel (with the mention) and in a personal chat. */
  async function ask(text: string, where: 'channel' | 'personal' = 'channel'): Promise<string> {
    const base = channelMessage({ serviceUrl: h.connector.serviceUrl, text, mention: where === 'channel' });
    const activity =
      where === 'personal'
        ? {
            ...base,
            conversation: { id: 'a:personal', conversationType: 'personal', tenantId: TENANT },
            channelData: {},
          }
        : base;
    expect(await postActivity(h.url, activity)).toBe(200);
    return cardText((await answerTo(h.connector, activity)).activity);
  }

  it('senders lists each provider’s sender ids and defaults', async () => {
    const text = await ask('senders');
    expect(text).toContain('Contoso');
    expect(text).toContain('+61491570000');
    expect(text).toContain('SmartDialog');
  });

  it('contact adds, shows, updates and deletes a SmartDialog group contact', async () => {
    const added = await ask('contact add +358 40 123 4567 --first Aino --last Virtanen');
    expect(added).toContain('Aino Virtanen');
    expect(added).not.toContain('Usage');
    expect(smartdialog.contacts.size).toBe(1);
    expect(await ask('contact +358401234567', 'personal')).toContain('Aino Virtanen');
    expect(await ask('contact update +358401234567 --first Aino --last Korhonen --city Espoo')).toContain(
      'Espoo',
    );
    expect(await ask('contact delete +358401234567')).toContain('no longer in the group');
    expect(await ask('contact +358401234567')).toContain('is not in the group');
  });

  it('templates and whatsapp use the SmartDialog templates', async () => {
    smartdialog.templates.push({
      id: 'f3b0c1d2-0000-4000-8000-00000000a001',
      displayName: 'order_shipped',
      identity: FAKE_SMARTDIALOG.whatsAppIdentity,
      category: 'UTILITY',
      language: 'en',
      rawContent: 'Your order {{1}} ships on {{2}}.',
    });
    const list = await ask('templates');
    expect(list).toContain('order_shipped');
    expect(list).toContain('Your order {{1}} ships on {{2}}.');
    const sent = await ask('whatsapp +358401234567 order_shipped 4711 Tuesday');
    expect(sent).toContain('WhatsApp template queued');
    const call = await eventually('the template send', () =>
      smartdialog.requests.find((r) => r.path.endsWith('/messages/templates/whatsapp')),
    );
    // The agent names the template; SmartDialog's TemplateName takes its id.
    expect(call.body).toMatchObject({
      TemplateName: 'f3b0c1d2-0000-4000-8000-00000000a001',
      BodyParameters: ['4711', 'Tuesday'],
    });
    // Our message id is the RequestId: a send retried after a crash is deduplicated by SmartDialog.
    expect(String((call.body as Record<string, unknown>)['RequestId'])).toMatch(/^[0-9a-z-]{20,}$/i);
    expect(await ask('optout +358401234567')).toContain('Opted out');
    const calls = smartdialog.requests.length;
    expect(await ask('whatsapp +358401234567 order_shipped 4712 Friday')).toContain('the customer opted out');
    expect(smartdialog.requests.length).toBe(calls);
    expect(await ask('optin +358401234567')).toContain('Opted in');
  });

  it('answers a wrong use with its usage and an example, and a missing capability plainly', async () => {
    const wrong = await ask('contact add 12345');
    expect(wrong).toContain('not a valid phone number');
    expect(wrong).toContain('contact add +358401234567 --first Aino --last Virtanen');
    expect(await ask('jobs --from yesterday')).toContain('is not a date');
    expect(await ask('jobs --colour red')).toContain('--colour');
    const noJobs = await ask('job J.20261123-101530.123-abcdefghijkl');
    expect(noJobs).toContain('does not offer send jobs');
  });

  it('a provider failure says what failed and why, without a stack trace', async () => {
    smartdialog.failNext(1, 503, { errorMessage: 'Maintenance break' });
    const text = await ask('templates');
    expect(text).toContain('templates failed');
    expect(text).toContain('503');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});
