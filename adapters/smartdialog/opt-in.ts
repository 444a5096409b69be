/**
 * WhatsApp opt-in and opt-out of a recipient towards a sender (providers README §3.2). Deprecated
 * in the swagger but still among the connector's actions; both answer 204.
 */
import { callSmartDialog, type SmartDialogClient, segment } from './api.ts';
import { checkRequired } from './validate.ts';

function optInPath(sender: string, recipient: string): string {
  checkRequired('Sender', sender);
  checkRequired('Recipient', recipient);
  return `/whatsapp/opt-in/sender/${segment(sender)}/recipient/${segment(recipient)}`;
}

export async function whatsAppOptIn(
  client: SmartDialogClient,
  sender: string,
  recipient: string,
): Promise<void> {
  await callSmartDialog(client, { method: 'POST', path: optInPath(sender, recipient) });
}

export async function whatsAppOptOut(
  client: SmartDialogClient,
  sender: string,
  recipient: string,
): Promise<void> {
  await callSmartDialog(client, { method: 'DELETE', path: optInPath(sender, recipient) });
}
