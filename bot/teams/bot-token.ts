/**
 * Checks the Bot Framework token on /api/messages, in our own words and with our own status codes:
 * botbuilder answers 500 (with the fetch error in the body) when the signing keys cannot be fetched
 * and for a token signed with an unknown key.
 *
 * Everything that can be checked without the keys is checked first (alg, kid, issuer, audience,
 * lifetime, the serviceurl claim), so a forged or stale token costs nobody a request. Then the
 * signature is verified with the keys of BOT_OPENID_METADATA_URL (cached for a day; an unknown
 * `kid` fetches them again, at most every 30 s). Keys that cannot be fetched answer 503, which the
 * Bot Connector retries.
 *
 * The claims follow botframework-connector's ChannelValidation: `iss` is the channel issuer,
 * `aud` the bot's app id, `serviceurl` the activity's serviceUrl, and a key's `endorsements` (when
 * it has them) include the activity's channelId.
 */
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
  type RemoteJWKSet,
} from 'jose';
import type { BotTokenConfig } from '../config/bot-auth.ts';

export type TokenCheck = { ok: true; claims: JWTPayload } | { ok: false; status: 401 | 503; reason: string };

export interface TokenVerifierOptions {
  appId: string;
  token: BotTokenConfig;
  /** Timeout of each metadata or key fetch. */
  timeoutMs?: number;
}

/** What the activity says about itself that the token must agree with. */
export interface TokenSubject {
  serviceUrl: string;
  channelId: string;
}

/** The algorithms botframework-connector allows (AuthenticationConstants.AllowedSigningAlgorithms). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** botframework-connector accepts tokens five minutes either side of their lifetime. */
const CLOCK_SKEW_S = 300;
const DAY_MS = 24 * 60 * 60 * 1000;

const refuse = (reason: string): TokenCheck => ({ ok: false, status: 401, reason });
const unavailable = (reason: string): TokenCheck => ({ ok: false, status: 503, reason });

export function botTokenVerifier(options: TokenVerifierOptions) {
  const keys = new SigningKeys(options.token.openIdMetadataUrl, options.timeoutMs ?? 5_000);
  return async (authorization: string | undefined, subject: TokenSubject): Promise<TokenCheck> => {
    const structural = checkStructure(authorization, subject, options);
    if (typeof structural !== 'string') return structural;
    const token = structural;
    let jwks: RemoteJWKSet;
    try {
      jwks = await keys.set();
    } catch (err) {
      return unavailable(`the Bot Framework signing keys could not be fetched (${describe(err)})`);
    }
    let claims: JWTPayload;
    let kid: string | undefined;
    try {
      const verified = await jwtVerify(token, jwks, {
        issuer: options.token.issuer,
        audience: options.appId,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_SKEW_S,
      });
      claims = verified.payload;
      kid = verified.protectedHeader.kid;
    } catch (err) {
      if (isFetchFailure(err))
        return unavailable(`the Bot Framework signing keys could not be fetched (${describe(err)})`);
      if (err instanceof errors.JWKSNoMatchingKey) return refuse('the token is signed with an unknown key');
      if (err instanceof errors.JWSSignatureVerificationFailed)
        return refuse('the token signature does not match its key');
      if (err instanceof errors.JOSEError) return refuse(`the token is not valid (${err.code})`);
      return refuse('the token could not be verified');
    }
    const jwk = jwks.jwks()?.keys.find((k) => k.kid === kid) as { endorsements?: unknown } | undefined;
    const endorsements = jwk?.endorsements;
    if (Array.isArray(endorsements) && !endorsements.includes(subject.channelId))
      return refuse(`the signing key is not endorsed for the channel "${subject.channelId}"`);
    return { ok: true, claims };
  };
}

/** The bearer token when its shape and claims can be right, or the refusal. Contacts nobody. */
function checkStructure(
  authorization: string | undefined,
  subject: TokenSubject,
  options: TokenVerifierOptions,
): string | TokenCheck {
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/.exec(authorization ?? '');
  const token = match?.[1];
  if (!token) return refuse('a Bot Framework token (Authorization: Bearer …) is required');
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    return refuse('the token is not a JWT');
  }
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg))
    return refuse(`tokens signed with "${String(header.alg)}" are not accepted`);
  if (typeof header.kid !== 'string' || header.kid === '') return refuse('the token names no signing key');
  if (claims.iss !== options.token.issuer) return refuse('the token was issued by someone else');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.appId)) return refuse('the token is for another bot');
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp < now - CLOCK_SKEW_S)
    return refuse('the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now + CLOCK_SKEW_S)
    return refuse('the token is not valid yet');
  if ((claims as Record<string, unknown>)['serviceurl'] !== subject.serviceUrl)
    return refuse('the token was issued for another service URL');
  return token;
}

/** The OpenID metadata's key set, looked up once a day; a failed look-up is tried again next time. */
class SigningKeys {
  private current: { jwks: RemoteJWKSet; at: number } | undefined;
  private pending: Promise<RemoteJWKSet> | undefined;

  constructor(
    private readonly metadataUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async set(): Promise<RemoteJWKSet> {
    const current = this.current;
    if (current && Date.now() - current.at < DAY_MS) return current.jwks;
    this.pending ??= this.load().finally(() => {
      this.pending = undefined;
    });
    try {
      return await this.pending;
    } catch (err) {
      // Keys fetched before stay usable while the metadata cannot be read again.
      if (current) return current.jwks;
      throw err;
    }
  }

  private async load(): Promise<RemoteJWKSet> {
    const res = await fetch(this.metadataUrl, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`the OpenID metadata answered ${res.status}`);
    }
    const metadata = (await res.json()) as { jwks_uri?: unknown };
    if (typeof metadata.jwks_uri !== 'string') throw new Error('the OpenID metadata has no jwks_uri');
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), {
      timeoutDuration: this.timeoutMs,
      cacheMaxAge: DAY_MS,
    });
    this.current = { jwks, at: Date.now() };
    return jwks;
  }
}

/** The key set could not be read: a network failure, a timeout, a non-200 or unreadable answer. */
function isFetchFailure(err: unknown): boolean {
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return true;
  // jose's plain JOSEError is what its key fetch throws for a non-200 or non-JSON answer.
  if (err instanceof errors.JOSEError) return err.code === 'ERR_JOSE_GENERIC';
  return err instanceof TypeError && err.message === 'fetch failed';
}

/** A fetch failure in a few words: never a stack, never more than the cause's message. */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
}
