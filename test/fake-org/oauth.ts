/**
 * OAuth 2.0 client credentials with a private-key JWT (`private_key_jwt`), as Okta's org
 * authorization server does it for service apps. The assertion is verified with node:crypto
 * against the app's registered public key. An app registered with `requireDpop` gets DPoP-bound
 * tokens only (RFC 9449, proofs checked in dpop.ts); any other app gets Bearer tokens.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type JsonWebKey as NodeJsonWebKey, type KeyObject } from 'node:crypto';
import { decodeSegment, DpopVerifier, NonceIssuer, NONCE_ROTATE_MS, type ProofCheck, type ProofExpectation } from './dpop';
import { oauthError, type Reply } from './replies';
import type { OAuthClientRegistration } from './types';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3600;

const ALGS: Record<string, { hash: string; keyType: 'rsa' | 'ec'; pss?: boolean }> = {
  RS256: { hash: 'sha256', keyType: 'rsa' },
  RS384: { hash: 'sha384', keyType: 'rsa' },
  RS512: { hash: 'sha512', keyType: 'rsa' },
  PS256: { hash: 'sha256', keyType: 'rsa', pss: true },
  ES256: { hash: 'sha256', keyType: 'ec' },
  ES384: { hash: 'sha384', keyType: 'ec' },
};

export interface TestOAuthClient {
  clientId: string;
  /** What the product is configured with: JWK JSON text or PEM text. */
  privateKey: string;
  keyId: string;
  /** Register this with `startFakeOrg({ oauthClients })`. */
  publicKey: JsonWebKey;
}

/** A fresh service app and key pair for a test. */
export function makeOAuthClient(opts: { format?: 'jwk' | 'pem'; alg?: 'RS256' | 'ES256' } = {}): TestOAuthClient {
  const keyId = `kid-${randomBytes(6).toString('hex')}`;
  const clientId = `0oa${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`;
  const pair =
    opts.alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = { ...pair.publicKey.export({ format: 'jwk' }), kid: keyId } as JsonWebKey;
  const privateKey =
    opts.format === 'pem'
      ? (pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)
      : JSON.stringify({ ...pair.privateKey.export({ format: 'jwk' }), kid: keyId });
  return { clientId, privateKey, keyId, publicKey };
}

export interface AssertionOptions {
  clientId: string;
  /** JWK JSON text or PEM text, as `makeOAuthClient` returns it. */
  privateKey: string;
  audience: string;
  /** Seconds from now; negative for an already expired assertion. Default 300. */
  expiresIn?: number;
  jti?: string;
  kid?: string;
  /** Override the issuer (default clientId), to test mismatches. */
  issuer?: string;
}

