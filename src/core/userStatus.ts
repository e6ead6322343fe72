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
