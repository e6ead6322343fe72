import { createPrivateKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import type { AuthConfig } from './types';
import { InvalidInputError } from './errors';

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
  /** Present in PrivateKey mode: the SDK's cached answer of the token endpoint. */
  oauth?: { accessToken?: { error?: string } | null };
}

/**
 * Builds an `@okta/okta-sdk-nodejs` client for one org. The SDK is required lazily so that hosts which
 * never count (extension activation) do not pay for loading it.
 *
 * - `authorizationMode` is always explicit, so `okta.yaml` files or `OKTA_CLIENT_*` variables cannot switch it;
 * - the plain `RequestExecutor` (no retries) is used: the core owns retries, backoff and rate limits;
 * - the SDK's response cache is off: a count must see the log as it is now.
 */
export function createOktaClient(orgUrl: string, auth: AuthConfig): OktaSdkClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const okta = require('@okta/okta-sdk-nodejs') as {
    Client: new (config: Record<string, unknown>) => OktaSdkClient;
    RequestExecutor: new () => unknown;
  };
  const common = {
    orgUrl,
    requestExecutor: new okta.RequestExecutor(),
    cacheMiddleware: null,
    userAgent: 'okta-mau',
  };
  if (auth.mode === 'SSWS') {
    if (!auth.token || /\s/.test(auth.token.trim())) {
      throw new InvalidInputError('The API token is empty or malformed: paste the token value shown once when it was created');
    }
    return new okta.Client({ ...common, authorizationMode: 'SSWS', token: auth.token.trim() });
  }
  validatePrivateKey(auth.privateKey);
  if (!auth.clientId?.trim()) throw new InvalidInputError('The OAuth service app client id is empty');
  return new okta.Client({
    ...common,
    authorizationMode: 'PrivateKey',
    token: undefined,
    clientId: auth.clientId.trim(),
    scopes: (auth.scopes?.length ? auth.scopes : ['okta.logs.read']).join(' '),
    privateKey: auth.privateKey.trim(),
    keyId: auth.keyId?.trim() || undefined,
  });
}

/** Checks that a private key is a usable PEM or JWK private key, so the SDK never fails on it mid-run. */
export function validatePrivateKey(privateKey: string): void {
  const text = (privateKey ?? '').trim();
  if (!text) throw new InvalidInputError('The private key is empty: give the service app key as PEM or JWK');
  let keyType: string | undefined;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as NodeJwk;
      if (!jwk.d) throw new Error('public');
      keyType = createPrivateKey({ key: jwk, format: 'jwk' }).asymmetricKeyType;
    } else {
      keyType = createPrivateKey(text).asymmetricKeyType;
    }
  } catch (err) {
    const isPublic = err instanceof Error && err.message === 'public';
    throw new InvalidInputError(
      isPublic
        ? 'The key is a public key: give the service app\'s private key (PEM or JWK with "d")'
        : 'The private key is neither a PEM nor a JWK private key: check the key text or file',
    );
  }
  // @okta/okta-sdk-nodejs 8.1 signs with RS256 only (an EC key fails inside the SDK with "unsupported algorithm").
  if (keyType !== 'rsa') {
    throw new InvalidInputError(`The private key is ${keyType?.toUpperCase() ?? 'of an unknown type'}: the service app needs an RSA key (RS256)`);
  }
}