/** Signs a client assertion the way an Okta SDK does (RS256 for RSA keys, ES256 for P-256). */
export function signClientAssertion(o: AssertionOptions): string {
  const key = o.privateKey.trim().startsWith('{')
    ? createPrivateKey({ key: JSON.parse(o.privateKey) as NodeJsonWebKey, format: 'jwk' })
    : createPrivateKey(o.privateKey);
  const ec = key.asymmetricKeyType === 'ec';
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: ec ? 'ES256' : 'RS256', typ: 'JWT', ...(o.kid ? { kid: o.kid } : {}) };
  const claims = { iss: o.issuer ?? o.clientId, sub: o.clientId, aud: o.audience, iat: now, exp: now + (o.expiresIn ?? 300), jti: o.jti ?? randomBytes(12).toString('hex') };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const sig = sign('sha256', Buffer.from(input), ec ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${sig.toString('base64url')}`;
}

interface IssuedToken {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
  /** The RFC 7638 thumbprint of the key a DPoP token is bound to; absent for a Bearer token. */
  jkt?: string;
}

/** What the token endpoint needs beyond the form: the request's DPoP proof and the org's knobs. */
export interface TokenRequest {
  /** The `DPoP` header, if any. */
  dpop?: string;
  /** The method as received, and the target URI, which the proof must name. Default POST and the audience. */
  method?: string;
  htu?: string;
  /** Default 3600, Okta's. */
  lifetimeS?: number;
  nonceRotateMs?: number;
  now?: number;
}


export type BearerCheck = { ok: true; scopes: Set<string>; jkt?: string } | { ok: false };

export class OAuthServer {
  private readonly clients = new Map<string, { reg: OAuthClientRegistration; key: KeyObject }>();
  private readonly usedJti = new Map<string, number>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly proofs = new DpopVerifier();
  private readonly nonces = new NonceIssuer();

  constructor(registrations: OAuthClientRegistration[]) {
    for (const reg of registrations) {
      const key = typeof reg.publicKey === 'string' ? createPublicKey(reg.publicKey) : createPublicKey({ key: reg.publicKey as NodeJsonWebKey, format: 'jwk' });
      this.clients.set(reg.clientId, { reg, key });
    }
  }

  /** `POST /oauth2/v1/token` with a form body. */
  token(form: URLSearchParams, audience: string, request: TokenRequest = {}): Reply {
    const now = request.now ?? Date.now();
    const lifetimeS = request.lifetimeS ?? TOKEN_LIFETIME_S;
    if (!(lifetimeS > 0)) throw new Error(`tokenLifetimeS must be > 0, got ${lifetimeS}`);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
    }
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !assertion) {
      return oauthError(400, 'invalid_request', `client_assertion_type must be ${ASSERTION_TYPE} with a client_assertion.`);
    }
    const parts = assertion.split('.');
    const header = parts.length === 3 ? decodeSegment(parts[0]) : undefined;
    const claims = parts.length === 3 ? decodeSegment(parts[1]) : undefined;
    if (!header || !claims) return oauthError(401, 'invalid_client', 'The client_assertion is not a well-formed JWT.');
    const client = typeof claims.iss === 'string' ? this.clients.get(claims.iss) : undefined;
    if (!client || claims.sub !== claims.iss) return oauthError(401, 'invalid_client', 'The client_assertion iss and sub must both be the client_id of a registered app.');
    if (form.has('client_id') && form.get('client_id') !== claims.iss) return oauthError(401, 'invalid_client', 'client_id does not match the client_assertion issuer.');

    const alg = typeof header.alg === 'string' ? ALGS[header.alg] : undefined;
    if (!alg || alg.keyType !== client.key.asymmetricKeyType) return oauthError(401, 'invalid_client', `The client_assertion alg "${String(header.alg)}" does not fit the registered key.`);
    const regKid = (client.reg.publicKey as JsonWebKey & { kid?: string }).kid;
    if (typeof header.kid === 'string' && typeof regKid === 'string' && header.kid !== regKid) {
      return oauthError(401, 'invalid_client', 'The client_assertion kid does not match a registered key.');
    }
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    const keyOpts = alg.keyType === 'ec' ? { key: client.key, dsaEncoding: 'ieee-p1363' as const } : alg.pss ? { key: client.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : client.key;
    let valid: boolean;
    try {
      valid = verify(alg.hash, signed, keyOpts, signature);
    } catch {
      // A signature of the wrong length for the key throws rather than returning false.
      valid = false;
    }
    if (!valid) return oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');

    const aud = claims.aud;
    if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience)))) {
      return oauthError(401, 'invalid_client', `The audience claim for client_assertion must be the endpoint invoked for the request (${audience}).`);
    }
    const nowS = Math.floor(now / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= nowS) return oauthError(401, 'invalid_client', 'The client_assertion token is expired.');
    if (claims.exp > nowS + 3600) return oauthError(401, 'invalid_client', 'The client_assertion exp must be within one hour.');
    if (typeof claims.jti !== 'string' || claims.jti === '') return oauthError(401, 'invalid_client', 'The client_assertion must carry a jti.');

    // Before the assertion's jti is spent: Okta does not say whether a nonce round spends it, and a
    // client that re-sends the same assertion with the nonce should not fail here if Okta lets it pass.
    let jkt: string | undefined;
    if (client.reg.requireDpop || client.reg.dpopNonceLoop) {
      const bound = this.dpopBinding(client.reg, { method: request.method ?? 'POST', url: request.htu ?? audience, now }, request);
      if (typeof bound !== 'string') return bound;
      jkt = bound;
    }
    const jtiKey = `${claims.iss}:${claims.jti}`;
    for (const [k, exp] of this.usedJti) if (exp <= nowS) this.usedJti.delete(k);
    if (this.usedJti.has(jtiKey)) return oauthError(401, 'invalid_client', 'The client_assertion token has already been used.');
    this.usedJti.set(jtiKey, claims.exp);

    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (asked.length === 0) return oauthError(400, 'invalid_scope', "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    const refused = asked.filter((s) => !client.reg.scopes.includes(s));
    if (refused.length) return oauthError(400, 'invalid_scope', `The following scopes are not allowed: ${refused.join(', ')}`);

    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { clientId: client.reg.clientId, scopes: new Set(asked), expiresAt: now + lifetimeS * 1000, jkt });
    return {
      status: 200,
      body: JSON.stringify({ token_type: jkt ? 'DPoP' : 'Bearer', expires_in: lifetimeS, access_token: accessToken, scope: asked.join(' ') }),
    };
  }

  /** The key thumbprint to bind the token to, or the 400 Okta answers instead (RFC 9449 §5, §8). */
  private dpopBinding(reg: OAuthClientRegistration, expect: ProofExpectation, request: TokenRequest): string | Reply {
    const check = this.proofs.check(request.dpop, expect);
    if (!check.ok) return oauthError(400, 'invalid_dpop_proof', check.description);
    const rotateMs = request.nonceRotateMs ?? NONCE_ROTATE_MS;
    if (reg.dpopNonceLoop || !this.nonces.accepts(check.nonce, expect.now, rotateMs)) {
      const reply = oauthError(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.');
      const nonce = reg.dpopNonceLoop ? this.nonces.mint(expect.now, rotateMs) : this.nonces.current(expect.now, rotateMs);
      reply.headers = { 'dpop-nonce': nonce, 'cache-control': 'no-cache, no-store', pragma: 'no-cache' };
      return reply;
    }
    return check.jkt;
  }

  /** Whether an access token is ours and unexpired; `jkt` says it is DPoP-bound. */
  bearer(token: string, now = Date.now()): BearerCheck {
    const t = this.tokens.get(token);
    if (!t || t.expiresAt <= now) return { ok: false };
    return { ok: true, scopes: t.scopes, ...(t.jkt ? { jkt: t.jkt } : {}) };
  }

  /** A DPoP proof on an API request (nonces are not asked for there: Okta's DPoP guide). */
  checkProof(proof: string | undefined, expect: ProofExpectation): ProofCheck {
    return this.proofs.check(proof, expect);
  }

  /** Returns whether the token was one of ours. */
  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }
}
