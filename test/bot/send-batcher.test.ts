import { describe, expect, it, vi } from 'vitest';
import { ProviderUnavailableError, ProviderValidationError } from '../../adapters/errors.ts';
import type { OutboundRequest, Provider, SendResult } from '../../adapters/types.ts';
import { SendBatcher } from '../../bot/worker/send-batcher.ts';

function request(n: number): OutboundRequest {
  return {
    provider: 'sinch',
    to: `+6149157010${n}`,
    text: `message ${n}`,
    channel: 'sms',
    correlationId: `m${n}`,
    idempotencyKey: `m${n}`,
  };
}

function fakeProvider(maxBatch: number, behave?: (batch: OutboundRequest[]) => void) {
  const calls: string[][] = [];
  const provider = {
    id: 'sinch',
    maxBatch,
    capabilities: {},
    async send(batch: OutboundRequest[]): Promise<SendResult[]> {
      calls.push(batch.map((r) => r.correlationId));
      behave?.(batch);
      return batch.map((r) => ({
        correlationId: r.correlationId,
        providerMessageId: `p-${r.correlationId}`,
        status: 'queued',
      }));
    },
  } as unknown as Provider;
  return { provider, calls };
}

describe('SendBatcher', () => {
  it('sends the messages ready at the same moment in one call, within maxBatch', async () => {
    const { provider, calls } = fakeProvider(2);
    let paced = 0;
    const started: string[] = [];
    const batcher = new SendBatcher(provider, async () => {
      paced++;
    });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => batcher.send(request(n), async () => void started.push(`m${n}`))),
    );
    expect(calls).toEqual([['m1', 'm2'], ['m3', 'm4'], ['m5']]);
    expect(paced).toBe(3);
    expect(started).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(results.map((r) => r.providerMessageId)).toEqual(['p-m1', 'p-m2', 'p-m3', 'p-m4', 'p-m5']);
  });

  it('sends once no send joined for a moment, or once the first waited long enough', async () => {
    vi.useFakeTimers();
    try {
      const { provider, calls } = fakeProvider(100);
      const batcher = new SendBatcher(provider, async () => {}, 50, 1_000);
      const sent = [batcher.send(request(1), async () => {})];
      await vi.advanceTimersByTimeAsync(40);
      sent.push(batcher.send(request(2), async () => {}));
      await vi.advanceTimersByTimeAsync(40);
      sent.push(batcher.send(request(3), async () => {}));
      await vi.advanceTimersByTimeAsync(49);
      expect(calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all(sent);
      expect(calls).toEqual([['m1', 'm2', 'm3']]);
      // A steady trickle never goes quiet: the first of it waits at most a second.
      const trickle: Array<Promise<unknown>> = [];
      for (let n = 4; n < 30; n++) {
        trickle.push(batcher.send(request(n), async () => {}));
        await vi.advanceTimersByTimeAsync(40);
      }
      expect(calls).toHaveLength(2);
      expect(calls[1]).toHaveLength(25);
      await vi.advanceTimersByTimeAsync(50);
      await Promise.all(trickle);
      expect(calls.flat()).toHaveLength(29);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gathers the sends that arrive while a full call waits into a call of their own', async () => {
    vi.useFakeTimers();
    try {
      const { provider, calls } = fakeProvider(3);
      let releasePace: () => void = () => {};
      let paced = 0;
      const batcher = new SendBatcher(
        provider,
        () => (paced++ === 0 ? new Promise<void>((r) => (releasePace = r)) : Promise.resolve()),
        50,
        1_000,
      );
      // A full call goes at once and waits for the rate limit; five more arrive 10 ms apart.
      const sent = [1, 2, 3].map((n) => batcher.send(request(n), async () => {}));
      for (let n = 4; n <= 8; n++) {
        await vi.advanceTimersByTimeAsync(10);
        if (n === 5) releasePace();
        sent.push(batcher.send(request(n), async () => {}));
      }
      await vi.advanceTimersByTimeAsync(49);
      expect(calls).toEqual([
        ['m1', 'm2', 'm3'],
        ['m4', 'm5', 'm6'],
      ]);
      await vi.advanceTimersByTimeAsync(1);
      await Promise.all(sent);
      expect(calls).toEqual([
        ['m1', 'm2', 'm3'],
        ['m4', 'm5', 'm6'],
        ['m7', 'm8'],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a refused batch again one by one, so only the bad message fails', async () => {
    const { provider, calls } = fakeProvider(100, (batch) => {
      if (batch.some((r) => r.correlationId === 'm2')) {
        throw new ProviderValidationError('destination_number is invalid', 'sinch', 400);
      }
    });
    const batcher = new SendBatcher(provider, async () => {});
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => batcher.send(request(n), async () => {})));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['m1', 'm2', 'm3'], ['m1'], ['m2'], ['m3']]);
    const rejected = outcomes[1] as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ProviderValidationError);
  });

  it('fails the whole batch on an outage, for each job to retry', async () => {
    const { provider, calls } = fakeProvider(100, () => {
      throw new ProviderUnavailableError('Sinch answered 503', 'sinch', 503);
    });
    const batcher = new SendBatcher(provider, async () => {});
    const outcomes = await Promise.allSettled([1, 2].map((n) => batcher.send(request(n), async () => {})));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(calls).toEqual([['m1', 'm2']]);
  });
});
