import { oneLine, OktaApiError, OktaAuthError } from './errors';
import type { DpopNonces } from './dpopNonce';
import type { ProxyRule } from './proxy';

/**
 * Guards around the SDK's request executor and OAuth token cache, so that whatever an org (or
 * something posing as one) answers:
 * - no request ever leaves the org's origin, and no redirect is followed: a 3xx is an error naming
 *   where it pointed, so neither the `Authorization` header, a DPoP proof nor the signed client
 *   assertion of a token request reaches another origin (another port included), and no page from
 *   elsewhere is ever counted;
 * - an error body is read up to `MAX_ERROR_BODY` bytes and becomes one `OktaHttpFailure` carrying the
 *   host, Okta's summary or OAuth description, and the request id Okta support asks for;
 * - the token endpoint's answers are checked here: the SDK 8.1.0 `OAuth` never checks the status
 *   (its `Http.errorFilter` is undefined in `oauth.js`) and would cache an error body as the token;
 *   `use_dpop_nonce` is passed on for the SDK's nonce retry, but only `MAX_NONCE_ROUNDS` times per
 *   token, so a server that keeps asking ends in one clear line instead of an endless recursion;
 * - an API that answers a DPoP-bound request with 401 `use_dpop_nonce` and a usable `DPoP-Nonce` gets
 *   the same request again with a proof carrying that nonce (`dpopNonce.ts`), at most
 *   `MAX_NONCE_ROUNDS` times in a row, then one line naming the host;
 * - one token request runs at a time, and a token is renewed before it expires (Okta's last an hour;
 *   a large org's count takes longer), rather than after every request in flight got a 401;
 * - every request, the token request included, takes the same way out: through the `HTTPS_PROXY`
 *   proxy unless `NO_PROXY` names the org (see `proxyFromEnv` in proxy.ts). The SDK itself would send only its
 *   API requests through that proxy, whatever `NO_PROXY` says, and its token request straight out.
 *
 * This relies on SDK internals (how `OAuth.getAccessToken` recurses with a nonce and reads the token
 * answer), which is why `@okta/okta-sdk-nodejs` is pinned to an exact version and
 * `test/integration/sdk-wiring.test.ts` and `test/integration/dpop.test.ts` pin the behaviour.
 */

const MAX_ERROR_BODY = 64 * 1024;
/** Where an admin sees whether a service app requires DPoP: every DPoP failure line points there. */
export const DPOP_SETTING = "the service app's General Settings › Require Demonstrating Proof of Possession";
/** A request the SDK sends without a signal (the token request) is abandoned after this long. */
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
/** A token younger than this cannot have expired: a 401 that arrives now was for an older one. */
const FRESH_TOKEN_MS = 5_000;
/** `use_dpop_nonce` answers let through in a row: per token request, and per API request. */
const MAX_NONCE_ROUNDS = 3;
/** Renew this long before a token expires (or a tenth of its life, for short-lived ones). */
const RENEW_BEFORE_MS = 5 * 60_000;

/** The SDK's request object, as `Http.http` and `OAuth.getAccessToken` hand it to the executor. */
export interface SdkRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  redirect?: string;
  [key: string]: unknown;
}

interface HeadersLike {
  get(name: string): string | null;
}

/** What node-fetch resolves with (the parts used here). */
interface ExecutorResponse {
  status: number;
  headers: HeadersLike;
  text(): Promise<string>;
  body?: { on(event: string, listener: (...args: never[]) => void): unknown; destroy?(): void } | null;
}

export interface Executor {
  fetch(request: SdkRequest): Promise<ExecutorResponse>;
}

/**
 * A non-2xx answer of the org, with what a person needs to act on it. Thrown from the executor, it
 * travels through the SDK's `Http` (whose one-time token renewal on a 401 still applies) to the page
 * fetcher, which decides what it means.
 */
export class OktaHttpFailure extends Error {
  override name = 'OktaHttpFailure';
  constructor(
    readonly status: number,
    readonly host: string,
    readonly headers: HeadersLike,
    readonly errorCode: string | undefined,
    /** Okta's `errorSummary` (and causes), or an OAuth `error_description`, or the start of a non-JSON body. */
    readonly summary: string,
    /** `X-Okta-Request-Id` or the body's `errorId`. */
    readonly requestId: string | undefined,
    /** An OAuth error code (`invalid_client`, `invalid_dpop_proof`...), from the body or `WWW-Authenticate`. */
    readonly oauthError: string | undefined,
  ) {
    super(`HTTP ${status}${errorCode ? ` ${errorCode}` : ''}: ${summary}`);
  }

