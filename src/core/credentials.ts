/**
 * What both hosts know about a credential: which of its strings are secrets, and whether a private
 * key is one the SDK can sign with. Hosts word the problems their own way (an environment variable,
 * an input box); the rules live here only.
 */
import { createHash, createPrivateKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import { InvalidInputError } from './errors';
import type { AuthConfig } from './types';

/**
 * Why a service app's key must be RSA: said the same way by the core and both hosts. Worded so that
 * `maskSecrets`, which masks the word after "DPoP" as a credential, leaves it readable.
 */
export const RSA_ONLY_REASON = 'the Okta SDK signs the proof of possession (DPoP) on every token request with RS256 only';

/** Members of a private JWK; each is a secret on its own, should any piece of it surface in an error. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/** Lines shorter than this are too little of a key to identify it, and too common to mask. */
const MIN_SECRET_LINE = 16;

/** A JWK is JSON text; anything else is read as PEM. */
export function isJwkText(text: string): boolean {
  return text.trim().startsWith('{');
}

/**
 * What a key text is by its form alone, before anything reads it: a JWK (JSON), a PEM block with the
 * label of its BEGIN line (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `CERTIFICATE`; empty
 * when the line is malformed) and whether that label names a private key, or neither. A host tells a
 * key from a file path by it, and a damaged private key from a block that holds none.
 */
export type KeyForm = { kind: 'jwk' } | { kind: 'pem'; label: string; privateKey: boolean } | { kind: 'neither' };

export function keyForm(text: string): KeyForm {
  const t = text.trim();
  if (isJwkText(t)) return { kind: 'jwk' };
  if (!t.startsWith('-----BEGIN')) return { kind: 'neither' };
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(t)?.[1] ?? '';
  return { kind: 'pem', label, privateKey: /^[A-Z ]*PRIVATE KEY$/.test(label) };
}

/**
 * Every string inside a credential that must never appear in a message or a log line: the token or
 * the key, each private member of a JWK, and each base64 line of a PEM body (a message may quote one).
 */
export function secretValues(auth: AuthConfig): string[] {
  if (auth.mode === 'SSWS') return [auth.token];
  const key = auth.privateKey;
  const values = key.trim() === key ? [key] : [key, key.trim()];
  const jwk = parseJwk(key);
  if (jwk) {
    for (const member of PRIVATE_JWK_MEMBERS) if (typeof jwk[member] === 'string') values.push(jwk[member] as string);
  } else {
    values.push(...key.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= MIN_SECRET_LINE && !l.startsWith('-----')));
  }
  return values;
}

/** Why a text is not a private key the SDK can sign with. */
export type KeyProblem =
  | { kind: 'empty' }
  /** Starts like a JWK but is not JSON. */
  | { kind: 'invalidJson' }
  /** A public key or a certificate (a JWK without "d", a PEM PUBLIC KEY or CERTIFICATE block). */
  | { kind: 'public' }
  /** Not RSA: `keyType` is the JWK's `kty` as given, or the PEM key's type in capitals (`EC`, `ED25519`). */
  | { kind: 'notRsa'; keyType: string | undefined }
  /** Neither a PEM nor a JWK private key that node:crypto can read. */
  | { kind: 'unreadable' };

/**
 * A key as pasted into a one-line input box, made readable again: such a box turns a PEM's line breaks
 * into spaces or drops them, which node:crypto cannot parse. The body is rewrapped at 64 characters
 * between its BEGIN and END lines; anything else (a JWK, a PEM whose END line names another label)
 * comes back trimmed and otherwise as given, for `privateKeyProblem` to judge.
 */
export function normalizePastedKey(text: string): string {
  const t = text.trim();
  const pem = /^(-----BEGIN ([A-Z0-9 ]+)-----)([\s\S]*?)(-----END \2-----)$/.exec(t);
  if (!pem) return t;
  const body = pem[3].replace(/\s+/g, '');
  return [pem[1], ...(body.match(/.{1,64}/g) ?? []), pem[4]].join('\n');
}

