/**
 * DPoP proofs (RFC 9449) as Okta checks them at its token endpoint and on its APIs, and the nonces
 * its token endpoint hands out. Error descriptions copy Okta's words where an Okta answer has been
 * seen in public (see docs/fake-org.md, "DPoP"); the others follow the same pattern.
 */
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey as NodeJsonWebKey, type KeyObject } from 'node:crypto';

/** The algorithms Okta names in its `WWW-Authenticate: DPoP algs="…"` challenge. */
const ALGS: Record<string, { hash: string; kty: 'RSA' | 'EC'; crv?: string }> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  ES256: { hash: 'sha256', kty: 'EC', crv: 'P-256' },
  ES384: { hash: 'sha384', kty: 'EC', crv: 'P-384' },
  ES512: { hash: 'sha512', kty: 'EC', crv: 'P-521' },
};
export const DPOP_ALGS = Object.keys(ALGS).join(' ');

/** JWK members that only a private (or symmetric) key has: RFC 9449 §4.3 forbids them in a proof. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Okta publishes no window for `iat`; these are the fake's (RFC 9449 §11.1 leaves it to the server). */
export const IAT_MAX_AGE_S = 300;
export const IAT_MAX_AHEAD_S = 60;

/** Okta renews its nonce every 24 hours and honours each for three days (Okta's DPoP guide). */
export const NONCE_ROTATE_MS = 24 * 3600_000;
const NONCE_LIVES = 3;

export const MISSING_PROOF = 'The DPoP proof JWT header is missing.';

export interface ProofExpectation {
  /** The request method exactly as it arrived on the wire. */
  method: string;
  /** The request's target URI; its query and fragment are ignored, as RFC 9449 §4.3 says. */
  url: string;
  /** On an API request: the access token the proof must hash into `ath`, and the key it is bound to. */
  accessToken?: string;
  jkt?: string;
  now: number;
}

export type ProofCheck = { ok: true; jkt: string; nonce: unknown } | { ok: false; description: string };

