/**
 * Sends the messages that are ready within a moment of each other in one provider call (Sinch
 * takes 100 a call, Retarus one job of many, SmartDialog one call per distinct text), within the
 * provider's rate limit. The send jobs the worker claims together reach here a few store reads
 * apart, so the first of them waits `windowMs` for the others. A batch the provider refuses as a
 * whole is sent again message by message, so one bad number does not fail its neighbours.
 */
import { ProviderValidationError } from '../../adapters/errors.ts';
import type { OutboundRequest, Provider, SendResult } from '../../adapters/types.ts';

interface Waiting {
  request: OutboundRequest;
  /** Runs right before the call that carries this message goes out (marks it in flight). */
  beforeCall: () => Promise<void>;
  resolve: (result: SendResult) => void;
  reject: (err: unknown) => void;
}

export class SendBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly provider: Provider,
    private readonly pace: () => Promise<void>,
    private readonly windowMs = 50,
  ) {}

  send(request: OutboundRequest, beforeCall: () => Promise<void>): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, beforeCall, resolve, reject });
      if (this.waiting.length >= this.provider.maxBatch) {
        // A full call need not wait for more.
        void this.drain();
      } else if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => {
          this.scheduled = false;
          void this.drain();
        }, this.windowMs);
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, Math.max(1, this.provider.maxBatch));
      await this.call(batch).catch(async (err: unknown) => {
        if (err instanceof ProviderValidationError && batch.length > 1) {
          for (const one of batch) await this.call([one]).catch((e: unknown) => one.reject(e));
        } else {
          for (const one of batch) one.reject(err);
        }
      });
    }
  }

  private async call(batch: Waiting[]): Promise<void> {
    await this.pace();
    // Together, so the writes share one commit; all are durable before the call either way.
    await Promise.all(batch.map((one) => one.beforeCall()));
    const results = await this.provider.send(batch.map((w) => w.request));
    batch.forEach((one, i) => {
      const result = results[i];
      if (result) one.resolve(result);
      else
        one.reject(
          new Error(`${this.provider.id} returned no result for message ${i + 1} of ${batch.length}`),
        );
    });
  }
}
