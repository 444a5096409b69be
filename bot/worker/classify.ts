/**
 * Decides retry or give-up for any error a job can meet: our typed provider errors, the Bot
 * Connector's RestError (which has already retried 429s itself, teams.md §2), network errors.
 */
import { ProviderError, ProviderRateLimitError, ProviderUnavailableError } from '../../adapters/errors.ts';
import { ParkJob, PermanentJobError } from './job-errors.ts';

interface Verdict {
  action: 'retry' | 'fail' | 'park';
  retryAfterMs?: number;
  /** Plain words for a card and the log. */
  reason: string;
}

const RETRYABLE_HTTP = new Set([408, 412, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function classify(err: unknown): Verdict {
  if (err instanceof ParkJob) return { action: 'park', reason: err.message };
  if (err instanceof PermanentJobError) return { action: 'fail', reason: err.message };
  if (err instanceof ProviderError) {
    const retryAfterMs =
      err instanceof ProviderRateLimitError || err instanceof ProviderUnavailableError
        ? err.retryAfterMs
        : undefined;
    return { action: err.retryable ? 'retry' : 'fail', retryAfterMs, reason: err.message };
  }
  const e = err as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get?(n: string): string | undefined } };
  };
  if (typeof e?.statusCode === 'number') {
    const retryAfter = e.response?.headers?.get?.('retry-after');
    const retryAfterMs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
    const reason = `Teams answered ${e.statusCode}${e.code ? ` ${e.code}` : ''}: ${e.message ?? ''}`.trim();
    return { action: RETRYABLE_HTTP.has(e.statusCode) ? 'retry' : 'fail', retryAfterMs, reason };
  }
  const code = e?.code ?? (e as { cause?: { code?: string } })?.['cause']?.code;
  if (code && (NETWORK_CODES.has(code) || code === 'REQUEST_SEND_ERROR')) {
    return { action: 'retry', reason: `network error (${code}): ${e.message ?? ''}` };
  }
  return { action: 'retry', reason: e?.message ?? String(err) };
}
