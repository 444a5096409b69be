/**
 * WhatsApp templates and identities (providers README §3.2): send a template message, create a
 * template, list templates, categories and the customer's WhatsApp numbers.
 */
import { z } from 'zod';
import { callSmartDialog, parseAnswer, type SmartDialogClient, segment } from './api.ts';
import { MAX_CUSTOMER_DATA, MAX_REQUEST_ID, type SmartDialogSent, toSent } from './messages.ts';
import { checkDateTime, checkMaxLength, checkRequired, invalid } from './validate.ts';
import { idText, optional } from './wire.ts';

export type ButtonType = 'Call' | 'QuickReply' | 'Url';

export interface SmartDialogTemplateMessage {
  /** The template's id as listed by listWhatsAppTemplates (the connector fills it from `id`). */
  templateName: string;
  recipients: string[];
  bodyParameters?: string[];
  headerParameters?: string[];
  /** One type per template; several buttons of that type are allowed. */
  buttons?: Array<{ type: ButtonType; data: string }>;
  sendDateTime?: string;
  attachmentUri?: string;
  useSmsFallback?: boolean;
  dlrUrl?: string;
  customerData?: string;
  requestId?: string;
}

/** POST /messages/templates/whatsapp; it answers in camelCase, which toSent reads as well. */
export async function sendWhatsAppTemplate(
  client: SmartDialogClient,
  message: SmartDialogTemplateMessage,
): Promise<SmartDialogSent> {
  const res = await callSmartDialog(client, {
    method: 'POST',
    path: '/messages/templates/whatsapp',
    headers: { 'Customer-Id': client.customerId, 'Service-Id': client.whatsappServiceId },
    body: toTemplateSendBody(message),
  });
  return toSent(res.body, 'POST /messages/templates/whatsapp');
}

export function toTemplateSendBody(message: SmartDialogTemplateMessage): Record<string, unknown> {
  checkRequired('TemplateName', message.templateName);
  if (message.recipients.length === 0) throw invalid('Recipients must name at least one recipient');
  for (const [i, address] of message.recipients.entries()) checkRequired(`Recipients[${i}].Address`, address);
  const types = new Set((message.buttons ?? []).map((b) => b.type));
  if (types.size > 1) {
    throw invalid(`Buttons must all be of one type per template, got ${[...types].join(' and ')}`);
  }
  checkMaxLength('CustomerData', message.customerData, MAX_CUSTOMER_DATA);
  checkMaxLength('RequestId', message.requestId, MAX_REQUEST_ID);
  checkDateTime('SendDateTime', message.sendDateTime);
  return {
    TemplateName: message.templateName,
    Recipients: message.recipients.map((address) => ({ Address: address })),
    ...optional('BodyParameters', message.bodyParameters),
    ...optional('HeaderParameters', message.headerParameters),
    ...optional(
      'Buttons',
      message.buttons?.map((b) => ({ Type: b.type, Data: b.data })),
    ),
    ...optional('SendDateTime', message.sendDateTime),
    ...optional('AttachmentUri', message.attachmentUri),
    ...optional('UseSmsFallback', message.useSmsFallback),
    ...optional('DlrUrl', message.dlrUrl),
    ...optional('CustomerData', message.customerData),
    ...optional('RequestId', message.requestId),
  };
}

export interface SmartDialogNewTemplate {
  displayName: string;
  rawContent: string;
  /** One of listWhatsAppTemplateCategories(). */
  category: string;
  /** Two-letter language code. */
  language: string;
  buttons?: Array<{ type: ButtonType; label: string; data: string }>;
  /** A sample attachment. */
  attachmentUrl?: string;
}

/** "Max length is 2000 for Url and 20 for phone number and text" (swagger, Buttons.Data). */
const MAX_BUTTON_DATA: Record<ButtonType, number> = { Url: 2000, Call: 20, QuickReply: 20 };

