/**
 * Teams SSO tokens of the Inbox tab (authentication.getAuthToken()), checked with jose against
 * the OpenID metadata at SSO_OPENID_METADATA_URL: signature (the metadata's JWKS), expiry,
 * audience (the app's SSO resource or its bare id), issuer of the token's own tenant (v1 and
 * v2 tokens), scope access_as_user, and a tenant the bot serves. Identity only: no OBO.
 * Facts: ../shared/teams-tab.md §5 and §10; entra-docs access-tokens.md "Validate tokens".
 */
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

export interface SsoUser {
  /** Entra object id: the same in every tenant-scoped token of the user (never `sub`, it is pairwise). */
  oid: string;
  tid: string;
  name: string;
}

export type SsoFailure =
  | 'missing'
  | 'malformed'
  | 'signature'
  | 'expired'
  | 'audience'
  | 'issuer'
  | 'scope'
  | 'tenant';

/** The caller is not authenticated: 401 with this reason. */
export class SsoRejected extends Error {
  override name = 'SsoRejected';
  constructor(
    readonly reason: SsoFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The signing keys cannot be had right now: 503, the caller may retry. */
export class SsoUnavailable extends Error {
  override name = 'SsoUnavailable';
}

export interface SsoOptions {
  metadataUrl: string;
  /** MicrosoftAppId: the audience of v2 tokens. */
  appId: string;
  /** api://<host>/botid-<appId>: the audience of v1 tokens (the tab's webApplicationInfo.resource). */
  resource?: string;
  /** Whether the bot serves this tenant (the bot's tenant rules). */
  tenantAllowed: (tenantId: string) => Promise<boolean>;
  /** Keys instead of the metadata's jwks_uri (tests). */
  keys?: JWTVerifyGetKey;
  timeoutMs?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPE = 'access_as_user';

interface Metadata {
  /** The v2 issuer, `{tenantid}` standing for the token's tenant on the common endpoints. */
  issuer: string;
  keys: JWTVerifyGetKey;
}

export type SsoVerifier = (token: string | undefined) => Promise<SsoUser>;

export function createSsoVerifier(opts: SsoOptions): SsoVerifier {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let metadata: Promise<Metadata> | undefined;
  const load = () => {
    metadata ??= fetchMetadata(opts, timeoutMs).catch((err: unknown) => {
      metadata = undefined; // the next request tries again
      throw err;
    });
    return metadata;
  };
  const audience = [opts.appId, ...(opts.resource ? [opts.resource] : [])];

  return async (token) => {
    if (!token) throw new SsoRejected('missing', 'no bearer token: sign in through Teams');
    const meta = await load();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, meta.keys, {
        audience,
        algorithms: ['RS256'],
        clockTolerance: 60,
      }));
    } catch (err) {
      throw translate(err);
    }
    const tid = typeof payload['tid'] === 'string' ? payload['tid'] : '';
    if (!GUID.test(tid)) throw new SsoRejected('issuer', 'the token names no tenant (tid)');
    // The common metadata's issuer is a template; the token must come from its own tenant.
    const expected =
      payload['ver'] === '1.0' ? `https://sts.windows.net/${tid}/` : meta.issuer.replace('{tenantid}', tid);
    if (payload.iss !== expected)
      throw new SsoRejected('issuer', `the token was issued by ${payload.iss}, not its tenant ${tid}`);
    const scopes = typeof payload['scp'] === 'string' ? payload['scp'].split(' ') : [];
    if (!scopes.includes(SCOPE)) throw new SsoRejected('scope', `the token lacks the ${SCOPE} scope`);
    const oid = typeof payload['oid'] === 'string' ? payload['oid'] : '';
    if (!GUID.test(oid)) throw new SsoRejected('malformed', 'the token names no user (oid)');
    if (!(await opts.tenantAllowed(tid)))
      throw new SsoRejected('tenant', `tenant ${tid} is not served by this bot`);
    const name = [payload['name'], payload['preferred_username'], payload['upn']].find(
      (v) => typeof v === 'string',
    );
    return { oid, tid, name: (name as string | undefined) ?? 'Agent' };
  };
}

async function fetchMetadata(opts: SsoOptions, timeoutMs: number): Promise<Metadata> {
  let body: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await fetch(opts.metadataUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = (await res.json()) as typeof body;
  } catch (err) {
    throw new SsoUnavailable(
      `the SSO metadata at ${opts.metadataUrl} cannot be read: ${(err as Error).message}`,
    );
  }
  if (typeof body.issuer !== 'string' || typeof body.jwks_uri !== 'string') {
    throw new SsoUnavailable(`the SSO metadata at ${opts.metadataUrl} has no issuer or jwks_uri`);
  }
  return {
    issuer: body.issuer,
    keys: opts.keys ?? createRemoteJWKSet(new URL(body.jwks_uri), { timeoutDuration: timeoutMs }),
  };
}

function translate(err: unknown): Error {
  if (err instanceof errors.JWTExpired) return new SsoRejected('expired', 'the token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud')
      return new SsoRejected('audience', 'the token is not meant for this app (audience)');
    return new SsoRejected('malformed', `the token's ${err.claim} claim is not valid`);
  }
  if (
    err instanceof errors.JWKSTimeout ||
    (err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC')
  )
    return new SsoUnavailable(`the SSO signing keys cannot be fetched: ${err.message}`);
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey)
    return new SsoRejected('signature', 'the token is not signed by a key of the identity provider');
  if (err instanceof errors.JOSEError)
    return new SsoRejected('malformed', `the token cannot be read (${err.code})`);
  if (err instanceof TypeError || err instanceof Error) {
    // createRemoteJWKSet rejects with a plain error when the JWKS URL does not answer.
    return new SsoUnavailable(`the SSO signing keys cannot be fetched: ${err.message}`);
  }
  return new SsoUnavailable(String(err));
}