  /** `(request id …)`, or nothing. */
  get requestIdNote(): string {
    return this.requestId ? ` (request id ${this.requestId})` : '';
  }
}

export function isHttpFailure(err: unknown): err is OktaHttpFailure {
  return err instanceof Error && err.name === 'OktaHttpFailure' && typeof (err as OktaHttpFailure).status === 'number';
}

/** An API's own DPoP nonces (`dpopNonce.ts`): where they are kept, and how a request gets a new proof with the newest. */
export interface ApiNonces {
  store: DpopNonces;
  /** Rebuilds the request's `Authorization` and `DPoP` headers (the SDK `Http`'s `prepareRequest`, ours). */
  reprove(request: SdkRequest): Promise<void>;
}

/** Wraps `executor.fetch` in place (see the module comment). */
export function guardExecutor(executor: Executor, orgOrigin: string, tokens: TokenGuard | undefined, proxy?: ProxyRule, apiNonces?: ApiNonces): void {
  const send = executor.fetch.bind(executor);
  const host = new URL(orgOrigin).host;
  const tokenUrl = `${orgOrigin}/oauth2/v1/token`;
  executor.fetch = async (request) => {
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      throw new OktaApiError(`Refused to send a request to a malformed URL; the credential stays with ${host}`);
    }
    if (target.origin !== orgOrigin) {
      throw new OktaApiError(`Refused to send a request to ${target.origin}, outside ${orgOrigin}; the credential was not sent there`);
    }
    request.redirect = 'manual';
    // Decided here, for the token request too: the SDK would set its agent on API requests only.
    const agent = proxy?.(target);
    if (agent) request.agent = agent;
    else delete request.agent;
    // The SDK's own token request carries no signal: it gets a deadline here, as every request must.
    request.signal ??= AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS);
    const isToken = target.href.split('?')[0] === tokenUrl;
    // An API request made with a DPoP token: the API may ask a nonce of its own (dpopNonce.ts).
    const dpopBound = !isToken && /^DPoP /.test(request.headers?.Authorization ?? '') ? apiNonces : undefined;
    for (let rounds = 0; ; rounds++) {
      const response = await send(request);
      if (response.status >= 300 && response.status < 400) {
        response.body?.destroy?.();
        throw new OktaApiError(redirectMessage(response, host, target), response.status);
      }
      if (isToken) return tokens ? tokens.checkTokenAnswer(response, host) : response;
      // Any answer may name a newer nonce; a header that is no nonce is not kept.
      const nonce = dpopBound?.store.note(target.href, response.headers.get('dpop-nonce'));
      if (response.status >= 200 && response.status < 300) return response;
      const failure = await failureOf(response, host);
      if (!dpopBound || !nonce || failure.status !== 401 || failure.oauthError !== 'use_dpop_nonce') throw failure;
      if (rounds >= MAX_NONCE_ROUNDS) {
        // The challenge says what the API wants; an Okta body's summary says only "Invalid token provided".
        const said = parseChallenge(response.headers.get('www-authenticate')).description ?? failure.summary;
        // Not a 401 for the SDK's `Http`, which would renew the token and start the rounds over.
        throw new OktaApiError(
          `${host} kept asking for a new DPoP nonce on ${target.pathname} (${MAX_NONCE_ROUNDS} in a row) (HTTP 401: ${said})${failure.requestIdNote}; try again later`,
          undefined,
          'use_dpop_nonce',
        );
      }
      // The same request again, with a fresh proof that carries the nonce the API named.
      await dpopBound.reprove(request);
    }
  };
}

function redirectMessage(response: ExecutorResponse, host: string, from: URL): string {
  let where = 'an unnamed location';
  try {
    const location = new URL(response.headers.get('location') ?? '', from);
    where = location.origin === from.origin ? `${location.pathname} on the same origin` : location.origin;
  } catch {
    // A Location that is not a URL names nowhere.
  }
  return `${host} answered HTTP ${response.status}, a redirect to ${where}; redirects are never followed, so no credential went there. If the org moved, use its new address as the org URL`;
}

