/**
 * Every connector operation other than the plain send, against the fake (which checks each body
 * and the required headers against the swagger).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireCapability } from '../../../adapters/capabilities.ts';
import {
  ProviderNotFoundError,
  ProviderNotSupportedError,
  ProviderValidationError,
} from '../../../adapters/errors.ts';
import type { SmartDialogClient } from '../../../adapters/smartdialog/api.ts';
import { listPhoneNumberRegions } from '../../../adapters/smartdialog/contacts.ts';
import {
  listSmartDialogCustomers,
  listSmartDialogServices,
} from '../../../adapters/smartdialog/discovery.ts';
import {
  createSmartDialogClient,
  createSmartDialogProvider,
  registerSmartDialogWebhook,
  type SmartDialogProviderOptions,
  unregisterSmartDialogWebhook,
} from '../../../adapters/smartdialog/index.ts';
import { sendSmartDialogThreadReply } from '../../../adapters/smartdialog/messages.ts';
import {
  listWhatsAppIdentities,
  listWhatsAppTemplateCategories,
  listWhatsAppTemplates,
  sendWhatsAppTemplate,
} from '../../../adapters/smartdialog/templates.ts';
import { idsFromLocation } from '../../../adapters/smartdialog/webhooks.ts';
import type { InboundMessage, NewTemplate, Provider } from '../../../adapters/types.ts';
import { FAKE_SMARTDIALOG, type FakeSmartDialog, startFakeSmartDialog } from '../../fakes/smartdialog.ts';
import { rejection } from '../../helpers/rejection.ts';

const TOKEN = 'static-token';
const IDS = FAKE_SMARTDIALOG;
let fake: FakeSmartDialog;
let options: SmartDialogProviderOptions;
let client: SmartDialogClient;
let smartdialog: Provider;

beforeEach(async () => {
  fake = await startFakeSmartDialog({ tokens: [TOKEN] });
  options = {
    baseUrl: fake.baseUrl,
    auth: { accessToken: TOKEN },
    customerId: IDS.customerId,
    serviceId: IDS.serviceId,
    sender: 'Textbridge',
    groupServiceId: IDS.groupServiceId,
    dlrUrl: 'https://bot.example/webhooks/smartdialog?secret=s',
    timeoutMs: 2000,
  };
  client = createSmartDialogClient(options);
  smartdialog = createSmartDialogProvider(options);
});

afterEach(async () => {
  await fake.close();
});

const template: NewTemplate = {
  identity: IDS.whatsAppIdentity,
  displayName: 'Order update',
  content: 'Your order {{1}} is on its way',
  category: 'UTILITY',
  language: 'en',
};

describe('thread reply (POST /messages/discussion/reply)', () => {
  it('sends CustomerId without the hyphen and reads ThreadId back', async () => {
    const sent = await sendSmartDialogThreadReply(client, {
      threadId: 't-9',
      content: 'On it',
      customerData: 'team-a',
    });
    const [req] = fake.requests;
    expect(req!.headers['customerid']).toBe(IDS.customerId);
    expect(req!.headers).not.toHaveProperty('customer-id');
    expect(req!.body).toEqual({ ThreadId: 't-9', Content: 'On it', CustomerData: 'team-a' });
    expect(sent).toMatchObject({ messageId: fake.sent[0]!.messageId, threadId: 't-9', recipients: [] });
  });

  it('checks CustomerData before calling', async () => {
    const err = await rejection(
      sendSmartDialogThreadReply(client, { threadId: 't', content: 'c', customerData: 'x'.repeat(256) }),
    );
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toBe('SmartDialog: CustomerData must be at most 255 characters, got 256');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('templates capability', () => {
  it('creates a template (204) in the swagger shape', async () => {
    const templates = requireCapability(smartdialog, 'templates');
    await templates.createTemplate({
      ...template,
      buttons: [{ type: 'Url', label: 'Track', data: 'https://track.example/4411' }],
      attachmentUrl: 'https://cdn.example/sample.png',
    });
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: `/whatsapp/templates/${IDS.customerId}/%2B358401234567`,
      body: {
        DisplayName: 'Order update',
        RawContent: 'Your order {{1}} is on its way',
        Category: 'UTILITY',
        Language: 'en',
        Buttons: [{ Type: 'Url', Label: 'Track', Data: 'https://track.example/4411' }],
        AttachmentUrl: 'https://cdn.example/sample.png',
      },
    });
    expect(fake.templates).toHaveLength(1);
  });

  it.each([
    ['a 101-character name', { displayName: 'd'.repeat(101) }, 'DisplayName must be at most 100 characters'],
    ['a 3-letter language', { language: 'fin' }, 'Language must be a 2-letter code, got "fin"'],
    ['no content', { content: '' }, 'RawContent is required'],
    [
      'a 21-character phone button',
      { buttons: [{ type: 'Call' as const, label: 'Call', data: '+'.padEnd(21, '1') }] },
      'Buttons[0].Data must be at most 20 characters',
    ],
    [
      'a 2001-character URL button',
      { buttons: [{ type: 'Url' as const, label: 'Go', data: 'h'.repeat(2001) }] },
      'Buttons[0].Data must be at most 2000 characters',
    ],
  ])('refuses %s before calling, naming the field', async (_name, change, message) => {
    const err = await rejection(
      requireCapability(smartdialog, 'templates').createTemplate({ ...template, ...change }),
    );
    expect(err).toBeInstanceOf(ProviderValidationError);
    expect(err.message).toContain(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('lists templates with their content', async () => {
    const templates = requireCapability(smartdialog, 'templates');
    await templates.createTemplate(template);
    const [listed] = await templates.listTemplates();
    expect(listed).toEqual({
      id: fake.templates[0]!.id,
      name: 'Order update',
      content: 'Your order {{1}} is on its way',
      parameters: 1,
      raw: {
        id: fake.templates[0]!.id,
        displayName: 'Order update',
        extensionParameters: { rawContent: template.content },
      },
    });
    expect(await listWhatsAppTemplates(client, 'other')).toEqual([]);
    expect(fake.requests.at(-1)!.query).toEqual({ TemplateId: 'other' });
  });

  it('sends a template with one result per recipient, the DlrUrl and the RequestId', async () => {
    const templates = requireCapability(smartdialog, 'templates');
    await templates.createTemplate(template);
    const results = await templates.sendTemplate({
      template: fake.templates[0]!.id,
      to: ['+358401234501', '+358401234502'],
      bodyParameters: ['4411'],
      headerParameters: ['Acme'],
      buttons: [
        { type: 'QuickReply', data: 'Yes' },
        { type: 'QuickReply', data: 'No' },
      ],
      useSmsFallback: true,
      correlationId: 'msg-1',
      idempotencyKey: 'idem-1',
    });
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/messages/templates/whatsapp');
    expect(req.headers).toMatchObject({ 'customer-id': IDS.customerId, 'service-id': IDS.serviceId });
    expect(req.body).toEqual({
      TemplateName: fake.templates[0]!.id,
      Recipients: [{ Address: '+358401234501' }, { Address: '+358401234502' }],
      BodyParameters: ['4411'],
      HeaderParameters: ['Acme'],
      Buttons: [
        { Type: 'QuickReply', Data: 'Yes' },
        { Type: 'QuickReply', Data: 'No' },
      ],
      UseSmsFallback: true,
      DlrUrl: 'https://bot.example/webhooks/smartdialog?secret=s&tb_message_id=msg-1',
      RequestId: 'idem-1',
    });
    // The answer was camelCase; the message id is read all the same.
    const messageId = fake.sent[0]!.messageId;
    expect(results).toEqual([
      { correlationId: 'msg-1', providerMessageId: messageId, status: 'queued' },
      { correlationId: 'msg-1', providerMessageId: messageId, status: 'queued' },
    ]);
  });

  it('treats a repeated template send as already sent', async () => {
    const templates = requireCapability(smartdialog, 'templates');
    await templates.createTemplate(template);
    const request = {
      template: fake.templates[0]!.id,
      to: ['+358401'],
      correlationId: 'm',
      idempotencyKey: 'k',
    };
    await templates.sendTemplate(request);
    const [again] = await templates.sendTemplate(request);
    expect(again).toMatchObject({ providerMessageId: '', vendorStatus: 'duplicate RequestId' });
    expect(fake.sent).toHaveLength(1);
  });

  it('refuses buttons of two types before calling', async () => {
    const err = await rejection(
      sendWhatsAppTemplate(client, {
        templateName: 't',
        recipients: ['+358401'],
        buttons: [
          { type: 'Url', data: 'https://a' },
          { type: 'Call', data: '+358401' },
        ],
      }),
    );
    expect(err.message).toBe('SmartDialog: Buttons must all be of one type per template, got Url and Call');
    expect(fake.requests).toHaveLength(0);
  });

  it('lists categories and WhatsApp identities', async () => {
    expect(await listWhatsAppTemplateCategories(client)).toEqual(['MARKETING', 'UTILITY', 'AUTHENTICATION']);
    expect(await listWhatsAppIdentities(client)).toEqual([IDS.whatsAppIdentity]);
  });
});

describe('contacts capability (group service)', () => {
  const phone = '+358401234501';

  it('creates, reads, updates and deletes a contact', async () => {
    const contacts = requireCapability(smartdialog, 'contacts');
    const created = await contacts.createContact({
      phone,
      firstName: 'Aino',
      gender: 'Female',
      birthYear: 1990,
      countryCode: 'FIN',
      custom: { plan: 'gold' },
      regions: ['FI'],
    });
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: `/groupcontact/${IDS.customerId}/${IDS.groupServiceId}`,
      body: {
        phone,
        firstName: 'Aino',
        gender: 'Female',
        birthYear: 1990,
        countryCode: 'FIN',
        customContactProperties: [{ name: 'plan', value: 'gold' }],
        phoneNumberRegions: ['FI'],
      },
    });
    expect(created.raw).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    expect(await contacts.getContact(phone)).toMatchObject({
      phone,
      firstName: 'Aino',
      gender: 'Female',
      birthYear: 1990,
      countryCode: 'FIN',
      active: true,
      custom: { plan: 'gold' },
      regions: ['FI'],
    });
    expect(fake.requests[1]!.path).toBe(
      `/groupcontact/${IDS.customerId}/${IDS.groupServiceId}/%2B358401234501`,
    );

    await contacts.updateContact({ phone, city: 'Oulu', active: false });
    expect(fake.requests[2]).toMatchObject({ method: 'PUT', body: { city: 'Oulu', active: false } });
    expect(fake.requests[2]!.body).not.toHaveProperty('phone');
    expect(await contacts.getContact(phone)).toMatchObject({ city: 'Oulu', active: false });

    await contacts.deleteContact(phone);
    expect(await contacts.getContact(phone)).toBeUndefined();
  });

  it('says so when the contact to update or delete does not exist', async () => {
    const contacts = requireCapability(smartdialog, 'contacts');
    expect(await rejection(contacts.updateContact({ phone, city: 'Oulu' }))).toBeInstanceOf(
      ProviderNotFoundError,
    );
    expect(await rejection(contacts.deleteContact(phone))).toBeInstanceOf(ProviderNotFoundError);
  });

  it('deletes every contact of the group', async () => {
    const contacts = requireCapability(smartdialog, 'contacts');
    await contacts.createContact({ phone });
    await contacts.createContact({ phone: '+358401234502' });
    await contacts.deleteAllContacts();
    expect(fake.contacts.size).toBe(0);
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/groupcontact/${IDS.customerId}/${IDS.groupServiceId}`,
    });
  });

  it('reads a camelCase or PascalCase contact alike', async () => {
    fake.failNext(1, 200, {
      Phone: phone,
      FirstName: 'Aino',
      CustomContactProperties: [{ Name: 'a', Value: 'b' }],
    });
    expect(await requireCapability(smartdialog, 'contacts').getContact(phone)).toMatchObject({
      phone,
      firstName: 'Aino',
      custom: { a: 'b' },
    });
  });

  it('checks countryCode and birthYear before calling', async () => {
    const contacts = requireCapability(smartdialog, 'contacts');
    expect((await rejection(contacts.createContact({ phone, countryCode: 'FI' }))).message).toContain(
      'countryCode must be a 3-letter country code',
    );
    expect((await rejection(contacts.createContact({ phone, birthYear: 1990.5 }))).message).toContain(
      'birthYear',
    );
    expect((await rejection(contacts.createContact({ phone: '' }))).message).toContain('phone is required');
    expect(fake.requests).toHaveLength(0);
  });

  it('is absent without a group service', async () => {
    const plain = createSmartDialogProvider({ ...options, groupServiceId: undefined });
    expect(() => requireCapability(plain, 'contacts')).toThrow(ProviderNotSupportedError);
  });

  it('lists the phone number regions', async () => {
    expect(await listPhoneNumberRegions(client)).toEqual([
      { value: 'FI', name: 'Finland' },
      { value: 'SE', name: 'Sweden' },
    ]);
  });
});

describe('opt-in capability (WhatsApp, deprecated in the swagger)', () => {
  it('opts a recipient in and out (204)', async () => {
    const optIn = requireCapability(smartdialog, 'optIn');
    await optIn.optIn(IDS.whatsAppIdentity, '+358401234501');
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/whatsapp/opt-in/sender/%2B358401234567/recipient/%2B358401234501',
    });
    expect(fake.optIns.has(`${IDS.whatsAppIdentity}|+358401234501`)).toBe(true);
    await optIn.optOut(IDS.whatsAppIdentity, '+358401234501');
    expect(fake.requests[1]!.method).toBe('DELETE');
    expect(fake.optIns.size).toBe(0);
  });
});

describe('discovery', () => {
  it('lists customers and services by type', async () => {
    expect(await listSmartDialogCustomers(client)).toEqual([
      { customerId: IDS.customerId, customerName: 'Fake Oy' },
    ]);
    const replies = await listSmartDialogServices(client, 'OneWay', true);
    expect(fake.requests[1]!.headers).toMatchObject({ servicetype: 'OneWay', allowreplymessage: 'true' });
    expect(replies).toEqual([
      { id: IDS.serviceId, name: 'Replies' },
      { id: IDS.whatsAppServiceId, name: 'WhatsApp' },
    ]);
    expect(await listSmartDialogServices(client, 'TwoWay')).toEqual([
      { id: IDS.twoWayServiceId, name: 'Inbox' },
    ]);
    expect(fake.requests[2]!.headers).not.toHaveProperty('allowreplymessage');
  });
});

describe('inbound webhook registration', () => {
  it('registers with the Customer header, reads the pipeline id from Location, receives, unregisters', async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/smartdialog?secret=s`;
    try {
      const action = await registerSmartDialogWebhook(options, IDS.twoWayServiceId, endpointUrl);
      const [req] = fake.requests;
      expect(req).toMatchObject({
        method: 'POST',
        path: `/service/${IDS.twoWayServiceId}/pipelines/actions`,
      });
      expect(req!.headers['customer']).toBe(IDS.customerId);
      expect(req!.body).toMatchObject({
        actionType: 'HttpRequest',
        options: { endpointUrl, httpVerb: 'POST' },
      });
      const stored = fake.actions.get(action.actionId)!;
      expect(action).toEqual({
        actionId: stored.id,
        pipelineId: stored.pipelineId,
        location: `${fake.baseUrl}/pipelines/${stored.pipelineId}/actions/${stored.id}`,
      });

      expect(
        await fake.inbound({ sender: '+358401234501', recipient: '+358451234567', content: 'Hei' }),
      ).toEqual([200]);
      const [event] = smartdialog.parseWebhook({
        method: 'POST',
        url: '/webhooks/smartdialog?secret=s',
        headers: { 'content-type': 'application/json' },
        query: { secret: 's' },
        contentType: 'application/json',
        rawBody: Buffer.from(bodies[0]!),
      }) as InboundMessage[];
      expect(event).toMatchObject({
        kind: 'inbound',
        from: '+358401234501',
        to: '+358451234567',
        text: 'Hei',
      });

      await unregisterSmartDialogWebhook(options, action.pipelineId!, action.actionId);
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'DELETE',
        path: `/pipelines/${action.pipelineId}/actions/${action.actionId}`,
      });
      expect(fake.actions.size).toBe(0);
      const again = await rejection(
        unregisterSmartDialogWebhook(options, action.pipelineId!, action.actionId),
      );
      expect(again).toBeInstanceOf(ProviderNotFoundError);
      expect(again.message).toContain('Action not found');
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('works without a Location header, leaving the pipeline id unknown', async () => {
    fake.failNext(1, 201, { id: 'a-1' });
    expect(await registerSmartDialogWebhook(options, IDS.twoWayServiceId, 'https://bot.example/in')).toEqual({
      actionId: 'a-1',
    });
  });

  it('refuses a one-way service, a bad URL and a missing pipeline id', async () => {
    const oneWay = await rejection(
      registerSmartDialogWebhook(options, IDS.serviceId, 'https://bot.example/in'),
    );
    expect(oneWay).toBeInstanceOf(ProviderValidationError);
    expect(oneWay.message).toContain('is not a TwoWay service');
    expect(
      (await rejection(registerSmartDialogWebhook(options, IDS.twoWayServiceId, 'in'))).message,
    ).toContain('options.endpointUrl is not a URL');
    expect((await rejection(unregisterSmartDialogWebhook(options, '', 'a'))).message).toContain(
      'Pipeline-Id',
    );
  });

  it.each([
    [
      'https://api.arena.fi/api-integrations/v1/pipelines/p-1/actions/a-1',
      { pipelineId: 'p-1', actionId: 'a-1' },
    ],
    ['/pipelines/p%201/actions/a-1?x=1', { pipelineId: 'p 1', actionId: 'a-1' }],
    ['https://api.arena.fi/actions/a-1', undefined],
  ])('reads ids from Location %s', (location, ids) => {
    expect(idsFromLocation(location)).toEqual(ids);
  });
});
