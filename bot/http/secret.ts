/**
 * Webhook secrets, in the three forms the providers can be set up to send: header
 * X-Webhook-Secret, query parameter `secret`, or the password of HTTP Basic auth.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface SecretCarrier {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
}

function presentedSecrets(req: SecretCarrier): string[] {
  const found: string[] = [];
  const header = req.headers['x-webhook-secret'];
  if (typeof header === 'string') found.push(header);
  if (req.query['secret']) found.push(req.query['secret']);
  const auth = req.headers['authorization'];
  if (typeof auth === 'string' && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) found.push(decoded.slice(colon + 1));
  }
  return found;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * The check of one configured secret, in constant time: both sides are hashed first, so neither
 * length nor content leaks by timing. The secret's hash is computed once; each request hashes
 * only what it presents.
 */
export function secretChecker(expected: string): (req: SecretCarrier) => boolean {
  const expectedDigest = digest(expected);
  return (req) => {
    // Every candidate is compared, so timing does not tell which form matched.
    let ok = false;
    for (const candidate of presentedSecrets(req))
      ok = timingSafeEqual(digest(candidate), expectedDigest) || ok;
    return ok;
  };
}
