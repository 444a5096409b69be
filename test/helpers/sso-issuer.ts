/**
 * Entra ID as the Inbox tab's SSO sees it, on the local OpenID provider (openid-server.ts): the
 * common endpoint's issuer template, and Teams SSO tokens (v2 by default, v1 on request) for a
 * user of a tenant (teams-tab.md §5, §10).
 */
import { generateKeyPairSync } from 'node:crypto';
import { type OpenIdServer, startOpenIdServer } from './openid-server.ts';

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
}

export interface SsoIssuer {
  metadataUrl: string;
  token(opts: SsoTokenOptions): Promise<string>;
  server: OpenIdServer;
  close(): Promise<void>;
}

export async function startSsoIssuer(): Promise<SsoIssuer> {
  const server = await startOpenIdServer({ issuer: ISSUER_TEMPLATE });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return {
    metadataUrl: server.metadataUrl,
    server,
    async token(o) {
      const ver = o.ver ?? '2.0';
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = o.expiresIn ?? 3600;
      return server.sign(
        {
          ver,
          iss:
            o.iss ??
            (ver === '1.0'
              ? `https://sts.windows.net/${o.tid}/`
              : ISSUER_TEMPLATE.replace('{tenantid}', o.tid)),
          aud: o.aud,
          tid: o.tid,
          oid: o.oid,
          scp: o.scp ?? 'access_as_user',
          name: o.name ?? 'Alex Wilber',
          iat: now - 300,
          nbf: now - 300,
          exp: now + expiresIn,
        },
        o.foreignKey ? { key: forger } : {},
      );
    },
    close: () => server.close(),
  };
}