/**
 * Reads the key with node:crypto, as the SDK will: undefined when it is an RSA private key (PEM or JWK).
 * @okta/okta-sdk-nodejs 8.1.0 puts a DPoP proof on every token request, DPoP app or not, and signs it
 * RS256 whatever the key (src/dpop.js): any other key would fail inside the SDK on the first request.
 */
export function privateKeyProblem(privateKey: string): KeyProblem | undefined {
  const text = (privateKey ?? '').trim();
  if (!text) return { kind: 'empty' };
  if (isJwkText(text)) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(text);
    } catch {
      return { kind: 'invalidJson' };
    }
    if (!isObject(jwk)) return { kind: 'unreadable' };
    if (jwk.kty !== 'RSA') return { kind: 'notRsa', keyType: typeof jwk.kty === 'string' ? jwk.kty : undefined };
    if (typeof jwk.d !== 'string') return { kind: 'public' };
    return readable(() => createPrivateKey({ key: jwk as NodeJwk, format: 'jwk' }).asymmetricKeyType);
  }
  const form = keyForm(text);
  const header = form.kind === 'pem' ? form.label : '';
  if (/PUBLIC KEY|CERTIFICATE/.test(header)) return { kind: 'public' };
  // A SEC1 header names the key type even when its body does not parse.
  if (header === 'EC PRIVATE KEY') return { kind: 'notRsa', keyType: 'EC' };
  return readable(() => createPrivateKey(text).asymmetricKeyType);
}

function readable(keyType: () => string | undefined): KeyProblem | undefined {
  let type: string | undefined;
  try {
    type = keyType();
  } catch {
    return { kind: 'unreadable' };
  }
  return type === 'rsa' ? undefined : { kind: 'notRsa', keyType: type?.toUpperCase() };
}

/** The core's wording of a key problem: one line, what is wrong and what to give instead. */
export function describeKeyProblem(problem: KeyProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'The private key is empty: give the service app key as PEM or JWK';
    case 'invalidJson':
    case 'unreadable':
      return 'The private key is neither a PEM nor a JWK private key: check the key text or file';
    case 'public':
      return 'The key is a public key: give the service app\'s private key (PEM or JWK with "d")';
    case 'notRsa':
      return `The private key is ${problem.keyType ?? 'of an unknown type'}: give the service app an RSA key (${RSA_ONLY_REASON})`;
  }
}

/** Checks that a private key is a usable RSA private key (PEM or JWK), so the SDK never fails on it mid-run. */
export function validatePrivateKey(privateKey: string): void {
  const problem = privateKeyProblem(privateKey);
  if (problem) throw new InvalidInputError(describeKeyProblem(problem));
}

/**
 * The key id to sign with: the one given, else the JWK's own `kid`. Undefined means one must be asked
 * for: a PEM carries no key id, and Okta needs it to pick the app's public key.
 */
export function keyIdFor(privateKey: string, given?: string): string | undefined {
  const keyId = given?.trim();
  if (keyId) return keyId;
  const kid = parseJwk(privateKey)?.kid;
  return typeof kid === 'string' && kid ? kid : undefined;
}

/**
 * A tag naming a credential without revealing it: 12 hex digits of a SHA-256 of the API token, or of
 * a service app's client id (an app keeps its identity when its key is rotated). What the Users API
 * lets a credential list and the rate-limit share Okta gives it belong to that credential, so hosts
 * keep what they learned of both under this tag (the CLI's cache file names, the extension's saved
 * user listing).
 */
export function credentialTag(auth: AuthConfig): string {
  const who = auth.mode === 'SSWS' ? `ssws\n${auth.token.trim()}` : `app\n${auth.clientId.trim()}`;
  return createHash('sha256').update(`okta-mau rate memory\n${who}`).digest('hex').slice(0, 12);
}

function parseJwk(text: string): Record<string, unknown> | undefined {
  if (!isJwkText(text)) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
