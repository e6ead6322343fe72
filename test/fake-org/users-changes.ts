/**
 * Changes to an org's users between two listings, dated the way Okta dates them, for tests and the
 * benchmarks: `applyUserChanges(users, changes, at, rules)` returns the users as they are after the
 * changes (the input is not modified); hand the result to `org.setUsers(…)`.
 *
 * What Okta documents (the user object in `@okta/okta-sdk-nodejs` 8.1.0
 * `src/types/generated/models/User.d.ts`, and the lifecycle operations in `src/generated/apis/UserApi.js`;
 * see docs/fake-org.md, "Users changing between two listings"):
 * - `statusChanged`: "The timestamp when the status of the user last changed"; `activated`: "when the
 *   user status transitioned to ACTIVE"; `lastLogin`: "The timestamp of the last login"; `lastUpdated`:
 *   "The timestamp when the user was last updated". A profile change is an update ("if you create a
 *   user or change an attribute and then issue a filter request, the changes are reflected").
 * - `deleteUser`: "This operation can only be performed on users that have a DEPROVISIONED status …
 *   This operation on a user that hasn't been deactivated causes that user to be deactivated. A second
 *   delete operation is required to delete the user." A deleted user is gone from every list.
 *
 * What Okta does not say, and is a rule here (`ChangeRules`), so a client can be tested against each:
 * whether a sign-in moves `lastUpdated`, and whether a status change does.
 */
import { FIRST_NAMES, LAST_NAMES } from './catalog';
import { hash32, oktaId } from './prng';
import type { OktaUser, UserStatus } from './types';

export interface ChangeRules {
  /** Whether a sign-in moves `lastUpdated` as well as `lastLogin`. Okta is silent. Default false. */
  signInUpdatesLastUpdated?: boolean;
  /** Whether a status change moves `lastUpdated` as well as `statusChanged`. Okta is silent. Default true. */
  statusChangeUpdatesLastUpdated?: boolean;
}

export type UserChange =
  /** A successful sign-in: `lastLogin` (and `lastUpdated` if the rules say so). Only a user who can sign in can. */
  | { kind: 'signIn'; id: string }
  /** A lifecycle operation ending in `status`: `statusChanged` (and `lastUpdated` if the rules say so); `activated` on the first activation. */
  | { kind: 'status'; id: string; status: UserStatus }
  /** A profile update: `lastUpdated`. */
  | { kind: 'profile'; id: string; profile: Partial<OktaUser['profile']> }
  /** A new user (from `newUser`), created at the change's instant. */
  | { kind: 'create'; user: OktaUser }
  /** Okta's DELETE: deactivates a user who is not DEPROVISIONED yet, deletes one who is. */
  | { kind: 'delete'; id: string };

/** Statuses whose user can complete a sign-in (a locked-out, suspended or deactivated one cannot; STAGED and PROVISIONED have no password yet). */
const CAN_SIGN_IN: ReadonlySet<UserStatus> = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'RECOVERY']);

function toIso(at: Date | string | number): string {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(at)}`);
  return new Date(ms).toISOString();
}

/**
 * The users after `changes`, applied in order at the instant `at`. A change a real org would refuse
 * (an unknown user, a sign-in by a suspended one) throws: it is a mistake in the test, not a scenario.
 */
export function applyUserChanges(users: readonly OktaUser[], changes: readonly UserChange[], at: Date | string | number, rules: ChangeRules = {}): OktaUser[] {
  const now = toIso(at);
  const signInUpdates = rules.signInUpdatesLastUpdated ?? false;
  const statusUpdates = rules.statusChangeUpdatesLastUpdated ?? true;
  const byId = new Map(users.map((u) => [u.id, u]));
  const get = (id: string): OktaUser => {
    const u = byId.get(id);
    if (!u) throw new Error(`no user ${id} in the org`);
    return u;
  };
  const setStatus = (u: OktaUser, status: UserStatus): OktaUser => {
    if (u.status === status) return u;
    const firstActivation = status === 'ACTIVE' && u.activated === null;
    return {
      ...u,
      status,
      statusChanged: now,
      ...(firstActivation ? { activated: now } : {}),
      ...(statusUpdates ? { lastUpdated: now } : {}),
    };
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'signIn': {
        const u = get(c.id);
        if (!CAN_SIGN_IN.has(u.status)) throw new Error(`${c.id} is ${u.status}: a sign-in cannot complete`);
        byId.set(u.id, { ...u, lastLogin: now, ...(signInUpdates ? { lastUpdated: now } : {}) });
        break;
      }
      case 'status':
        byId.set(c.id, setStatus(get(c.id), c.status));
        break;
      case 'profile': {
        const u = get(c.id);
        byId.set(u.id, { ...u, profile: { ...u.profile, ...c.profile }, lastUpdated: now });
        break;
      }
      case 'create': {
        if (byId.has(c.user.id)) throw new Error(`a user with the id ${c.user.id} exists already`);
        const active = c.user.status !== 'STAGED';
        byId.set(c.user.id, { ...c.user, created: now, activated: active ? now : null, statusChanged: active ? now : null, lastLogin: null, lastUpdated: now, passwordChanged: null });
        break;
      }
      case 'delete': {
        const u = get(c.id);
        if (u.status === 'DEPROVISIONED') byId.delete(u.id);
        else byId.set(u.id, setStatus(u, 'DEPROVISIONED'));
        break;
      }
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A user as an admin creates one: the `n`th for a seed (deterministic), in `status` (default ACTIVE),
 * with timestamps at `at` (`applyUserChanges` re-dates a `create` to its own instant). Ids and logins
 * differ from `generateUsers`' for any `n`.
 */
export function newUser(seed: number, n: number, status: UserStatus = 'ACTIVE', at: Date | string | number = Date.UTC(2026, 0, 1)): OktaUser {
  const now = toIso(at);
  const h = hash32(seed ^ 0x6e77, n);
  const first = FIRST_NAMES[h % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(h / FIRST_NAMES.length) % LAST_NAMES.length];
  const login = `${first}.${last}.n${n}@example.com`.toLowerCase();
  const active = status !== 'STAGED';
  const hasPassword = status !== 'STAGED' && status !== 'PROVISIONED';
  return {
    id: oktaId('00u', seed ^ 0x6e77, n),
    status,
    created: now,
    activated: active ? now : null,
    statusChanged: active ? now : null,
    lastLogin: null,
    lastUpdated: now,
    passwordChanged: hasPassword ? now : null,
    type: { id: oktaId('oty', seed, 1) },
    profile: { firstName: first, lastName: last, mobilePhone: null, secondEmail: null, login, email: login, displayName: `${first} ${last}` },
    credentials: { ...(hasPassword ? { password: {} } : {}), provider: { type: 'OKTA', name: 'OKTA' } },
  };
}
