/**
 * Okta's user statuses, and those that hold a licence. A leaf module (no imports), so the command
 * line's argument parser and the webview can use it without loading the Okta SDK.
 *
 * Billable (see docs/definitions.md): activated accounts, including those waiting on a password
 * reset, an expired password or a lockout. Okta counts active users against a licence ("only
 * active users are counted", Okta support, "When is an Okta license considered used?"); Okta's
 * "About user account status" (help.okta.com, usgp-end-user-states) lists RECOVERY,
 * PASSWORD_EXPIRED and LOCKED_OUT as states an activated account passes through. STAGED and
 * PROVISIONED accounts were never activated; SUSPENDED and DEPROVISIONED ones cannot sign in.
 */
export const USER_STATUSES = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED', 'DEPROVISIONED'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const BILLABLE_STATUSES: readonly UserStatus[] = ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'];

/**
 * The Okta statuses among `values` (any case, blanks trimmed), each once in the order given, at most
 * the eight there are; undefined when none is one. What a host reads from a list a person edited (the
 * extension's `oktaMau.licensedStatuses`), where an unknown entry is left out rather than refused.
 */
export function knownStatuses(values: readonly string[]): UserStatus[] | undefined {
  const known = new Set<string>(USER_STATUSES);
  const picked = [...new Set(values.map((s) => s.trim().toUpperCase()))].filter((s): s is UserStatus => known.has(s));
  return picked.length > 0 ? picked : undefined;
}
