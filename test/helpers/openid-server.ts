/**
 * A local OpenID provider: an OpenID configuration document and its JWKS on loopback, and tokens
 * signed with its RSA key, so token checks run for real without Entra or the Bot Framework. The
 * issuer is the caller's (`https://api.botframework.com` for the Bot Connector, an Entra v2.0
 * issuer for Teams SSO).
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenIdServerOptions {
  issuer: string;
  /** Bot Framework keys carry the channels they are endorsed for. */
  endorsements?: string[];
}

export interface SignOptions {
  /** Sign with this key instead of the published one (a forger's key). */
  key?: KeyObject;
  /** The header's kid; the published key's by default. */
  kid?: string;
  /** RS256 by default; RS384 and RS512 sign with the same key. */
  alg?: 'RS256' | 'RS384' | 'RS512';
}

export type Availability =
  /** Answers the metadata and the keys. */
  | 'up'
  /** Answers 500 to everything. */
  | 'failing'
  /** Answers the metadata, 500 to the keys. */
  | 'keys-failing';

export interface OpenIdServer {
  issuer: string;
  metadataUrl: string;
  jwksUrl: string;
  /** The published key's id. */
  kid: string;
  /** A token with `claims` over the defaults (issuer, issued a minute ago, valid for an hour). */
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  setAvailability(mode: Availability): void;
  /** Requests received per path (`/metadata`, `/keys`). */
  readonly hits: Record<'metadata' | 'keys', number>;
  close(): Promise<void>;
}

const HASH = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' } as const;

export async function startOpenIdServer(options: OpenIdServerOptions): Promise<OpenIdServer> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = 'local-key-1';
  const hits = { metadata: 0, keys: 0 };
  let availability: Availability = 'up';
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const fail = () => {
      res.statusCode = 500;
      res.end('{"error":"unavailable"}');
    };
    if (path === '/metadata') {
      hits.metadata++;
      if (availability === 'failing') return fail();
      res.end(
        JSON.stringify({
          issuer: options.issuer,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
      return;
    }
    if (path === '/keys') {
      hits.keys++;
      if (availability !== 'up') return fail();
      const key = { kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e };
      res.end(
        JSON.stringify({
          keys: [options.endorsements ? { ...key, endorsements: options.endorsements } : key],
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: options.issuer,
    metadataUrl: `${base}/metadata`,
    jwksUrl: `${base}/keys`,
    kid,
    hits,
    sign(claims, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const now = Math.floor(Date.now() / 1000);
      const header = { alg, typ: 'JWT', kid: opts.kid ?? kid };
      const payload = { iss: options.issuer, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims };
      const input = `${b64(header)}.${b64(payload)}`;
      const signature = sign(HASH[alg], Buffer.from(input), opts.key ?? privateKey).toString('base64url');
      return `${input}.${signature}`;
    },
    setAvailability(mode) {
      availability = mode;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A part of a JWT: base64url of its JSON. */
export function b64(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}
