/**
 * SmartDialog calls DlrUrl with GET and keeps the query values we put on it (swagger, DlrUrl),
 * while the report's own parameters are NOT FOUND (providers README §3.4). So our message id
 * rides in the URL itself and comes back on every report.
 */

/** The query parameter carrying our message id (the same name as Sinch's metadata key). */
export const CORRELATION_PARAM = 'tb_message_id';

/**
 * Appends tb_message_id to `dlrUrl` as text, leaving the existing query (our webhook secret)
 * byte for byte as configured; re-serialising it through URLSearchParams could re-encode it.
 */
export function dlrUrlFor(dlrUrl: string, correlationId: string): string {
  const hash = dlrUrl.indexOf('#');
  const base = hash >= 0 ? dlrUrl.slice(0, hash) : dlrUrl;
  const fragment = hash >= 0 ? dlrUrl.slice(hash) : '';
  const joiner = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${joiner}${CORRELATION_PARAM}=${encodeURIComponent(correlationId)}${fragment}`;
}
