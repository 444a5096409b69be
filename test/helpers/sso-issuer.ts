/**
 * A local stand-in for Entra ID as the Inbox tab's SSO sees it: an OpenID metadata document
 * (issuer as the common endpoint's template) and its JWKS on loopback, and Teams SSO tokens
 * signed with its key, v2 by default (teams-tab.md §5, §10).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export const ISSUER_TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';

export interface SsoTokenOptions {
  tid: string;
  oid: string;
  name?: string;
  aud: string;
  ver?: '1.0' | '2.0';
  scp?: string;
  iss?: string;
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  /** Sign with another key than the one the JWKS publishes. */
  foreignKey?: boolean;
  extra?: JWTPayload;
}

export interface SsoIssuer {
  metadataUrl: string;
  token(opts: SsoTokenOptions): Promise<string>;
  /** How many times the metadata and the keys were fetched. */
  fetches: { metadata: number; keys: number };
  close(): Promise<void>;
}

export async function startSsoIssuer(): Promise<SsoIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'sso-key-1', alg: 'RS256', use: 'sig' };
  const fetches = { metadata: 0, keys: 0 };
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v2.0/.well-known/openid-configuration') {
      fetches.metadata += 1;
      res.end(JSON.stringify({ issuer: ISSUER_TEMPLATE, jwks_uri: `${base}/discovery/v2.0/keys` }));
    } else if (req.url === '/discovery/v2.0/keys') {
      fetches.keys += 1;
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v2.0/.well-known/openid-configuration`,
    fetches,
    async token(o) {
      const ver = o.ver ?? '2.0';
      const iss =
        o.iss ??
        (ver === '1.0' ? `https://sts.windows.net/${o.tid}/` : ISSUER_TEMPLATE.replace('{tenantid}', o.tid));
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = o.expiresIn ?? 3600;
      return new SignJWT({
        ver,
        tid: o.tid,
        oid: o.oid,
        scp: o.scp ?? 'access_as_user',
        name: o.name ?? 'Alex Wilber',
        ...o.extra,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'sso-key-1', typ: 'JWT' })
        .setAudience(o.aud)
        .setIssuer(iss)
        .setIssuedAt(now - 300)
        .setNotBefore(now - 300)
        .setExpirationTime(now + expiresIn)
        .sign(o.foreignKey ? other.privateKey : privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
