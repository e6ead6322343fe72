/**
 * DPoP nonces of the org's APIs (the resource server; RFC 9449 §9), which the SDK 8.1.0 does not
 * handle: its `Http.prepareRequest` builds every API proof without a nonce. Okta's docs describe
 * nonces at the token endpoint only (the SDK's own business, `oauth.js`); an API may still answer a
 * DPoP-bound request with 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` and a `DPoP-Nonce`.
 *
 * - `DpopNonces` keeps the newest nonce an API answer named, per origin (any answer may carry one);
 * - `proveWithNonce` replaces the SDK `Http`'s request preparation with the same steps plus that nonce;
 * - the guarded executor (`sdkGuards.ts`) re-proves and resends a request the API asked a nonce of,
 *   at most `MAX_NONCE_ROUNDS` times in a row.
 *
 * A nonce is only ever put into a proof for the origin that named it, and the executor refuses to
 * send anything off the org's origin, so neither a nonce nor a proof goes anywhere else.
 */

/** RFC 9449 §8.1 `nonce = 1*NQCHAR` (visible ASCII but `"` and `\`), bounded: anything else is not taken. */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;

/** The header's value when it is a usable nonce, or undefined. */
export function saneNonce(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && NONCE.test(value) ? value : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The newest API nonce per origin. */
export class DpopNonces {
  private readonly byOrigin = new Map<string, string>();

  /** The nonce to put in a proof for a request to `url`, if its origin named one. */
  for(url: string): string | undefined {
    const origin = originOf(url);
    return origin === undefined ? undefined : this.byOrigin.get(origin);
  }

  /** Keeps the `DPoP-Nonce` of an answer from `url`'s origin; returns it, or undefined when it is not a usable nonce. */
  note(url: string, header: string | null): string | undefined {
    const nonce = saneNonce(header);
    const origin = originOf(url);
    if (nonce && origin !== undefined) this.byOrigin.set(origin, nonce);
    return nonce;
  }
}

/** The SDK request as `Http.http` hands it to `prepareRequest`. */
interface PreparedRequest {
  url: string;
  method?: string;
  headers: Record<string, string>;
}

/** `generateDpopJwt` of the SDK's `src/dpop.js`. */
export type GenerateDpopJwt = (request: { url: string; method?: string }, client: unknown, accessToken: string, nonce: string | null) => Promise<string>;

interface NonceAwareHttp {
  prepareRequest(request: PreparedRequest): Promise<void>;
}

interface OAuthLike {
  isDPoP?: boolean;
  getAccessToken(): Promise<unknown>;
}

/**
 * `Http.prepareRequest` of SDK 8.1.0 (`src/http.js`), step for step, except that a DPoP proof carries
 * the newest nonce the request's origin named. Without one it is exactly the SDK's proof.
 */
export function proveWithNonce(http: NonceAwareHttp, oauth: OAuthLike, client: unknown, nonces: DpopNonces, generateDpopJwt: GenerateDpopJwt): void {
  http.prepareRequest = async (request) => {
    const token = (await oauth.getAccessToken()) as { access_token: string };
    if (oauth.isDPoP) {
      request.headers.Authorization = `DPoP ${token.access_token}`;
      request.headers.DPoP = await generateDpopJwt(request, client, token.access_token, nonces.for(request.url) ?? null);
      return;
    }
    request.headers.Authorization = `Bearer ${token.access_token}`;
  };
}
