/**
 * A local stand-in for the Bot Framework's token issuer: an OpenID metadata document and JWKS on
 * loopback, and RS256 tokens signed with its key, so JWT checks run for real without Entra.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ISSUER = 'https://api.botframework.com';

export interface TokenIssuer {
  metadataUrl: string;
  token(claims: Record<string, unknown>, opts?: { key?: KeyObject; kid?: string }): string;
  close(): Promise<void>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = 'test-key-1';
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openidconfiguration') {
      res.end(
        JSON.stringify({
          issuer: ISSUER,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/keys') {
      res.end(
        JSON.stringify({
          keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }],
        }),
      );
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    token(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid };
      const payload = { iss: ISSUER, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims };
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const input = `${part(header)}.${part(payload)}`;
      const signature = sign('RSA-SHA256', Buffer.from(input), opts.key ?? privateKey).toString('base64url');
      return `${input}.${signature}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