/** POST /whatsapp/templates/{Customer-Id}/{IdentityNumber} → 204. */
export async function createWhatsAppTemplate(
  client: SmartDialogClient,
  identityNumber: string,
  template: SmartDialogNewTemplate,
): Promise<void> {
  checkRequired('IdentityNumber', identityNumber);
  checkRequired('DisplayName', template.displayName);
  checkMaxLength('DisplayName', template.displayName, 100);
  checkRequired('RawContent', template.rawContent);
  checkRequired('Category', template.category);
  if (!/^[a-z]{2}$/i.test(template.language)) {
    throw invalid(`Language must be a 2-letter code, got "${template.language}"`);
  }
  for (const [i, b] of (template.buttons ?? []).entries()) {
    checkMaxLength(`Buttons[${i}].Data`, b.data, MAX_BUTTON_DATA[b.type]);
  }
  await callSmartDialog(client, {
    method: 'POST',
    path: `/whatsapp/templates/${segment(client.customerId)}/${segment(identityNumber)}`,
    body: {
      DisplayName: template.displayName,
      RawContent: template.rawContent,
      Category: template.category,
      Language: template.language,
      ...optional(
        'Buttons',
        template.buttons?.map((b) => ({ Type: b.type, Label: b.label, Data: b.data })),
      ),
      ...optional('AttachmentUrl', template.attachmentUrl),
    },
  });
}

export interface SmartDialogTemplate {
  id: string;
  displayName?: string;
  rawContent?: string;
  /** Not in the documented answer; kept when SmartDialog sends them anyway. */
  category?: string;
  language?: string;
  raw: unknown;
}

const text = z.string().nullish();
const templateList = z.array(
  z
    .object({
      id: idText,
      displayname: text,
      extensionparameters: z.object({ rawcontent: text }).passthrough().nullish(),
      category: text,
      language: text,
    })
    .passthrough(),
);

/** GET /whatsapp/templates/{Customer-Id}[?TemplateId=]. */
export async function listWhatsAppTemplates(
  client: SmartDialogClient,
  templateId?: string,
): Promise<SmartDialogTemplate[]> {
  const query = templateId === undefined ? '' : `?TemplateId=${encodeURIComponent(templateId)}`;
  const res = await callSmartDialog(client, {
    method: 'GET',
    path: `/whatsapp/templates/${segment(client.customerId)}${query}`,
  });
  const list = parseAnswer(templateList, res.body ?? [], 'GET /whatsapp/templates/{Customer-Id}');
  const raw = (res.body ?? []) as unknown[];
  return list.map((t, i) => ({
    id: t.id,
    ...(t.displayname ? { displayName: t.displayname } : {}),
    ...(t.extensionparameters?.rawcontent ? { rawContent: t.extensionparameters.rawcontent } : {}),
    ...(t.category ? { category: t.category } : {}),
    ...(t.language ? { language: t.language } : {}),
    raw: raw[i],
  }));
}

/** GET /whatsapp/templates/categories → the values createWhatsAppTemplate accepts as Category. */
export async function listWhatsAppTemplateCategories(client: SmartDialogClient): Promise<string[]> {
  const res = await callSmartDialog(client, { method: 'GET', path: '/whatsapp/templates/categories' });
  return parseAnswer(z.array(z.string()), res.body ?? [], 'GET /whatsapp/templates/categories');
}

const identityList = z.array(
  z
    .object({ inputsource: z.object({ address: z.string().nullish() }).passthrough().nullish() })
    .passthrough(),
);

/** GET /whatsapp/identities/{Customer-Id} → the customer's WhatsApp numbers (IdentityNumber values). */
export async function listWhatsAppIdentities(client: SmartDialogClient): Promise<string[]> {
  const res = await callSmartDialog(client, {
    method: 'GET',
    path: `/whatsapp/identities/${segment(client.customerId)}`,
  });
  const list = parseAnswer(identityList, res.body ?? [], 'GET /whatsapp/identities/{Customer-Id}');
  return list.flatMap((identity) => (identity.inputsource?.address ? [identity.inputsource.address] : []));
}

/** The highest {{n}} placeholder of a WhatsApp template body: how many body parameters it takes. */
export function templateParameterCount(content: string): number {
  let highest = 0;
  for (const match of content.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}
