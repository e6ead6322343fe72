/**
 * An org's users as a listing left them (`UsersListing`), which a host keeps so that the next listing
 * asks the Users API only for what changed since: whether an earlier listing can be built on
 * (`planListing`), and how the changed users are merged into it (`mergeUsers`). Pure: no I/O, no SDK.
 *
 * What Okta documents, and what is left to the client (docs/real-okta.md, "The Users API"):
 * - `filter=lastUpdated gt "…"` is documented, filters "against the most up-to-date data", and returns
 *   DEPROVISIONED users too: a user who left the billable statuses is seen leaving.
 * - Whether a status change moves `lastUpdated` is not said (only `statusChanged`): changes are also
 *   asked for by `search=statusChanged gt "…"` (a documented search property).
 * - Whether a sign-in moves `lastUpdated` is not said, and `lastLogin` is not among the documented
 *   search properties: when the caller needs `lastLogin` (dormancy), sign-ins are asked for by
 *   `search=lastLogin gt "…"` if the org answers it, and otherwise the users are listed in full.
 * - A deleted user simply disappears (deletion only follows deactivation): one deactivated and deleted
 *   between two listings leaves no trace, so a listing is redone in full once its last full listing
 *   is older than `fullListingMaxAgeMs`.
 */
import { normalizeOrgUrl } from './orgUrl';
import type { OrgUser } from './users';
import { USER_STATUSES } from './userStatus';

export const USERS_LISTING_VERSION = 1;
/** Changes are asked for from this long before the earlier listing started: a clock a little off, changes landing as it started. */
export const DEFAULT_LISTING_OVERLAP_MS = 10 * 60_000;
/** A full listing at least this often: users deactivated and deleted between two listings vanish without a trace. */
export const DEFAULT_FULL_LISTING_MAX_AGE_MS = 7 * 86_400_000;
/** An org that refused `search=lastLogin` is asked again after this long. */
export const LAST_LOGIN_SEARCH_RECHECK_MS = 7 * 86_400_000;
/** A listing dated later than now by more than this was made under another clock: it is not built on. */
const FUTURE_SLACK_MS = 5 * 60_000;
/** The Users API's 10,000 pages of 200 per status: a larger file is not a listing this code wrote. */
const MAX_LISTED_USERS = 2_000_000;
const MAX_ID_LENGTH = 100;
const MAX_TEXT_LENGTH = 10_000;

/** An org's users in some statuses, and what the next listing needs to ask only for changes. */
export interface UsersListing {
  formatVersion: typeof USERS_LISTING_VERSION;
  /** The org, normalised (`normalizeOrgUrl`). */
  orgUrl: string;
  /** The statuses listed, sorted. */
  statuses: string[];
  /**
   * When this listing's first request was sent (ISO 8601, the local clock). The next listing asks for
   * users changed since then (less the overlap), so a change made while this one ran is not lost.
   */
  listedAt: string;
  /** When the last full listing this one builds on started (itself, for a full listing). */
  fullListedAt: string;
  /**
   * Every user's `lastLogin` is current as of this instant: a full listing's start, or the start of an
   * incremental one that asked for sign-ins (`search=lastLogin`). Older when sign-ins were not asked
   * for: Okta does not say that a sign-in changes `lastUpdated`.
   */
  lastLoginAsOf: string;
  /** Whether the org answered `search=lastLogin gt "…"`, and when that was learned. */
  lastLoginSearch?: { supported: boolean; checkedAt: string };
  /** Whether this listing was made from an earlier one. */
  incremental: boolean;
  /** Why every user was listed although an earlier listing was given. */
  fullReason?: string;
  /** Incremental: the users Okta sent as changed (any status, those who left the statuses included). */
  changed?: number;
  /** Requests this listing made to the Users API. */
  requests: number;
  /** Sorted by login, then id. */
  users: OrgUser[];
}

/** What a report says of the listing it came from. */
export interface ListingSummary {
  incremental: boolean;
  listedAt: string;
  requests: number;
  /** Incremental: the users Okta sent as changed. */
  changed?: number;
  /** Every user was listed although an earlier listing was given: why. */
  fullReason?: string;
  /** The `lastLogin` values are current as of this instant. */
  lastLoginAsOf: string;
}

