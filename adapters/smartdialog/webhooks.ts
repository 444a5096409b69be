/**
 * The connector's "New message" trigger (providers README §3.3): an HttpRequest action on a
 * two-way service's pipeline that POSTs every inbound message to our endpoint.
 */
import { z } from 'zod';
import { callSmartDialog, parseAnswer, type SmartDialogClient, segment } from './api.ts';
import { invalid } from './validate.ts';
import { idText } from './wire.ts';

export interface SmartDialogWebhookAction {
  actionId: string;
  /** Read from the Location header; undefined when SmartDialog sends none (unverified, README §3.3). */
  pipelineId?: string;
  location?: string;
}

const createdAnswer = z.object({ id: idText }).passthrough();

/** POST /service/{Service}/pipelines/actions; the customer header here is plain `Customer`. */
export async function registerWebhookAction(
  client: SmartDialogClient,
  twoWayServiceId: string,
  endpointUrl: string,
): Promise<SmartDialogWebhookAction> {
  if (!URL.canParse(endpointUrl)) throw invalid(`options.endpointUrl is not a URL: ${endpointUrl}`);
  const res = await callSmartDialog(client, {
    method: 'POST',
    path: `/service/${segment(twoWayServiceId)}/pipelines/actions`,
    headers: { Customer: client.customerId },
    body: {
      name: 'textbridge (inbound messages)',
      actionType: 'HttpRequest',
      description:
        'Posts new messages of this service to textbridge. Remove it with textbridge, not by hand.',
      options: { endpointUrl, httpVerb: 'POST' },
    },
  });
  const created = parseAnswer(createdAnswer, res.body, 'POST /service/{Service}/pipelines/actions');
  const location = res.headers['location'];
  const ids = location ? idsFromLocation(location) : undefined;
  return {
    actionId: created.id,
    ...(ids ? { pipelineId: ids.pipelineId } : {}),
    ...(location ? { location } : {}),
  };
}

/**
 * The 201 body holds only the action id; Power Platform deletes triggers through the Location
 * header, so it is expected to read …/pipelines/{pipelineId}/actions/{actionId}.
 */
export function idsFromLocation(location: string): { pipelineId: string; actionId: string } | undefined {
  const match = /\/pipelines\/([^/?#]+)\/actions\/([^/?#]+)/.exec(location);
  if (!match) return undefined;
  return { pipelineId: decodeURIComponent(match[1]!), actionId: decodeURIComponent(match[2]!) };
}

/** DELETE /pipelines/{Pipeline-Id}/actions/{Action-Id} → 204. */
export async function deleteWebhookAction(
  client: SmartDialogClient,
  pipelineId: string,
  actionId: string,
): Promise<void> {
  if (!pipelineId) throw invalid('Pipeline-Id is required (read it from the Location of the registration)');
  if (!actionId) throw invalid('Action-Id is required');
  await callSmartDialog(client, {
    method: 'DELETE',
    path: `/pipelines/${segment(pipelineId)}/actions/${segment(actionId)}`,
  });
}
