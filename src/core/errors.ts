/**
 * Typed failures of a count. Hosts map them once: to a message (`describeError`) and, on the command
 * line, to an exit code (`exitCodeFor`). Messages are one line and never carry a credential.
 */

export type ErrorKind = 'input' | 'auth' | 'api' | 'cancelled';

abstract class OktaMauError extends Error {
  abstract readonly kind: ErrorKind;
  /** A brand that survives bundling (no `instanceof` across bundles). */
  readonly oktaMauError = true;
}

/** The user gave something unusable: a month, an org URL, a key, an option. */
export class InvalidInputError extends OktaMauError {
  readonly kind = 'input' as const;
  override name = 'InvalidInputError';
}

/** 401/403: the credential is wrong, revoked, or lacks permission. */
export class OktaAuthError extends OktaMauError {
  readonly kind = 'auth' as const;
  override name = 'OktaAuthError';
  constructor(message: string, readonly status: number, readonly errorCode?: string) {
    super(message);
  }
}

/** The API or the network kept failing after retries, or answered something the count cannot use. */
export class OktaApiError extends OktaMauError {
  readonly kind = 'api' as const;
  override name = 'OktaApiError';
  constructor(message: string, readonly status?: number, readonly errorCode?: string) {
    super(message);
  }
}

/** The run was cancelled through its AbortSignal. A normal outcome, not a failure to report. */
export class CancelledError extends OktaMauError {
  readonly kind = 'cancelled' as const;
  override name = 'CancelledError';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

export function errorKind(err: unknown): ErrorKind | undefined {
  if (err && typeof err === 'object' && (err as { oktaMauError?: unknown }).oktaMauError === true) {
    return (err as OktaMauError).kind;
  }
  return undefined;
}

export function isCancelled(err: unknown): boolean {
  return errorKind(err) === 'cancelled' || (err instanceof Error && err.name === 'AbortError');
}

/** Exit codes of the `okta-mau` command line. */
export const EXIT = { ok: 0, failure: 1, usage: 2, auth: 3, api: 4, cancelled: 130 } as const;

export function exitCodeFor(err: unknown): number {
  switch (isCancelled(err) ? 'cancelled' : errorKind(err)) {
    case 'input':
      return EXIT.usage;
    case 'auth':
      return EXIT.auth;
    case 'api':
      return EXIT.api;
    case 'cancelled':
      return EXIT.cancelled;
    default:
      return EXIT.failure;
  }
}

/**
 * Removes every occurrence of the given secrets (and anything shaped like an SSWS or Bearer credential)
 * from a message, so a host can log or show it safely.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  // A credential after its scheme is long (tokens run to dozens of characters); a word after "DPoP"
  // in a sentence ("the DPoP proof") is not one and stays.
  return out.replace(/\b(SSWS|Bearer|DPoP)\s+[A-Za-z0-9._~+/=-]{16,}/g, '$1 ***');
}

/**
 * Text from a server (or anything else untrusted) made safe for one line of a terminal, a log or a
 * notification: control characters (terminal escapes included), bidirectional overrides and line
 * breaks become spaces, runs of whitespace one space, and the length is capped.
 */
export function oneLine(value: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line for a person: the error's message, or a generic one for a bug, with secrets masked. */
export function describeError(err: unknown, secrets: readonly string[] = []): string {
  const kind = errorKind(err);
  const raw = kind ? (err as Error).message : `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  return maskSecrets(oneLine(raw, 2000), secrets);
}
