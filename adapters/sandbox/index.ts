/**
 * The sandbox provider: no account, no network. Outbound messages move queued → sent → a final
 * state chosen by the destination (see outcomes.ts); inbound messages are injected locally.
 * Receipts are pushed through `emit` like a provider's webhook would, and can be polled too.
 */
import type { DeliveryReceipt, Provider, SendResult, WebhookEvent } from '../types.ts';
import { parseSandboxInbound, SANDBOX_BUSINESS_NUMBER } from './inbound.ts';
import { DEFAULT_TIMINGS, newSandboxId, type SandboxTimings, statusAt } from './message-id.ts';
import { outcomeFor } from './outcomes.ts';

export { SANDBOX_BUSINESS_NUMBER } from './inbound.ts';
export { SANDBOX_NUMBERS } from './outcomes.ts';

export interface SandboxOptions {
  /** Where receipts go; the bot passes its ingest. */
  emit: (events: WebhookEvent[]) => Promise<unknown>;
  timings?: SandboxTimings;
  onEmitError?: (err: unknown) => void;
}

export function createSandboxProvider(options: SandboxOptions): Provider {
  const timings = options.timings ?? DEFAULT_TIMINGS;

  function receipt(id: string, correlationId: string | undefined, now: number): DeliveryReceipt | undefined {
    const { status, outcome } = statusAt(id, now, timings);
    if (status === 'unknown' || status === 'queued') return undefined;
    return {
      kind: 'receipt',
      provider: 'sandbox',
      providerMessageId: id,
      receiptId: `${id}:${status}`,
      status,
      vendorStatus: status,
      ...(outcome?.code ? { code: outcome.code } : {}),
      ...(outcome?.reason ? { reason: outcome.reason } : {}),
      at: new Date(now).toISOString(),
      ...(correlationId ? { correlationId } : {}),
      raw: { sandbox: true, id, status },
    };
  }

  function schedule(id: string, correlationId: string) {
    for (const delay of [timings.sentMs, timings.finalMs]) {
      setTimeout(() => {
        const r = receipt(id, correlationId, Date.now());
        if (r) options.emit([r]).catch((err: unknown) => options.onEmitError?.(err));
      }, delay + 5).unref();
    }
  }

  return {
    id: 'sandbox',
    idempotentSends: true,
    maxBatch: 100,
    fictionalNumbers: true,
    defaultSender: SANDBOX_BUSINESS_NUMBER,
    async send(requests) {
      return requests.map((req): SendResult => {
        const id = newSandboxId(outcomeFor(req.to));
        schedule(id, req.correlationId);
        return {
          correlationId: req.correlationId,
          providerMessageId: id,
          status: 'queued',
          vendorStatus: 'accepted',
        };
      });
    },
    async getStatus(providerMessageId) {
      const { status, outcome } = statusAt(providerMessageId, Date.now(), timings);
      return {
        providerMessageId,
        status,
        vendorStatus: status,
        ...(outcome?.reason ? { reason: outcome.reason } : {}),
        raw: { sandbox: true },
      };
    },
    parseWebhook: (request) => parseSandboxInbound(request),
    textLimits: { sms: { maxChars: 1600, source: 'the sandbox takes at most 1,600 characters' } },
    capabilities: {
      senders: {
        async listSenders() {
          return [
            {
              id: SANDBOX_BUSINESS_NUMBER,
              label: 'Sandbox number (no real messages)',
              kind: 'number',
              isDefault: true,
            },
          ];
        },
      },
      reconcile: {
        async pollStatus(ids) {
          const now = Date.now();
          return ids
            .map((id) => receipt(id, undefined, now))
            .filter((r): r is DeliveryReceipt => r !== undefined);
        },
      },
    },
  };
}
