/**
 * Sends the messages that are ready within a moment of each other in one provider call (Sinch
 * takes 100 a call, Retarus one job of many, SmartDialog one call per distinct text), within the
 * provider's rate limit. Sends linger: a call goes once no send joined for `quietMs`, once the
 * first waited `lingerMs`, or once it is full. Answers an agent team sends together reach here
 * over a second or two (each a Teams activity, a commit and a job), so a quiet moment, not a
 * fixed window, marks the end of a batch. A batch the provider refuses as a whole is sent again
 * message by message, so one bad number does not fail its neighbours.
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
  private quiet: NodeJS.Timeout | undefined;
  private linger: NodeJS.Timeout | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly pace: () => Promise<void>,
    private readonly quietMs = 50,
    private readonly lingerMs = 1_000,
  ) {}

  send(request: OutboundRequest, beforeCall: () => Promise<void>): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, beforeCall, resolve, reject });
      if (this.waiting.length >= this.provider.maxBatch) {
        // A full call need not wait for more.
        this.flush();
        return;
      }
      clearTimeout(this.quiet);
      this.quiet = setTimeout(() => this.flush(), this.quietMs);
      this.linger ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  /**
   * Sends what is waiting now, in calls of at most maxBatch. Sends that arrive while these calls
   * wait for the rate limit or for the provider gather for a call of their own (their own quiet
   * moment or linger), rather than each call taking the few that came in the meantime.
   */
  private flush(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.linger);
    this.quiet = undefined;
    this.linger = undefined;
    void this.sendAll(this.waiting.splice(0));
  }

  private async sendAll(due: Waiting[]): Promise<void> {
    const size = Math.max(1, this.provider.maxBatch);
    for (let at = 0; at < due.length; at += size) {
      const batch = due.slice(at, at + size);
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
