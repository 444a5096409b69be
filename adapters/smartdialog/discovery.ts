/**
 * Which customers the token may act for and which services they have (providers README §3.2):
 * what an operator needs to fill SMARTDIALOG_CUSTOMER_ID and the service ids.
 */
import { z } from 'zod';
import { callSmartDialog, parseAnswer, type SmartDialogClient, segment } from './api.ts';

export type SmartDialogServiceType = 'OneWay' | 'TwoWay' | 'Group';

const customersAnswer = z
  .object({
    customerusers: z
      .array(z.object({ customerid: z.string().min(1), customername: z.string().nullish() }).passthrough())
      .nullish(),
  })
  .passthrough();

/** GET /customers: the signed-in user's customers. */
export async function listSmartDialogCustomers(
  client: SmartDialogClient,
): Promise<Array<{ customerId: string; customerName?: string }>> {
  const res = await callSmartDialog(client, { method: 'GET', path: '/customers' });
  const answer = parseAnswer(customersAnswer, res.body ?? {}, 'GET /customers');
  return (answer.customerusers ?? []).map((c) => ({
    customerId: c.customerid,
    ...(c.customername ? { customerName: c.customername } : {}),
  }));
}

const servicesAnswer = z.array(z.object({ id: z.string().min(1), name: z.string().nullish() }).passthrough());

/**
 * GET /services/{Customer-Id} with the ServiceType header; allowReplyMessage narrows one-way
 * services to those that may answer (the kind /messages/reply needs).
 */
export async function listSmartDialogServices(
  client: SmartDialogClient,
  type: SmartDialogServiceType,
  allowReplyMessage?: boolean,
): Promise<Array<{ id: string; name?: string }>> {
  const res = await callSmartDialog(client, {
    method: 'GET',
    path: `/services/${segment(client.customerId)}`,
    headers: {
      ServiceType: type,
      ...(allowReplyMessage === undefined ? {} : { AllowReplyMessage: String(allowReplyMessage) }),
    },
  });
  return parseAnswer(servicesAnswer, res.body ?? [], 'GET /services/{Customer-Id}').map((s) => ({
    id: s.id,
    ...(s.name ? { name: s.name } : {}),
  }));
}