export function decodeSegment(seg: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 7638: SHA-256 over the required members only, in lexicographic order, base64url. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

function sameTarget(htu: unknown, expected: string): boolean {
  if (typeof htu !== 'string') return false;
  try {
    // URL parsing applies the syntax-based normalisation RFC 9449 §4.3 allows: case of scheme and host, default port.
    const a = new URL(htu);
    const b = new URL(expected);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

const claimInvalid = (name: string, why = '') => `'${name}' claim in the DPoP proof JWT is invalid.${why ? ` ${why}` : ''}`;

export class DpopVerifier {
  /** jti → when it may be forgotten: after that its `iat` alone gets the proof refused. */
  private readonly seen = new Map<string, number>();

  check(proof: string | undefined, expect: ProofExpectation): ProofCheck {
    const fail = (description: string): ProofCheck => ({ ok: false, description });
    if (!proof) return fail(MISSING_PROOF);
    // Node joins repeated headers with ", ", and a compact JWS never holds a comma.
    if (proof.includes(',')) return fail('The request carries more than one DPoP proof JWT header.');
    const parts = proof.trim().split('.');
    const header = parts.length === 3 ? decodeSegment(parts[0]) : undefined;
    const claims = parts.length === 3 ? decodeSegment(parts[1]) : undefined;
    if (!header || !claims || !parts[2]) return fail('DPoP proof JWT cannot be parsed.');

    if (header.typ !== 'dpop+jwt') return fail(`The DPoP proof JWT 'typ' header must be 'dpop+jwt', not '${String(header.typ)}'.`);
    const alg = typeof header.alg === 'string' ? ALGS[header.alg] : undefined;
    if (!alg) return fail(`The DPoP proof JWT 'alg' header '${String(header.alg)}' is not one of ${DPOP_ALGS}.`);
    const jwk = header.jwk;
    if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) return fail("The DPoP proof JWT 'jwk' header is missing.");
    const members = jwk as Record<string, unknown>;
    if (PRIVATE_MEMBERS.some((m) => m in members)) return fail("The DPoP proof JWT 'jwk' header must be a public key: it holds private key members.");
    if (members.kty !== alg.kty || (alg.crv && members.crv !== alg.crv)) {
      return fail(`The DPoP proof JWT 'jwk' header does not fit 'alg' ${String(header.alg)}.`);
    }
    let key: KeyObject;
    try {
      key = createPublicKey({ key: members as NodeJsonWebKey, format: 'jwk' });
    } catch {
      return fail("The DPoP proof JWT 'jwk' header is not a usable public key.");
    }
    let valid: boolean;
    try {
      const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
      valid = verify(alg.hash, signed, alg.kty === 'EC' ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(parts[2], 'base64url'));
    } catch {
      // A signature of the wrong length for the key throws rather than returning false.
      valid = false;
    }
    if (!valid) return fail('The DPoP proof JWT signature is invalid.');

    if (claims.htm !== expect.method) return fail(claimInvalid('htm'));
    if (!sameTarget(claims.htu, expect.url)) return fail(claimInvalid('htu'));
    const nowS = expect.now / 1000;
    if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return fail(claimInvalid('iat', 'It must be a number of seconds.'));
    if (claims.iat < nowS - IAT_MAX_AGE_S) return fail(claimInvalid('iat', `It is more than ${IAT_MAX_AGE_S} s in the past.`));
    if (claims.iat > nowS + IAT_MAX_AHEAD_S) return fail(claimInvalid('iat', `It is more than ${IAT_MAX_AHEAD_S} s in the future.`));
    if (typeof claims.jti !== 'string' || claims.jti === '') return fail("'jti' claim in the DPoP proof JWT is missing.");
    if (expect.accessToken !== undefined) {
      if (typeof claims.ath !== 'string') return fail("'ath' claim in the DPoP proof JWT is missing.");
      if (claims.ath !== accessTokenHash(expect.accessToken)) return fail(claimInvalid('ath'));
    }
    const jkt = jwkThumbprint(members);
    if (expect.jkt !== undefined && jkt !== expect.jkt) return fail('The DPoP proof JWT key is not the key the access token is bound to.');

    for (const [jti, until] of this.seen) if (until < expect.now) this.seen.delete(jti);
    if (this.seen.has(claims.jti)) return fail('The DPoP proof JWT has already been used.');
    this.seen.set(claims.jti, (claims.iat + IAT_MAX_AGE_S + 1) * 1000);
    return { ok: true, jkt, nonce: claims.nonce };
  }
}

/** The token endpoint's `DPoP-Nonce` values. */
export class NonceIssuer {
  private readonly issued: { value: string; at: number }[] = [];

  /** The newest nonce, or a new one once that is `rotateMs` old. */
  current(now: number, rotateMs: number): string {
    const newest = this.issued[this.issued.length - 1];
    return newest && now - newest.at < rotateMs ? newest.value : this.mint(now, rotateMs);
  }

  /** A new nonce even if the current one is still young: what the nonce-loop knob hands out. */
  mint(now: number, rotateMs: number): string {
    while (this.issued.length && now - this.issued[0].at >= NONCE_LIVES * rotateMs) this.issued.shift();
    const value = randomBytes(24).toString('base64url');
    this.issued.push({ value, at: now });
    return value;
  }

  accepts(nonce: unknown, now: number, rotateMs: number): boolean {
    return typeof nonce === 'string' && this.issued.some((n) => n.value === nonce && now - n.at < NONCE_LIVES * rotateMs);
  }
}

/** What the APIs do about nonces of their own (`FakeOrgOptions.apiDpopNonce`). */
export interface ApiNonceOptions {
  /** A new nonce after this many DPoP-bound requests that carried the current one (default: never). */
  rotateEveryRequests?: number;
  /** Every DPoP-bound request gets `use_dpop_nonce` with a new nonce, the current one included. */
  loop?: boolean;
  /** Every `DPoP-Nonce` header the APIs send says this instead of the nonce: a hostile server's header. */
  header?: string;
}

export const API_NONCE_DESCRIPTION = 'Resource server requires nonce in DPoP proof.';

/**
 * The APIs' own nonce (RFC 9449 §9): one current value, separate from the token endpoint's. Only the
 * current nonce is honoured; a rotated-out one is stale at once.
 */
export class ApiNonce {
  private value: string;
  private served = 0;

  constructor(private readonly opts: ApiNonceOptions) {
    const every = opts.rotateEveryRequests;
    if (every !== undefined && !(Number.isInteger(every) && every >= 1)) throw new Error(`apiDpopNonce.rotateEveryRequests must be an integer >= 1, got ${every}`);
    this.value = randomBytes(24).toString('base64url');
  }

  /**
   * Checks the `nonce` claim of a proof that passed every other check: `ok` with the nonce to name in
   * the answer (a new one once `rotateEveryRequests` were served), or not, with the nonce to demand.
   */
  check(nonce: unknown): { ok: boolean; next: string } {
    if (this.opts.loop || nonce !== this.value) {
      if (this.opts.loop) this.value = randomBytes(24).toString('base64url');
      return { ok: false, next: this.value };
    }
    const every = this.opts.rotateEveryRequests;
    if (every !== undefined && ++this.served % every === 0) this.value = randomBytes(24).toString('base64url');
    return { ok: true, next: this.value };
  }
}

/** Okta's DPoP challenge, as seen in answers to SDK users (okta-sdk-nodejs#453, terraform-provider-okta#2392). */
export function dpopChallenge(origin: string, resource: string, scope: string, error: string, description: string): string {
  const quoted = description.replace(/["\\]/g, '\\$&');
  return `DPoP algs="${DPOP_ALGS}", authorization_uri="${origin}/oauth2/v1/authorize", realm="${origin}", scope="${scope}", error="${error}", error_description="${quoted}", resource="${resource}"`;
}

/** The request's target URI without its query: what `htu` must name. The Host header says where the client sent it. */
export function targetUri(host: string | undefined, origin: string, pathname: string): string {
  return `${host ? `http://${host}` : origin}${pathname}`;
}
