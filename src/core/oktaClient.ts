import { platform, release } from 'node:os';
import type { AuthConfig } from './types';
import { InvalidInputError } from './errors';
import { validatePrivateKey } from './credentials';
import { proxyFromEnv, type ProxyRule } from './proxy';
import { DpopNonces, proveWithNonce, type GenerateDpopJwt } from './dpopNonce';
import { guardExecutor, TokenGuard, type ApiNonces, type Executor, type SdkOAuth, type SdkRequest } from './sdkGuards';

/** The part of the SDK's `Http` the core uses: the same auth, OAuth token handling and executor as the SDK's own APIs. */
export interface SdkHttp {
  http(url: string, request: Record<string, unknown>): Promise<FetchLikeResponse>;
}

export interface FetchLikeResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** node-fetch's body stream. */
  body?: {
    on(event: string, listener: (...args: never[]) => void): unknown;
    once(event: string, listener: (...args: never[]) => void): unknown;
    destroy?(): void;
  };
}

export interface OktaSdkClient {
  http: SdkHttp;
  /** Present in PrivateKey mode: the SDK's OAuth token handling, guarded (see `TokenGuard`). */
  oauth?: SdkOAuth;
  tokens?: TokenGuard;
}

/**
 * The SDK's own HTTP layer for one org: its `Http` (auth headers, the OAuth access token, its refresh on
 * 401, `X-Rate-Limit-*` aware errors), its `OAuth` (the private-key JWT and token endpoint) and its
 * plain `RequestExecutor`, wired together as `new okta.Client()` wires them.
 *
 * Only those modules are loaded, not the SDK's entry point: `Client` also builds some 90 generated API
 * classes and their models, which a count never calls. Loading them takes a Node process from about
 * 45 MB to 127 MB resident and ~900 ms; these parts take it to 70 MB in ~200 ms (bench scenarios 3 and 5).
 * `test/integration/sdk-wiring.test.ts` checks the result against `new okta.Client()` itself.
 *
 * - `authorizationMode` is always explicit, and no `okta.yaml` or `OKTA_CLIENT_*` variable is read;
 * - the plain `RequestExecutor` (no retries) is used: the core owns retries, backoff and rate limits;
 * - the SDK's response cache is off: a count must see the log as it is now;
 * - no request leaves the org's origin, redirects are refused, and the token endpoint's answers are
 *   checked before the SDK caches them (`sdkGuards.ts`);
 * - in PrivateKey mode, an API that asks a DPoP-bound request for a nonce of its own gets it: the
 *   SDK `Http`'s request preparation is replaced by the same steps plus the newest nonce (`dpopNonce.ts`);
 * - every request, the token request included, goes through the `HTTPS_PROXY` proxy of `env` unless
 *   its `NO_PROXY` names the org (`proxyFromEnv`); the SDK's own agent is not used.
 */
export function createOktaClient(orgUrl: string, auth: AuthConfig, env: Readonly<Record<string, string | undefined>> = process.env): OktaSdkClient {
  const baseUrl = orgUrl.replace(/\/$/, '');
  const proxy = proxyFromEnv(env);
  if (auth.mode === 'SSWS') {
    if (!auth.token || /\s/.test(auth.token.trim())) {
      throw new InvalidInputError('The API token is empty or malformed: paste the token value shown once when it was created');
    }
    return leanClient({ authorizationMode: 'SSWS', baseUrl, apiToken: auth.token.trim() }, proxy);
  }
  validatePrivateKey(auth.privateKey);
  if (!auth.clientId?.trim()) throw new InvalidInputError('The OAuth service app client id is empty');
  return leanClient({
    authorizationMode: 'PrivateKey',
    baseUrl,
    clientId: auth.clientId.trim(),
    scopes: auth.scopes?.length ? auth.scopes : ['okta.logs.read'],
    privateKey: auth.privateKey.trim(),
    keyId: auth.keyId?.trim() || undefined,
  }, proxy);
}

/** The fields of `Client` that the SDK's `Http`, `OAuth` and JWT code read. */
interface ClientFields {
  authorizationMode: 'SSWS' | 'PrivateKey';
  baseUrl: string;
  apiToken?: string;
  clientId?: string;
  scopes?: string[];
  privateKey?: string;
  keyId?: string;
}

interface SdkParts {
  Http: new (config: { requestExecutor: unknown; cacheMiddleware: null; oauth?: unknown }) => SdkHttp & {
    defaultHeaders: Record<string, string>;
    agent?: unknown;
    prepareRequest(request: SdkRequest & { headers: Record<string, string> }): Promise<void>;
  };
  OAuth: new (client: unknown) => SdkOAuth;
  RequestExecutor: new () => Executor;
  /** `src/dpop.js`: signs a DPoP proof for a request, with a nonce when given one. */
  generateDpopJwt: GenerateDpopJwt;
  /** The SDK's own name and version, which its User-Agent carries. */
  name: string;
  version: string;
}

function loadSdkParts(): SdkParts {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { name, version } = require('@okta/okta-sdk-nodejs/package.json') as { name: string; version: string };
  return {
    Http: (require('@okta/okta-sdk-nodejs/src/http') as { Http: SdkParts['Http'] }).Http,
    OAuth: (require('@okta/okta-sdk-nodejs/src/oauth') as { OAuth: SdkParts['OAuth'] }).OAuth,
    RequestExecutor: require('@okta/okta-sdk-nodejs/src/request-executor') as SdkParts['RequestExecutor'],
    generateDpopJwt: (require('@okta/okta-sdk-nodejs/src/dpop') as { generateDpopJwt: SdkParts['generateDpopJwt'] }).generateDpopJwt,
    name,
    version,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** What `new okta.Client(config)` builds for these fields, minus the generated APIs. */
function leanClient(fields: ClientFields, proxy: ProxyRule | undefined): OktaSdkClient {
  const sdk = loadSdkParts();
  const client: ClientFields & OktaSdkClient & { requestExecutor: Executor } = {
    ...fields,
    requestExecutor: new sdk.RequestExecutor(),
    http: undefined as unknown as SdkHttp,
  };
  if (fields.authorizationMode === 'PrivateKey') {
    client.oauth = new sdk.OAuth(client);
    client.tokens = new TokenGuard(client.oauth, Date.now, fields.scopes);
  }
  const http = new sdk.Http({ requestExecutor: client.requestExecutor, cacheMiddleware: null, oauth: client.oauth });
  let apiNonces: ApiNonces | undefined;
  if (client.oauth) {
    const store = new DpopNonces();
    proveWithNonce(http, client.oauth, client, store, sdk.generateDpopJwt);
    apiNonces = { store, reprove: (request) => http.prepareRequest(request as SdkRequest & { headers: Record<string, string> }) };
  }
  guardExecutor(client.requestExecutor, fields.baseUrl, client.tokens, proxy, apiNonces);
  // The SDK's Http takes HTTPS_PROXY for its API requests only, and ignores NO_PROXY: the guarded
  // executor decides for every request instead.
  delete http.agent;
  if (fields.authorizationMode === 'SSWS') http.defaultHeaders.Authorization = `SSWS ${fields.apiToken}`;
  http.defaultHeaders['User-Agent'] = `okta-mau ${sdk.name}/${sdk.version} node/${process.versions.node} ${platform()}/${release()}`;
  client.http = http;
  return client;
}
