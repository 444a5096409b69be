/**
 * Load generation over loopback with undici: Sinch received-SMS webhooks, a closed loop at fixed
 * concurrency (throughput) and an open loop at a fixed rate (latency without coordinated omission).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

export const WEBHOOK_PATH = '/webhooks/sinch';
export const BUSINESS_NUMBER = '+61491570156';

/** One handset per customer (Ofcom's drama range), each with the id of the last message sent to it. */
function customers(count: number): Array<{ number: string; lastMessageId: string }> {
  return Array.from({ length: count }, (_, i) => ({
    number: `+44770090${String(i).padStart(4, '0')}`,
    lastMessageId: randomUUID(),
  }));
}

/** Builds request bodies ahead of time, so the timed loop only sends. */
export class PayloadFactory {
  private readonly handsets: Array<{ number: string; lastMessageId: string }>;
  private seq = 0;

  constructor(customerCount: number) {
    this.handsets = customers(customerCount);
  }

  /** The documented default payload of a received SMS, with a fresh reply_id each time. */
  next(): string {
    const n = this.seq++;
    const handset = this.handsets[n % this.handsets.length]!;
    return JSON.stringify({
      account_id: 'BenchAccount001',
      reply_id: randomUUID(),
      destination_number: BUSINESS_NUMBER,
      source_number: handset.number,
      date_received: new Date().toISOString(),
      message_id: handset.lastMessageId,
      content: `Hello, this is message ${n}: is my order ready to be picked up this afternoon?`,
      metadata: { tb_message_id: handset.lastMessageId },
    });
  }

  batch(count: number): string[] {
    return Array.from({ length: count }, () => this.next());
  }
}

export function createPool(url: string, connections: number): Pool {
  return new Pool(url, {
    connections,
    pipelining: 1,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    keepAliveTimeout: 60_000,
  });
}

export interface RunResult {
  requests: number;
  /** Answers with status 200. */
  ok: number;
  /** Answers with any other status, by status. */
  other: Record<string, number>;
  /** Requests that got no answer (connection errors, timeouts). */
  failed: number;
  firstError?: string;
  elapsedMs: number;
  /** Per-request latency in ms, in request order. */
  latencies: Float64Array;
}

interface Tally {
  ok: number;
  other: Record<string, number>;
  failed: number;
  firstError?: string;
}

const hrMs = (from: bigint, to: bigint) => Number(to - from) / 1e6;

async function send(pool: Pool, body: string, secret: string, tally: Tally): Promise<void> {
  try {
    const res = await pool.request({
      path: WEBHOOK_PATH,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
      body,
    });
    await res.body.dump();
    if (res.statusCode === 200) tally.ok += 1;
    else tally.other[res.statusCode] = (tally.other[res.statusCode] ?? 0) + 1;
  } catch (err) {
    tally.failed += 1;
    tally.firstError ??= (err as Error).message;
  }
}

/** Closed loop: `concurrency` senders, each sending its next request as soon as the last is answered. */
export async function closedLoop(
  pool: Pool,
  bodies: readonly string[],
  secret: string,
  concurrency: number,
): Promise<RunResult> {
  const latencies = new Float64Array(bodies.length);
  const tally: Tally = { ok: 0, other: {}, failed: 0 };
  let next = 0;
  const started = process.hrtime.bigint();
  const sender = async () => {
    while (next < bodies.length) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await send(pool, bodies[i]!, secret, tally);
      latencies[i] = hrMs(t0, process.hrtime.bigint());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, sender));
  return {
    requests: bodies.length,
    ...tally,
    elapsedMs: hrMs(started, process.hrtime.bigint()),
    latencies,
  };
}

export interface FixedRateResult extends RunResult {
  /** Latency from the moment each request was due (includes any wait in the generator or pool). */
  latencies: Float64Array;
  /** Latency from the moment each request was handed to the pool. */
  serviceLatencies: Float64Array;
  /** How late the generator handed requests over, worst case, in ms. */
  maxDispatchLagMs: number;
  /** Requests sent per second over the sending period. */
  achievedRate: number;
}

/**
 * Open loop: request i is due at start + i/rate whatever happened to the ones before. A 1 ms timer
 * sends everything due so far, so timer jitter does not lower the rate.
 */
export async function fixedRate(
  pool: Pool,
  bodies: readonly string[],
  secret: string,
  ratePerSecond: number,
): Promise<FixedRateResult> {
  const n = bodies.length;
  const latencies = new Float64Array(n);
  const serviceLatencies = new Float64Array(n);
  const tally: Tally = { ok: 0, other: {}, failed: 0 };
  const intervalNs = BigInt(Math.round(1e9 / ratePerSecond));
  const inflight: Array<Promise<void>> = [];
  let issued = 0;
  let maxLag = 0;
  let lastDispatch = 0n;
  const start = process.hrtime.bigint() + 5_000_000n;

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      while (issued < n) {
        const due = start + BigInt(issued) * intervalNs;
        if (due > now) break;
        const i = issued++;
        const dispatched = process.hrtime.bigint();
        lastDispatch = dispatched;
        maxLag = Math.max(maxLag, hrMs(due, dispatched));
        inflight.push(
          send(pool, bodies[i]!, secret, tally).then(() => {
            const done = process.hrtime.bigint();
            latencies[i] = hrMs(due, done);
            serviceLatencies[i] = hrMs(dispatched, done);
          }),
        );
      }
      if (issued >= n) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  await Promise.all(inflight);
  const sendingSeconds = Math.max(hrMs(start, lastDispatch), 1) / 1000;
  return {
    requests: n,
    ...tally,
    elapsedMs: hrMs(start, process.hrtime.bigint()),
    latencies,
    serviceLatencies,
    maxDispatchLagMs: maxLag,
    achievedRate: n > 1 ? (n - 1) / sendingSeconds : n,
  };
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles in ms. */
export function summarize(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}