/** Reads at most `MAX_ERROR_BODY` bytes of an answer's body as text. */
async function readSmallText(response: ExecutorResponse): Promise<string> {
  const body = response.body;
  if (!body || typeof body.on !== 'function') return (await response.text()).slice(0, MAX_ERROR_BODY);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    // An error body that stalls is not worth waiting for: what arrived is enough to report.
    const timer = setTimeout(() => {
      body.destroy?.();
      done();
    }, 15_000);
    body.on('data', (chunk: Buffer) => {
      if (size < MAX_ERROR_BODY) chunks.push(chunk.subarray(0, MAX_ERROR_BODY - size));
      size += chunk.length;
      if (size >= MAX_ERROR_BODY) {
        body.destroy?.();
        done();
      }
    });
    body.on('end', done);
    body.on('error', done);
    body.on('close', done);
  });
}

async function failureOf(response: ExecutorResponse, host: string): Promise<OktaHttpFailure> {
  const text = await readSmallText(response);
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a gateway's HTML page, or nothing.
  }
  const challenge = parseChallenge(response.headers.get('www-authenticate'));
  // Okta's codes are `E` and seven digits; anything else a server puts there is not repeated.
  const errorCode = typeof json?.errorCode === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(json.errorCode) ? json.errorCode : undefined;
  const summary = summaryOf(json, challenge, text, response.status);
  const requestId = plain(response.headers.get('x-okta-request-id')) ?? plain(json?.errorId);
  const oauthError = plain(json?.error) ?? challenge.error;
  return new OktaHttpFailure(response.status, host, response.headers, errorCode, summary, requestId, oauthError);
}

function summaryOf(json: Record<string, unknown> | undefined, challenge: Challenge, text: string, status: number): string {
  if (json) {
    const summary = plain(json.errorSummary);
    const causes = Array.isArray(json.errorCauses)
      ? json.errorCauses.map((c: unknown) => plain((c as { errorSummary?: unknown })?.errorSummary)).filter((c): c is string => !!c)
      : [];
    if (summary) return oneLine([summary, ...causes].join('. '), 500);
    const description = plain(json.error_description);
    if (description) return description;
  }
  if (challenge.description) return challenge.description;
  const start = plain(text.replace(/<[^>]*>/g, ' '));
  return start ? `"${start.slice(0, 80)}"` : `no explanation (HTTP ${status})`;
}

/** A server's string made safe for one line, or undefined when there is nothing in it. */
function plain(value: unknown): string | undefined {
  return typeof value === 'string' ? oneLine(value) || undefined : undefined;
}

interface Challenge {
  error?: string;
  description?: string;
}

/** `WWW-Authenticate: DPoP error="invalid_dpop_proof", error_description="…"` (or Bearer). */
function parseChallenge(header: string | null): Challenge {
  if (!header) return {};
  const value = (name: string) => plain(new RegExp(`\\b${name}="([^"]*)"`).exec(header)?.[1]);
  return { error: value('error'), description: value('error_description') };
}

/** The SDK's `OAuth` object, as `oauth.js` in 8.1.0 defines it. */
export interface SdkOAuth {
  accessToken: unknown;
  isDPoP?: boolean;
  getAccessToken(nonce?: string | null): Promise<unknown>;
  clearCachedAccessToken(): void;
}

/**
 * One token request at a time, renewal before expiry, and the token endpoint's answers checked (see
 * the module comment). Installed on the SDK's `OAuth` instance.
 */
export class TokenGuard {
  private pending: Promise<unknown> | undefined;
  private renewAt = Infinity;
  private nonceRounds = 0;
  /** Tokens fetched so far, for the log. */
  tokensIssued = 0;

  /** When the cached token was issued, and the last refusal (the SDK asks again at once after a 401). */
  private issuedAt = 0;
  private refused?: { error: unknown; at: number };

  constructor(
    private readonly oauth: SdkOAuth,
    private readonly now: () => number = Date.now,
    /** The scopes the token request asks for, which a refusal of them names. */
    private readonly scopes: readonly string[] = ['okta.logs.read'],
  ) {
    const fetchToken = oauth.getAccessToken.bind(oauth);
    const clear = oauth.clearCachedAccessToken.bind(oauth);
    // The SDK clears the token after any 401; with requests in flight, late 401s for the old token
    // would throw away the one just renewed, one token request after another.
    oauth.clearCachedAccessToken = () => {
      if (this.now() - this.issuedAt >= FRESH_TOKEN_MS) clear();
    };
    oauth.getAccessToken = (nonce) => {
      // The SDK calls itself again with the nonce a `use_dpop_nonce` answer named: part of the same token request.
      if (nonce) return fetchToken(nonce);
      if (oauth.accessToken && this.now() >= this.renewAt) clear();
      if (oauth.accessToken) return Promise.resolve(oauth.accessToken);
      // The SDK retries a request once after a 401, which would post the refused assertion again.
      if (this.refused && this.now() - this.refused.at < FRESH_TOKEN_MS) return Promise.reject(this.refused.error);
      this.pending ??= (async () => {
        this.nonceRounds = 0;
        const requested = this.now();
        try {
          const token = (await fetchToken()) as { expires_in?: unknown };
          const lifeMs = Number(token?.expires_in) * 1000;
          this.renewAt = Number.isFinite(lifeMs) && lifeMs > 0 ? requested + lifeMs - Math.min(RENEW_BEFORE_MS, lifeMs / 10) : Infinity;
          this.issuedAt = this.now();
          this.refused = undefined;
          this.tokensIssued++;
          return token;
        } catch (err) {
          if (err instanceof OktaAuthError) this.refused = { error: err, at: this.now() };
          throw err;
        } finally {
          this.pending = undefined;
        }
      })();
      return this.pending;
    };
  }

