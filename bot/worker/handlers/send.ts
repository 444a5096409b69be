/**
 * send: hands an agent's answer to the customer's provider. Records the provider's id and status
 * (which queues the card update), or marks the message failed with the reason after the last try.
 */
import type { Logger } from 'pino';
import { ProviderError } from '../../../adapters/errors.ts';
import type { OutboundRequest, Provider, ProviderId, SendResult } from '../../../adapters/types.ts';
import { PROVIDER_LABELS } from '../../../cards/labels.ts';
import type { CallLimiter } from '../../budget/rate-limiter.ts';
import type { Job, Message, Store, TemplateRef, Thread } from '../../store/types.ts';
import { PermanentJobError } from '../job-errors.ts';
import type { JobHandler } from '../runner.ts';
import { SendBatcher } from '../send-batcher.ts';
import { POLL_DELAYS_MS } from './poll-status.ts';

export interface SendDeps {
  store: Store;
  providers: Partial<Record<ProviderId, Provider>>;
  limiters: Partial<Record<ProviderId, CallLimiter>>;
  log: Logger;
}

export function sendHandler({ store, providers, limiters, log }: SendDeps): JobHandler {
  const batchers = new Map<ProviderId, SendBatcher>();
  const batcherFor = (provider: Provider) => {
    let batcher = batchers.get(provider.id);
    if (!batcher) {
      batcher = new SendBatcher(provider, async () => limiters[provider.id]?.acquire(provider.id));
      batchers.set(provider.id, batcher);
    }
    return batcher;
  };
  return {
    async run(job: Job) {
      const message = await store.getMessage(job.ref);
      if (!message) throw new PermanentJobError(`message ${job.ref} no longer exists`);
      if (message.providerMessageId) return; // sent before a crash, recorded after it
      const thread = await store.getThread(message.threadId);
      if (!thread) throw new PermanentJobError(`thread ${message.threadId} no longer exists`);
      if (thread.optedOut || (await store.isOptedOut(thread.customerNumber))) {
        throw new PermanentJobError(
          `${thread.customerNumber} has opted out (STOP); the message was not sent`,
        );
      }
      const provider = providers[message.provider];
      if (!provider) {
        throw new PermanentJobError(
          `${message.provider} is not enabled on this bot, so the message cannot be sent`,
        );
      }
      const pace = () => limiters[provider.id]?.acquire(provider.id);
      if (message.template) {
        await sendTemplate(store, provider, message, thread, message.template, pace);
        return;
      }
      const request = toRequest(message, thread);
      if (message.sendStartedAt) {
        // An earlier attempt got no answer (a 5xx, a timeout, a crash): find out before sending again.
        const earlier = await earlierOutcome(provider, request, message.sendStartedAt, pace);
        if (earlier === 'unknowable') {
          log.warn({ messageId: message.id, provider: provider.id }, 'send not confirmed; not sending again');
          await unconfirmed(store, message.id, provider, 'and cannot be asked whether it sent the message');
          return;
        }
        if (earlier !== 'not-sent') {
          log.info({ messageId: message.id }, 'interrupted send had reached the provider; not sending again');
          await record(store, message.id, earlier.providerMessageId, earlier.status, earlier.vendorStatus);
          return;
        }
      }
      let result: SendResult;
      try {
        result = await batcherFor(provider).send(request, () => store.markSendStarted(message.id));
      } catch (err) {
        // A 4xx answer means the provider took nothing: the next attempt need not ask first.
        if (err instanceof ProviderError && err.status !== undefined && err.status < 500) {
          await store.clearSendStarted(message.id);
        }
        throw err;
      }
      await record(store, message.id, result.providerMessageId, result.status, result.vendorStatus);
      if (provider.capabilities.reconcile) {
        // Receipts of this provider may never be pushed: look them up until the message is final.
        await store.enqueue({
          kind: 'poll-status',
          lane: `poll:${message.id}`,
          ref: message.id,
          runAfter: Date.now() + (POLL_DELAYS_MS[0] ?? 60_000),
        });
      }
    },
    async giveUp(job: Job, reason: string) {
      const message = await store.getMessage(job.ref);
      const provider = message && providers[message.provider];
      // A send that may have reached the provider is not known to have failed.
      if (message?.sendStartedAt && !message.providerMessageId && provider) {
        await unconfirmed(store, job.ref, provider, `(${reason})`);
        return;
      }
      await store.applyStatus(job.ref, { status: 'failed', reason, at: new Date().toISOString() });
    },
  };
}

