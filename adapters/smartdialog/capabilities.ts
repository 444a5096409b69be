/** SmartDialog's operations behind the optional capabilities of adapters/types.ts. */
import { ProviderNotFoundError } from '../errors.ts';
import type { ContactsCapability, OptInCapability, SendResult, TemplatesCapability } from '../types.ts';
import type { SmartDialogClient } from './api.ts';
import {
  createGroupContact,
  deleteAllGroupContacts,
  deleteGroupContact,
  getGroupContact,
  updateGroupContact,
} from './contacts.ts';
import { dlrUrlFor } from './dlr-url.ts';
import { whatsAppOptIn, whatsAppOptOut } from './opt-in.ts';
import { alreadySent } from './send.ts';
import {
  createWhatsAppTemplate,
  listWhatsAppTemplates,
  sendWhatsAppTemplate,
  templateParameterCount,
} from './templates.ts';

export function contactsCapability(client: SmartDialogClient, groupServiceId: string): ContactsCapability {
  // PUT and DELETE answer a bare boolean; false is read as "no such contact" (undocumented).
  const notFound = (phone: string) =>
    new ProviderNotFoundError(`SmartDialog has no contact ${phone} in the group`, 'smartdialog');
  return {
    getContact: (phone) => getGroupContact(client, groupServiceId, phone),
    async createContact(contact) {
      const id = await createGroupContact(client, groupServiceId, contact);
      return { ...contact, raw: { id } };
    },
    async updateContact(contact) {
      if (!(await updateGroupContact(client, groupServiceId, contact))) throw notFound(contact.phone);
      return contact;
    },
    async deleteContact(phone) {
      if (!(await deleteGroupContact(client, groupServiceId, phone))) throw notFound(phone);
    },
    async deleteAllContacts() {
      // false here may just mean an empty group; either way none are left.
      await deleteAllGroupContacts(client, groupServiceId);
    },
  };
}

export function templatesCapability(client: SmartDialogClient): TemplatesCapability {
  return {
    async listTemplates() {
      const templates = await listWhatsAppTemplates(client);
      return templates.map((t) => ({
        id: t.id,
        name: t.displayName ?? t.id,
        ...(t.rawContent ? { content: t.rawContent, parameters: templateParameterCount(t.rawContent) } : {}),
        ...(t.category ? { category: t.category } : {}),
        ...(t.language ? { language: t.language } : {}),
        raw: t.raw,
      }));
    },
    createTemplate: (template) =>
      createWhatsAppTemplate(client, template.identity, {
        displayName: template.displayName,
        rawContent: template.content,
        category: template.category,
        language: template.language,
        ...(template.buttons ? { buttons: template.buttons } : {}),
        ...(template.attachmentUrl ? { attachmentUrl: template.attachmentUrl } : {}),
      }),
    async sendTemplate(request) {
      const message = {
        templateName: request.template,
        recipients: request.to,
        ...(request.bodyParameters ? { bodyParameters: request.bodyParameters } : {}),
        ...(request.headerParameters ? { headerParameters: request.headerParameters } : {}),
        ...(request.buttons ? { buttons: request.buttons } : {}),
        ...(request.attachmentUri ? { attachmentUri: request.attachmentUri } : {}),
        ...(request.useSmsFallback !== undefined ? { useSmsFallback: request.useSmsFallback } : {}),
        ...(client.dlrUrl ? { dlrUrl: dlrUrlFor(client.dlrUrl, request.correlationId) } : {}),
        requestId: request.idempotencyKey,
      };
      let result: SendResult;
      try {
        const sent = await sendWhatsAppTemplate(client, message);
        result = {
          correlationId: request.correlationId,
          providerMessageId: sent.messageId,
          status: 'queued',
        };
      } catch (err) {
        result = alreadySent(err, request.correlationId);
      }
      // One message id covers every recipient of the call.
      return request.to.map(() => ({ ...result }));
    },
  };
}

export function optInCapability(client: SmartDialogClient): OptInCapability {
  return {
    optIn: (sender, recipient) => whatsAppOptIn(client, sender, recipient),
    optOut: (sender, recipient) => whatsAppOptOut(client, sender, recipient),
  };
}
