/**
 * Credentials come from the environment only: argv is visible in `ps`, shell history and CI logs.
 * Returns the auth config plus every secret string, so messages can be masked before printing.
 */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../core/errors';
import { isJwkText, keyForm, keyIdFor, privateKeyProblem, RSA_ONLY_REASON, secretValues, type KeyProblem } from '../core/credentials';
import type { AuthConfig, RetryOptions } from '../core/types';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Credentials {
  auth: AuthConfig;
  /** Strings that must never reach stdout or stderr. */
  secrets: string[];
}

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** A PEM block or a JWK, by the core's reading of its form; anything else is taken for a file path. */
function looksLikeKeyText(text: string): boolean {
  return keyForm(text).kind !== 'neither';
}

/** OKTA_PRIVATE_KEY holds the key itself (PEM or JWK) or the path of a file that does. */
function readPrivateKey(raw: string, readFile: (path: string) => string): string {
  if (looksLikeKeyText(raw)) return raw;
  let text: string;
  try {
    text = readFile(raw).trim();
  } catch {
    // The value is not echoed: a mangled key pasted without its header would otherwise be printed.
    return fail('OKTA_PRIVATE_KEY must hold a PEM key, a JWK, or the path of a readable file with one');
  }
  if (!looksLikeKeyText(text)) fail('the file named by OKTA_PRIVATE_KEY holds neither a PEM key nor a JWK');
  return text;
}

function privateKeyAuth(env: Env, clientId: string, readFile: (path: string) => string): Credentials {
  const raw = value(env, 'OKTA_PRIVATE_KEY');
  if (!raw) return fail('OKTA_CLIENT_ID is set but OKTA_PRIVATE_KEY is not: set it to the PEM or JWK private key, or a file path');
  const privateKey = readPrivateKey(raw, readFile);
  const problem = privateKeyProblem(privateKey);
  if (problem) fail(keyProblemMessage(problem, privateKey));
  const keyId = keyIdFor(privateKey, value(env, 'OKTA_KEY_ID'));
  if (!keyId) {
    fail(isJwkText(privateKey)
      ? 'OKTA_KEY_ID is required: the JWK in OKTA_PRIVATE_KEY has no "kid"'
      : 'OKTA_KEY_ID is required with a PEM key: set it to the key ID shown on the Okta app');
  }
  const scopes = value(env, 'OKTA_SCOPES')?.split(/[\s,]+/).filter(Boolean);
  const auth: AuthConfig = { mode: 'PrivateKey', clientId, privateKey, keyId, ...(scopes?.length ? { scopes } : {}) };
  return { auth, secrets: [raw, ...secretValues(auth)] };
}

/** The core's key problems, said in terms of the environment variable to fix. */
function keyProblemMessage(problem: KeyProblem, privateKey: string): string {
  const form = keyForm(privateKey);
  const jwk = form.kind === 'jwk';
  switch (problem.kind) {
    case 'invalidJson':
      return 'OKTA_PRIVATE_KEY looks like a JWK but is not valid JSON';
    case 'notRsa':
      return jwk
        ? `OKTA_PRIVATE_KEY must be an RSA private key (JWK "kty" is ${JSON.stringify(problem.keyType ?? null)}): ${RSA_ONLY_REASON}`
        : `OKTA_PRIVATE_KEY is ${problem.keyType ? withArticle(problem.keyType) : 'an unknown type of'} key: use an RSA private key (${RSA_ONLY_REASON})`;
    case 'public':
      if (jwk) return 'OKTA_PRIVATE_KEY is a public JWK: use the private key (with "d")';
      break;
    case 'empty':
    case 'unreadable':
      if (jwk) return 'OKTA_PRIVATE_KEY holds a JWK that is not a readable private key: check that the whole key was copied';
      // A block that names a private key but does not read as one: a damaged copy, not the wrong file.
      if (form.kind === 'pem' && form.privateKey) {
        return 'OKTA_PRIVATE_KEY is not a readable PEM private key: check that the whole key was copied, BEGIN and END lines included';
      }
  }
  return 'OKTA_PRIVATE_KEY must be a PEM private key (-----BEGIN PRIVATE KEY-----), not a public key or certificate';
}

const withArticle = (keyType: string): string => `${/^[AEFHILMNORSX]/i.test(keyType) ? 'an' : 'a'} ${keyType}`;

export function credentialsFromEnv(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Credentials {
  const token = value(env, 'OKTA_API_TOKEN');
  const clientId = value(env, 'OKTA_CLIENT_ID');
  if (token && clientId) {
    return fail('both OKTA_API_TOKEN and OKTA_CLIENT_ID are set: unset one to choose how to sign in');
  }
  if (token) {
    const auth: AuthConfig = { mode: 'SSWS', token: token.replace(/^SSWS\s+/i, '') };
    return { auth, secrets: [token, ...secretValues(auth)] };
  }
  if (clientId) return privateKeyAuth(env, clientId, readFile);
  if (value(env, 'OKTA_PRIVATE_KEY')) return fail('OKTA_PRIVATE_KEY is set but OKTA_CLIENT_ID is not: set the OAuth app\'s client ID');
  return fail('no credentials: set OKTA_API_TOKEN, or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY (+ OKTA_KEY_ID for PEM keys)');
}

/**
 * Undocumented-in-help knobs for tests and impatient scripts: how hard to retry failing requests.
 * Documented in docs/cli.md.
 */
export function retryFromEnv(env: Env): RetryOptions | undefined {
  const retry: RetryOptions = {};
  const num = (name: string, max: number): number | undefined => {
    const raw = value(env, name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) fail(`${name} must be a whole number from 0 to ${max} (got "${raw}")`);
    return n;
  };
  const maxRetries = num('OKTA_MAU_MAX_RETRIES', 20);
  const baseDelayMs = num('OKTA_MAU_RETRY_BASE_MS', 60_000);
  if (maxRetries !== undefined) retry.maxRetries = maxRetries;
  if (baseDelayMs !== undefined) retry.baseDelayMs = baseDelayMs;
  return Object.keys(retry).length ? retry : undefined;
}

/**
 * Test-only: `OKTA_MAU_NOW` (ISO 8601) replaces the clock, so a test can count "the current month"
 * at a fixed instant against a fake org. Documented in docs/cli.md, not in --help.
 */
export function clockFromEnv(env: Env): (() => Date) | undefined {
  const raw = value(env, 'OKTA_MAU_NOW');
  if (raw === undefined) return undefined;
  const at = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at)) fail(`OKTA_MAU_NOW must be an ISO 8601 instant such as 2026-01-15T12:00:00Z (got "${raw}")`);
  return () => new Date(at);
}