  /** Checks one answer of the token endpoint before the SDK reads it. */
  async checkTokenAnswer(response: ExecutorResponse, host: string): Promise<ExecutorResponse> {
    if (response.status >= 200 && response.status < 300) {
      const text = await readSmallText(response);
      let token: { access_token?: unknown; token_type?: unknown } | undefined;
      try {
        token = JSON.parse(text) as typeof token;
      } catch {
        token = undefined;
      }
      // The token goes into a header: visible ASCII only.
      if (typeof token?.access_token !== 'string' || !/^[\x21-\x7e]{1,8192}$/.test(token.access_token) || !/^(Bearer|DPoP)$/i.test(String(token.token_type))) {
        throw new OktaApiError(`${host}'s token endpoint answered without a usable access token (HTTP ${response.status})`, response.status);
      }
      // The SDK sends a proof with every token request, so a DPoP token is bound to our key even
      // without a nonce dance; it is used the way it was issued.
      this.oauth.isDPoP = /^DPoP$/i.test(String(token.token_type));
      return answerOf(response, text);
    }
    const failure = await failureOf(response, host);
    if (failure.oauthError === 'use_dpop_nonce' && response.headers.get('dpop-nonce')) {
      if (++this.nonceRounds <= MAX_NONCE_ROUNDS) {
        // The SDK reads the nonce from the headers and asks again with it.
        return answerOf(response, JSON.stringify({ error: 'use_dpop_nonce' }));
      }
      throw new OktaAuthError(
        `${host} kept asking for a new DPoP nonce (${MAX_NONCE_ROUNDS} in a row) and issued no token${failure.requestIdNote}; try again later, or check ${DPOP_SETTING}`,
        response.status,
        'use_dpop_nonce',
      );
    }
    throw tokenError(failure, this.scopes);
  }
}

/** The token endpoint's answer rebuilt around a body already read: the SDK calls `json()` and `headers.get()`. */
function answerOf(response: ExecutorResponse, text: string): ExecutorResponse & { json(): Promise<unknown> } {
  return { status: response.status, headers: response.headers, text: async () => text, json: async () => JSON.parse(text) as unknown };
}

/** What the token endpoint's refusal means for the admin. */
function tokenError(f: OktaHttpFailure, scopes: readonly string[]): Error {
  const said = `(${f.oauthError ? `${f.oauthError}: ` : ''}${f.summary})${f.requestIdNote}`;
  switch (f.oauthError) {
    case 'invalid_client':
      return new OktaAuthError(`${f.host} rejected the service app ${said}: check the client id, the private key and the key id registered on the app`, f.status, f.oauthError);
    case 'invalid_scope':
      return new OktaAuthError(`${f.host} refused the scope ${said}: grant the service app ${scopes.join(' and ')} under Okta API Scopes`, f.status, f.oauthError);
    case 'invalid_dpop_proof':
      return new OktaAuthError(
        `${f.host} refused the DPoP proof of the token request ${said}: check this machine's clock, and ${DPOP_SETTING}`,
        f.status,
        f.oauthError,
      );
    case 'unauthorized_client':
      return new OktaAuthError(`${f.host} does not allow this app the client credentials grant ${said}: make it an API Services app with public key / private key client authentication`, f.status, f.oauthError);
    default:
      // A server error is retried like any other request's.
      if (f.status >= 500) return f;
      if (f.status === 429) return new OktaApiError(`${f.host}'s token endpoint is rate limited ${said}; try again in a minute`, f.status, f.oauthError);
      return new OktaAuthError(`${f.host} issued no access token ${said}: check the service app's settings`, f.status, f.oauthError);
  }
}
