/**
 * The seed operations that are not about one conversation, each from its Teams command or card,
 * end to end over real HTTP against the SmartDialog, Retarus and Sinch fakes: opt-in/out at the
 * provider, template create, every contact field, delete-all behind a confirm card, discussion
 * reply, jobs paging, and status telling "not found at" from "could not ask".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRetarus, startFakeRetarus } from '../fakes/retarus.ts';
import { type FakeSinch, startFakeSinch } from '../fakes/sinch.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../fakes/smartdialog.ts';
import { answerTo } from '../helpers/answers.ts';
import { type AppHarness, startApp } from '../helpers/app.ts';
import { actionData, clickAction } from '../helpers/card-actions.ts';
import { cardText } from '../helpers/cards.ts';
import { channelMessage, postActivity } from '../helpers/teams-activity.ts';

const TOKEN = 'sd-access-token';
const SINCH_KEY = 'k'.repeat(20);
const SINCH_SECRET = 's'.repeat(30);

describe('seed operations from Teams', () => {
  let smartdialog: FakeSmartDialog;
  let retarus: FakeRetarus;
  let sinch: FakeSinch;
  let h: AppHarness;
  beforeAll(async () => {
    smartdialog = await startFakeSmartDialog({ tokens: [TOKEN] });
    retarus = await startFakeRetarus({ username: 'user', password: 'pass', dataCentre: 'de1' });
    sinch = await startFakeSinch({ apiKey: SINCH_KEY, apiSecret: SINCH_SECRET });
    h = await startApp(() => ({
      SMARTDIALOG_BASE_URL: smartdialog.baseUrl,
      SMARTDIALOG_ACCESS_TOKEN: TOKEN,
      SMARTDIALOG_CUSTOMER_ID: FAKE_SMARTDIALOG.customerId,
      SMARTDIALOG_SERVICE_ID: FAKE_SMARTDIALOG.serviceId,
      SMARTDIALOG_WHATSAPP_SERVICE_ID: FAKE_SMARTDIALOG.whatsAppServiceId,
      SMARTDIALOG_GROUP_SERVICE_ID: FAKE_SMARTDIALOG.groupServiceId,
      SMARTDIALOG_SENDER: FAKE_SMARTDIALOG.whatsAppIdentity,
      SMARTDIALOG_WEBHOOK_SECRET: 'smartdialog-secret-0123456789',
      RETARUS_USERNAME: 'user',
      RETARUS_PASSWORD: 'pass',
      RETARUS_SEND_URL: retarus.sendUrl,
      RETARUS_STATUS_URLS: retarus.statusUrls.join(','),
      RETARUS_WEBHOOK_SECRET: 'retarus-secret-0123456789',
      SINCH_API_KEY: SINCH_KEY,
      SINCH_API_SECRET: SINCH_SECRET,
      SINCH_BASE_URL: sinch.url,
      SINCH_WEBHOOK_SECRET: 'sinch-secret-0123456789',
    }));
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([smartdialog?.close(), retarus?.close(), sinch?.close()]);
  });

  async function ask(text: string) {
    const activity = channelMessage({ serviceUrl: h.connector.serviceUrl, text });
    await postActivity(h.url, activity);
    return answerTo(h.connector, activity);
  }
  const says = async (text: string) => cardText((await ask(text)).activity);

  it('optout and optin change the provider’s WhatsApp opt-in list too', async () => {
    const number = '+358401239876';
    expect(await says(`optin ${number}`)).toContain('opted in at the provider too');
    expect(smartdialog.optIns.has(`${FAKE_SMARTDIALOG.whatsAppIdentity}|${number}`)).toBe(true);
    expect(await says(`optout ${number}`)).toContain('opted out at the provider too');
    expect(smartdialog.optIns.has(`${FAKE_SMARTDIALOG.whatsAppIdentity}|${number}`)).toBe(false);
    expect(await h.app.store.isOptedOut(number)).toBe(true);
  });

  it('template create submits a WhatsApp template with its buttons', async () => {
    const text = await says(
      'template create delivery_window --lang en --category utility --button QuickReply:OK:ok Your parcel arrives {{1}}.',
    );
    expect(text).toContain('WhatsApp template created');
    const created = smartdialog.templates.find((t) => t.displayName === 'delivery_window');
    expect(created).toMatchObject({
      language: 'en',
      category: 'UTILITY',
      rawContent: 'Your parcel arrives {{1}}.',
    });
    expect(await says('template create x --category UTILITY hi')).toContain('--lang');
  });

  it('contact add takes every contact field', async () => {
    const text = await says(
      'contact add +358401112233 --first Aino --last Virtanen --email aino@example.com --gender female --birth-year 1985 --street "Mannerheimintie 1" --zip 00100 --city Helsinki --country fin --custom tier=gold --region FI',
    );
    expect(text).toContain('Aino Virtanen');
    const stored = [...smartdialog.contacts.values()].find((c) => c['phone'] === '+358401112233');
    expect(stored).toMatchObject({
      firstName: 'Aino',
      lastName: 'Virtanen',
      email: 'aino@example.com',
      gender: 'Female',
      birthYear: 1985,
      zipCode: '00100',
      city: 'Helsinki',
      countryCode: 'FIN',
      customContactProperties: [{ name: 'tier', value: 'gold' }],
      phoneNumberRegions: ['FI'],
    });
    expect(await says('contact add +358401112234 --gender robot')).toContain('Male, Female or Other');
  });

  it('contact delete-all asks first and deletes only on Confirm', async () => {
    const card = await ask('contact delete-all');
    expect(cardText(card.activity)).toContain('cannot be undone');
    expect(smartdialog.contacts.size).toBeGreaterThan(0);
    const click = (verb: string) =>
      clickAction(h.url, {
        serviceUrl: h.connector.serviceUrl,
        conversationId: card.conversationId,
        cardId: card.activityId,
        verb,
        data: actionData(card.activity, verb) ?? {},
      });
    expect(JSON.stringify((await click('cancel-confirm')).body)).toContain('Nothing was changed');
    expect(smartdialog.contacts.size).toBeGreaterThan(0);
    expect(JSON.stringify((await click('confirm')).body)).toContain('All contacts deleted');
    const deleteAll = smartdialog.requests.find(
      (r) =>
        r.method === 'DELETE' &&
        r.path === `/groupcontact/${FAKE_SMARTDIALOG.customerId}/${FAKE_SMARTDIALOG.groupServiceId}`,
    );
    expect(deleteAll).toBeDefined();
  });

  it('discussion replies in a SmartDialog thread by its ThreadId', async () => {
    const text = await says('discussion 8c2f51a4-0d6e-4a57-9d5e-7f1b2a3c4d5e We have restocked');
    expect(text).toContain('Discussion reply sent');
    const call = smartdialog.requests.find((r) => r.path === '/messages/discussion/reply');
    expect(call?.body).toMatchObject({
      ThreadId: '8c2f51a4-0d6e-4a57-9d5e-7f1b2a3c4d5e',
      Content: 'We have restocked',
    });
    expect(call?.headers['customerid']).toBe(FAKE_SMARTDIALOG.customerId);
  });

  it('jobs pages through Retarus past its default 100', async () => {
    const first = await says('jobs --limit 2');
    expect(first).toContain('Retarus jobs');
    const lists = retarus.requests.filter((r) => r.method === 'GET' && r.path === '/jobs');
    expect(lists.at(-1)?.query).toMatchObject({ offset: '0', limit: '2' });
    await says('jobs --limit 2 --page 3');
    expect(
      retarus.requests.filter((r) => r.method === 'GET' && r.path === '/jobs').at(-1)?.query,
    ).toMatchObject({
      offset: '4',
      limit: '2',
    });
    expect(await says('jobs --page 0')).toContain('--page takes a whole number');
  });

  it('status says where an unknown id was not found and which provider could not be asked', async () => {
    const text = await says('status 3f0c8a1e-2b3d-4c5e-8f9a-0b1c2d3e4f5a');
    expect(text).toContain('Not found at sinch');
    expect(text).toContain('Not found at retarus');
    expect(text).toContain('Not asked: smartdialog');
    sinch.failNext(1, 503);
    const partly = await says('status 3f0c8a1e-2b3d-4c5e-8f9a-0b1c2d3e4f5b');
    expect(partly).toContain('Could not ask sinch');
    expect(partly).toContain('may still exist');
  });
});