export function listingSummary(l: UsersListing): ListingSummary {
  return {
    incremental: l.incremental,
    listedAt: l.listedAt,
    requests: l.requests,
    ...(l.changed !== undefined ? { changed: l.changed } : {}),
    ...(l.fullReason !== undefined ? { fullReason: l.fullReason } : {}),
    lastLoginAsOf: l.lastLoginAsOf,
  };
}

export type ListingCheck = { ok: true; listing: UsersListing } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An instant exactly as `Date.toISOString` writes it: what this code writes for a listing's own times. */
function isIsoInstant(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return false;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && new Date(ms).toISOString() === v;
}

/** An instant as Okta sent it (kept as sent, so any form `Date.parse` reads). */
function isOktaInstant(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 40 && Number.isFinite(Date.parse(v));
}

const optionalInstant = (v: unknown) => v === undefined || isOktaInstant(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT_LENGTH;

/**
 * Checks what a host kept (a file, a host's storage): every field the merge, the reports and the next
 * listing read, so a cut-off, hand-edited or hostile file is told apart from a listing, never built on.
 * The problem reads after "the earlier listing …".
 */
export function checkUsersListing(value: unknown): ListingCheck {
  if (!isObject(value)) return { ok: false, problem: 'is not a user listing' };
  const version = value.formatVersion;
  if (typeof version !== 'number') return { ok: false, problem: 'is not a user listing' };
  if (version > USERS_LISTING_VERSION) return { ok: false, problem: `was written by a newer okta-mau (format ${version})` };
  if (version !== USERS_LISTING_VERSION) return { ok: false, problem: `has an unknown format (${version})` };
  const orgUrl = value.orgUrl;
  let normalised: string | undefined;
  try {
    normalised = typeof orgUrl === 'string' ? normalizeOrgUrl(orgUrl) : undefined;
  } catch {
    normalised = undefined;
  }
  if (normalised === undefined || normalised !== orgUrl) return { ok: false, problem: 'names no org' };
  const body = checkListingBody(value);
  return body.ok ? { ok: true, listing: { formatVersion: USERS_LISTING_VERSION, orgUrl: normalised, ...body.body } } : body;
}

/** A listing without its format and org: what a host that keeps the org apart (the extension) stores of it. */
export type ListingBody = Omit<UsersListing, 'formatVersion' | 'orgUrl'>;

/**
 * The checks of `checkUsersListing` but for the format and the org, for a host that keeps a listing
 * in its own file format and the org apart. With `usersChecked`, each user was already checked
 * (`listedUserProblem`) and rebuilt (`copyListedUser`) as it was read, a chunk at a time: only
 * what takes the whole listing (a user in a status not listed, a user twice) is checked here.
 */
export function checkListingBody(value: Record<string, unknown>, usersChecked = false): { ok: true; body: ListingBody } | { ok: false; problem: string } {
  const statuses = value.statuses;
  if (!Array.isArray(statuses) || statuses.length === 0 || !statuses.every((s) => (USER_STATUSES as readonly unknown[]).includes(s)) || new Set(statuses).size !== statuses.length) {
    return { ok: false, problem: 'has a damaged list of statuses' };
  }
  const { listedAt, fullListedAt, lastLoginAsOf } = value;
  if (!isIsoInstant(listedAt) || !isIsoInstant(fullListedAt) || !isIsoInstant(lastLoginAsOf)) return { ok: false, problem: 'has damaged times' };
  if (Date.parse(fullListedAt) > Date.parse(listedAt) || Date.parse(lastLoginAsOf) > Date.parse(listedAt)) return { ok: false, problem: 'has damaged times' };
  const search = value.lastLoginSearch;
  if (search !== undefined && !(isObject(search) && typeof search.supported === 'boolean' && isIsoInstant(search.checkedAt))) {
    return { ok: false, problem: 'has a damaged lastLoginSearch' };
  }
  if (value.incremental !== undefined && typeof value.incremental !== 'boolean') return { ok: false, problem: 'has a damaged incremental flag' };
  const users = value.users;
  if (!Array.isArray(users) || users.length > MAX_LISTED_USERS) return { ok: false, problem: 'has no list of users' };
  const ids = new Set<string>();
  const listed = new Set(statuses as string[]);
  for (const u of users) {
    const problem = usersChecked ? undefined : listedUserProblem(u);
    if (problem) return { ok: false, problem };
    if (!listed.has((u as OrgUser).status)) return { ok: false, problem: 'holds a user in a status it did not list' };
    const id = (u as OrgUser).id;
    if (ids.has(id)) return { ok: false, problem: 'lists a user twice' };
    ids.add(id);
  }
  const body: ListingBody = {
    statuses: [...(statuses as string[])].sort(),
    listedAt,
    fullListedAt,
    lastLoginAsOf,
    ...(isObject(search) ? { lastLoginSearch: { supported: search.supported as boolean, checkedAt: search.checkedAt as string } } : {}),
    incremental: value.incremental === true,
    ...(typeof value.changed === 'number' && Number.isSafeInteger(value.changed) && value.changed >= 0 ? { changed: value.changed } : {}),
    requests: typeof value.requests === 'number' && Number.isSafeInteger(value.requests) && value.requests >= 0 ? value.requests : 0,
    // Rebuilt field by field: nothing but what a user is (no `__proto__`, no extra members) is kept.
    users: usersChecked ? (users as OrgUser[]) : (users as OrgUser[]).map(copyListedUser),
  };
  return { ok: true, body };
}

/** What is wrong with one listed user's fields (whatever its status), or undefined when nothing is. */
export function listedUserProblem(u: unknown): string | undefined {
  if (!isObject(u)) return 'holds a user that is not one';
  if (typeof u.id !== 'string' || u.id === '' || u.id.length > MAX_ID_LENGTH) return 'holds a user without a usable id';
  const ok =
    isText(u.login) &&
    isText(u.displayName) &&
    typeof u.status === 'string' &&
    (u.lastLogin === null || isOktaInstant(u.lastLogin)) &&
    optionalInstant(u.created) &&
    optionalInstant(u.activated) &&
    optionalInstant(u.passwordChanged) &&
    optionalInstant(u.lastUpdated) &&
    optionalInstant(u.statusChanged);
  return ok ? undefined : 'holds a user with missing or malformed fields';
}

/** A listed user (checked by `listedUserProblem`) rebuilt with only the members a user has. */
export function copyListedUser(u: OrgUser): OrgUser {
  return {
    id: u.id,
    login: u.login,
    displayName: u.displayName,
    status: u.status,
    ...(u.created !== undefined ? { created: u.created } : {}),
    ...(u.activated !== undefined ? { activated: u.activated } : {}),
    lastLogin: u.lastLogin,
    ...(u.passwordChanged !== undefined ? { passwordChanged: u.passwordChanged } : {}),
    ...(u.lastUpdated !== undefined ? { lastUpdated: u.lastUpdated } : {}),
    ...(u.statusChanged !== undefined ? { statusChanged: u.statusChanged } : {}),
  };
}

export interface PlanOptions {
  /** Normalised. */
  orgUrl: string;
  /** Checked and upper-case. */
  statuses: readonly string[];
  /** Whether the caller reads `lastLogin` (dormancy): it must then be current, not as of an older listing. */
  needsLastLogin: boolean;
  now: number;
  overlapMs: number;
  fullListingMaxAgeMs: number;
  /** How old `lastLogin` values may be when the caller needs them and the org does not search on `lastLogin`. */
  lastLoginMaxAgeMs: number;
  /** The org was just found to refuse `search=lastLogin`. */
  lastLoginSearchRefused?: boolean;
}

export type ListingPlan =
  | {
      kind: 'full';
      /** Why an earlier listing that was given is not built on; none when none was given. */
      reason?: string;
      /** The earlier listing's memory of the `lastLogin` search, if it could be read. */
      lastLoginSearch?: UsersListing['lastLoginSearch'];
    }
  | {
      kind: 'incremental';
      base: UsersListing;
      /** `filter=lastUpdated gt` and `search=statusChanged gt` from here: the earlier listing's start, less the overlap. */
      since: string;
      /** `search=lastLogin gt` from here (the earlier `lastLoginAsOf`, less the overlap), or undefined: not asked. */
      lastLoginSince?: string;
    };

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** Whether, and how, an earlier listing (anything a host kept) can be built on now. */
export function planListing(previous: unknown, o: PlanOptions): ListingPlan {
  if (previous === undefined || previous === null) return { kind: 'full' };
  const check = checkUsersListing(previous);
  if (!check.ok) return { kind: 'full', reason: `the earlier listing ${check.problem}` };
  const base = check.listing;
  const memory = o.lastLoginSearchRefused ? { supported: false, checkedAt: new Date(o.now).toISOString() } : base.lastLoginSearch;
  const full = (reason: string): ListingPlan => ({ kind: 'full', reason: `the earlier listing ${reason}`, ...(memory ? { lastLoginSearch: memory } : {}) });
  if (base.orgUrl !== o.orgUrl) return full(`is of another org (${base.orgUrl})`);
  const wanted = [...o.statuses].sort();
  if (wanted.join() !== base.statuses.join()) return full(`lists other statuses (${base.statuses.join(', ')})`);
  const listedAt = Date.parse(base.listedAt);
  if (listedAt > o.now + FUTURE_SLACK_MS) return full(`is dated ${base.listedAt}, later than now: the clock has moved back`);
  const fullAt = Date.parse(base.fullListedAt);
  if (o.now - fullAt > o.fullListingMaxAgeMs) {
    return full(`builds on a full listing from ${day(fullAt)}, longer ago than ${duration(o.fullListingMaxAgeMs)} (users deleted since leave no trace in an incremental listing)`);
  }
  const since = new Date(listedAt - o.overlapMs).toISOString();
  if (!o.needsLastLogin) return { kind: 'incremental', base, since };
  const lastLoginAsOf = Date.parse(base.lastLoginAsOf);
  const refused = memory?.supported === false && o.now - Date.parse(memory.checkedAt) < LAST_LOGIN_SEARCH_RECHECK_MS;
  if (!refused) return { kind: 'incremental', base: withMemory(base, memory), since, lastLoginSince: new Date(lastLoginAsOf - o.overlapMs).toISOString() };
  if (o.now - lastLoginAsOf > o.lastLoginMaxAgeMs) {
    return full(`has last sign-ins as of ${day(lastLoginAsOf)}, and ${new URL(o.orgUrl).host} does not search users by lastLogin`);
  }
  return { kind: 'incremental', base: withMemory(base, memory), since };
}

function withMemory(base: UsersListing, memory: UsersListing['lastLoginSearch']): UsersListing {
  return memory === base.lastLoginSearch ? base : { ...base, ...(memory ? { lastLoginSearch: memory } : {}) };
}

function duration(ms: number): string {
  if (ms > 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000} days`;
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  return `${Math.round(ms / 60_000)} minutes`;
}

/** The latest of a user's own times: a later version of a user never has an earlier one. */
function freshness(u: OrgUser): number {
  let t = -Infinity;
  for (const v of [u.lastUpdated, u.statusChanged, u.lastLogin]) {
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    if (ms > t) t = ms;
  }
  return t;
}

/** Sorted as a listing is: by login, then id. */
export function sortUsers(users: OrgUser[]): OrgUser[] {
  return users.sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The users in `statuses` once `changes` are applied to `base`. `changes` come from queries that may
 * return one user more than once, in any status (DEPROVISIONED included), in the order given: a later
 * version replaces an earlier one unless its times say it is older (a search answers from an
 * eventually consistent store, which may still hold a version older than `base`'s). A user whose
 * newest version is outside `statuses` leaves the listing.
 */
export function mergeUsers(base: readonly OrgUser[], changes: readonly OrgUser[], statuses: readonly string[]): OrgUser[] {
  const byId = new Map<string, OrgUser>();
  for (const u of base) byId.set(u.id, u);
  const changed = new Map<string, OrgUser>();
  for (const u of changes) {
    const earlier = changed.get(u.id) ?? byId.get(u.id);
    if (!earlier || freshness(u) >= freshness(earlier)) changed.set(u.id, u);
  }
  const wanted = new Set(statuses);
  for (const [id, u] of changed) {
    if (wanted.has(u.status)) byId.set(id, u);
    else byId.delete(id);
  }
  return sortUsers([...byId.values()]);
}