/**
 * A WhatsApp template message: one template call, keyed by our message id (SmartDialog drops a
 * repeated RequestId, so a send cut off by a crash is not sent twice) and carrying our id on its
 * DlrUrl, so its receipts find this message's card.
 */
async function sendTemplate(
  store: Store,
  provider: Provider,
  message: Message,
  thread: Thread,
  template: TemplateRef,
  pace: () => Promise<void> | undefined,
): Promise<void> {
  const templates = provider.capabilities.templates;
  if (!templates) throw new PermanentJobError(`${provider.id} cannot send WhatsApp templates`);
  await pace();
  await store.markSendStarted(message.id);
  const [result] = await templates.sendTemplate({
    template: template.id,
    to: [thread.customerNumber],
    bodyParameters: template.bodyParameters,
    correlationId: message.id,
    idempotencyKey: message.id,
  });
  if (!result) throw new PermanentJobError(`${provider.id} answered the template send without a result`);
  await record(store, message.id, result.providerMessageId, result.status, result.vendorStatus);
}

function toRequest(message: Message, thread: Thread): OutboundRequest {
  return {
    provider: message.provider,
    from: thread.businessNumber,
    to: thread.customerNumber,
    text: message.body,
    channel: message.channel,
    correlationId: message.id,
    idempotencyKey: message.id,
    replyTo: thread.lastInboundId,
    ...(message.options ? { options: message.options } : {}),
  };
}

/**
 * What became of an earlier attempt whose answer never came: the provider's record of it, `not-sent`
 * (it has none, or sends are idempotent so sending again is safe), or `unknowable`.
 */
async function earlierOutcome(
  provider: Provider,
  request: OutboundRequest,
  startedAt: string,
  pace: () => Promise<void> | undefined,
): Promise<SendResult | 'not-sent' | 'unknowable'> {
  if (!provider.findSent) return provider.idempotentSends ? 'not-sent' : 'unknowable';
  await pace();
  try {
    return (await provider.findSent(request, new Date(Date.parse(startedAt) - 60_000))) ?? 'not-sent';
  } catch (err) {
    // A look-up the provider refuses (an account without Sinch's reporting API answers 404) will
    // not answer later either; one that failed for now is asked again at the next attempt.
    if (err instanceof ProviderError && !err.retryable)
      return provider.idempotentSends ? 'not-sent' : 'unknowable';
    throw err;
  }
}

/** Neither sent again nor failed: the card says so and offers Retry, for the agent to decide. */
async function unconfirmed(store: Store, id: string, provider: Provider, why: string): Promise<void> {
  const name = PROVIDER_LABELS[provider.id];
  await store.applyStatus(id, {
    status: 'unconfirmed',
    reason: `Not confirmed: ${name} did not answer, ${why}. Retry sends it again (the customer may then get it twice).`,
    at: new Date().toISOString(),
  });
}

/** The provider took the message: for the agent that is "Sent", whatever word the provider used. */
async function record(
  store: Store,
  id: string,
  providerMessageId: string,
  status: Message['status'],
  vendorStatus?: string,
): Promise<void> {
  const accepted = status === 'queued' || status === 'unknown' || status === 'received' ? 'sent' : status;
  await store.applyStatus(id, {
    status: accepted,
    vendorStatus,
    at: new Date().toISOString(),
    providerMessageId,
  });
}
