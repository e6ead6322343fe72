/**
 * The org's users from the Users API (`GET /api/v1/users`), and who among those holding a licence
 * did not sign in: inactive in a counted month, or dormant for N days by `lastLogin`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers
 */
import type { Fields } from './jsonArray';
import { CancelledError, describeError, errorKind, InvalidInputError, isCancelled, OktaApiError } from './errors';
import { normalizeOrgUrl } from './orgUrl';
import type { OktaApi } from './pageFetcher';
import type { RateMemory } from './rateBudget';
import { checkNumber, openSession } from './session';
import type { AuthConfig, MauReport, RetryOptions } from './types';
import {
  DEFAULT_FULL_LISTING_MAX_AGE_MS,
  DEFAULT_LISTING_OVERLAP_MS,
  mergeUsers,
  planListing,
  USERS_LISTING_VERSION,
  type ListingPlan,
  type ListingSummary,
  type UsersListing,
} from './userListing';
import { BILLABLE_STATUSES, USER_STATUSES } from './userStatus';

export const USERS_API: OktaApi = { path: '/api/v1/users', name: 'the Users API', scope: 'okta.users.read' };

export { BILLABLE_STATUSES, USER_STATUSES, type UserStatus } from './userStatus';

/** One user as an admin reads them in a list of licences. */
export interface OrgUser {
  id: string;
  login: string;
  displayName: string;
  status: string;
  created?: string;
  activated?: string;
  /** Null: never signed in. */
  lastLogin: string | null;
  passwordChanged?: string;
  /** When Okta last changed the user: which of two versions of a user is newer. */
  lastUpdated?: string;
  /** When the user's status last changed. */
  statusChanged?: string;
}

/** A user object's members a list reads; the rest of each user (its profile's other attributes, `_links`) is skipped unbuilt. */
const USER_FIELDS: Fields = {
  id: true,
  status: true,
  created: true,
  activated: true,
  lastLogin: true,
  passwordChanged: true,
  lastUpdated: true,
  statusChanged: true,
  profile: { login: true, firstName: true, lastName: true, displayName: true, email: true },
};

/** 200 is the most the Users API returns per page. */
const PAGE_LIMIT = 200;
/** Pages per status at most: 2,000,000 users. A cursor that never ends is a broken server, not an org. */
const MAX_PAGES = 10_000;

export interface ListUsersOptions {
  orgUrl: string;
  auth: AuthConfig;
  /** Default `BILLABLE_STATUSES`. */
  statuses?: readonly string[];
  retry?: RetryOptions;
  reservePercent?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  rateMemory?: RateMemory;
  onRateMemory?: (memory: RateMemory) => void;
  /** Users read so far, after every page; `incremental`: they are the changes since an earlier listing. */
  onProgress?: (p: { users: number; pages: number; requests: number; incremental?: boolean }) => void;
  /**
   * An earlier listing of the org, as `onListing` gave it and a host kept it (read back from a file or
   * a host's storage: it is checked here). Only the users changed since it started are asked for, and
   * merged into it. One of another org or other statuses, damaged, or too old is not built on: every
   * user is listed, and the listing says why (`fullReason`).
   */
  previous?: unknown;
  /**
   * The caller reads `lastLogin` (dormancy by days), so it must be current. Okta does not say that a
   * sign-in changes `lastUpdated`: an incremental listing then also asks for `search=lastLogin gt`, and
   * where the org refuses that search, users are listed in full (see `lastLoginMaxAgeMs`).
   */
  needsLastLogin?: boolean;
  /** Changes are asked for from this long before the earlier listing started. Default 10 minutes. */
  overlapMs?: number;
  /** An earlier listing whose last full listing is older than this is not built on (deleted users). Default 7 days. */
  fullListingMaxAgeMs?: number;
  /**
   * With `needsLastLogin`, where the org does not search on `lastLogin`: how old the earlier listing's
   * sign-ins may be and still be built on. Default 0 (list every user then).
   */
  lastLoginMaxAgeMs?: number;
  /** The complete listing, once, to keep for the next call's `previous`. Never called for a cancelled or failed listing. */
  onListing?: (listing: UsersListing) => void;
}

/**
 * The org's users in the given statuses, one paged query per status, run side by side: the Users
 * API pages by cursor only, so its statuses are the one split it allows. The Users API's own rate
 * limit bucket paces them, with the same reserve, retries and origin rules as a count. Given an
 * earlier listing (`previous`), only the users changed since are asked for (`listUserListing`).
 */
export async function listUsers(o: ListUsersOptions): Promise<OrgUser[]> {
  const listing = await listUserListing(o);
  o.onListing?.(listing);
  return listing.users;
}

/** A query of the Users API and what its users are, for messages. */
interface UsersQuery {
  params: Record<string, string>;
  what: string;
}

/** A Users API query the org answered with 400: what is asked for has to be asked another way. */
class QueryRefused extends Error {
  constructor(readonly index: number, err: unknown) {
    super(describeError(err));
  }
}

/**
 * `listUsers`, returning the whole listing: the users, whether the listing was incremental (and if
 * not, why, when an earlier one was given), its requests, and what the next listing needs.
 */
export async function listUserListing(o: ListUsersOptions): Promise<UsersListing> {
  const statuses = checkStatuses(o.statuses ?? BILLABLE_STATUSES);
  const orgUrl = normalizeOrgUrl(o.orgUrl);
  const host = new URL(orgUrl).host;
  const log = o.log ?? (() => {});
  const DAY = 86_400_000;
  const overlapMs = checkNumber('The listing overlap', o.overlapMs ?? DEFAULT_LISTING_OVERLAP_MS, 0, DAY, ' ms');
  const fullListingMaxAgeMs = checkNumber('The full-listing age', o.fullListingMaxAgeMs ?? DEFAULT_FULL_LISTING_MAX_AGE_MS, 0, 3650 * DAY, ' ms');
  const lastLoginMaxAgeMs = checkNumber('The sign-in age', o.lastLoginMaxAgeMs ?? 0, 0, 3650 * DAY, ' ms');
  const totals = { requests: 0, pages: 0 };
  let rateMemory = o.rateMemory;
  const run = async (queries: UsersQuery[], incremental: boolean, refusable: boolean): Promise<OrgUser[][]> =>
    runQueries(o, queries, incremental, refusable, totals, rateMemory, (memory) => {
      rateMemory = memory;
      o.onRateMemory?.(memory);
    });
  const planFor = (lastLoginSearchRefused?: boolean): ListingPlan =>
    planListing(o.previous, { orgUrl, statuses, needsLastLogin: o.needsLastLogin === true, now: Date.now(), overlapMs, fullListingMaxAgeMs, lastLoginMaxAgeMs, lastLoginSearchRefused });

  let plan = planFor();
  while (plan.kind === 'incremental') {
    const { base, since, lastLoginSince } = plan;
    const queries: UsersQuery[] = [
      { params: { filter: `lastUpdated gt "${since}"` }, what: `users updated since ${since}` },
      // Okta does not say that a status change moves lastUpdated: statusChanged is searchable.
      { params: { search: `statusChanged gt "${since}"` }, what: `users whose status changed since ${since}` },
      ...(lastLoginSince ? [{ params: { search: `lastLogin gt "${lastLoginSince}"` }, what: `users who signed in since ${lastLoginSince}` }] : []),
    ];
    log(`Listing users changed since ${since} (the earlier listing started at ${base.listedAt}, less the overlap)${lastLoginSince ? `, and users who signed in since ${lastLoginSince}` : ''}`);
    const startedAt = new Date().toISOString();
    let found: OrgUser[][];
    try {
      found = await run(queries, true, true);
    } catch (err) {
      if (!(err instanceof QueryRefused)) throw err;
      if (lastLoginSince && err.index === 2) {
        // Searching on lastLogin is not documented: an org that refuses it is remembered as one.
        log(`${host} does not search users by lastLogin (${err.message})`);
        plan = planFor(true);
      } else {
        const memory = base.lastLoginSearch;
        plan = { kind: 'full', reason: `${host} refused the query for ${queries[err.index].what} (${err.message})`, ...(memory ? { lastLoginSearch: memory } : {}) };
      }
      continue;
    }
    // A cancel that lands after the last page still means no listing.
    if (o.signal?.aborted) throw new CancelledError();
    // Searches first and the filter last: on equal times the filter's version wins, it reads the most up-to-date data.
    const changes = [...found.slice(1).flat(), ...found[0]];
    const users = mergeUsers(base.users, changes, statuses);
    const listing: UsersListing = {
      formatVersion: USERS_LISTING_VERSION,
      orgUrl,
      statuses: [...statuses].sort(),
      listedAt: startedAt,
      fullListedAt: base.fullListedAt,
      lastLoginAsOf: lastLoginSince ? startedAt : base.lastLoginAsOf,
      ...(lastLoginSince ? { lastLoginSearch: { supported: true, checkedAt: startedAt } } : base.lastLoginSearch ? { lastLoginSearch: base.lastLoginSearch } : {}),
      incremental: true,
      changed: new Set(changes.map((u) => u.id)).size,
      requests: totals.requests,
      users,
    };
    log(`Listed users incrementally: ${listing.changed} changed since ${since}, ${users.length} users in ${statuses.join(', ')}, ${totals.requests} requests`);
    return listing;
  }

  if (plan.reason) log(`Listing every user: ${plan.reason}`);
  const startedAt = new Date().toISOString();
  const found = await run(
    statuses.map((status) => ({ params: { filter: `status eq "${status}"` }, what: `${status} users` })),
    false,
    false,
  );
  if (o.signal?.aborted) throw new CancelledError();
  return {
    formatVersion: USERS_LISTING_VERSION,
    orgUrl,
    statuses: [...statuses].sort(),
    listedAt: startedAt,
    fullListedAt: startedAt,
    lastLoginAsOf: startedAt,
    ...(plan.lastLoginSearch ? { lastLoginSearch: plan.lastLoginSearch } : {}),
    incremental: false,
    ...(plan.reason ? { fullReason: plan.reason } : {}),
    requests: totals.requests,
    // A user listed under two statuses (one changed between pages) is kept once, as the newer version.
    users: mergeUsers([], found.flat(), statuses),
  };
}

/**
 * Runs paged queries side by side in one session (the Users API's bucket) and returns each one's
 * users. A failure stops them all. With `refusable`, a query the org answers with 400 becomes a
 * `QueryRefused`, so the caller can ask another way; a cancel is always a cancel.
 */
async function runQueries(
  o: ListUsersOptions,
  queries: UsersQuery[],
  incremental: boolean,
  refusable: boolean,
  totals: { requests: number; pages: number },
  rateMemory: RateMemory | undefined,
  onRateMemory: (memory: RateMemory) => void,
): Promise<OrgUser[][]> {
  const session = openSession({
    orgUrl: o.orgUrl,
    auth: o.auth,
    api: USERS_API,
    reservePercent: o.reservePercent,
    concurrency: queries.length,
    retry: o.retry,
    signal: o.signal,
    log: o.log,
    rateMemory,
    onRateMemory,
  });
  const { fetcher } = session;
  let read = 0;
  const progress = () =>
    o.onProgress?.({ users: read, pages: totals.pages + fetcher.stats.pages, requests: totals.requests + fetcher.stats.requests, ...(incremental ? { incremental } : {}) });
  let settled: PromiseSettledResult<OrgUser[]>[];
  try {
    settled = await Promise.allSettled(
      queries.map(async (query) => {
        try {
          const users: OrgUser[] = [];
          const q = new URLSearchParams({ ...query.params, limit: String(PAGE_LIMIT) });
          let url: string | undefined = `${session.origin}${USERS_API.path}?${q}`;
          const seen = new Set<string>();
          for (let pages = 0; url; pages++) {
            if (pages >= MAX_PAGES || seen.has(url)) {
              throw new OktaApiError(`${session.host} kept linking more pages of ${query.what} (${pages} pages); the list stopped there`);
            }
            seen.add(url);
            const page: { items: (OrgUser | undefined)[]; next?: string } = await fetcher.fetchPage(url, query.what, toUser, USER_FIELDS);
            // More than was asked for is a broken server: memory stays bounded by MAX_PAGES × PAGE_LIMIT.
            if (page.items.length > PAGE_LIMIT) {
              throw new OktaApiError(`${session.host} sent ${page.items.length} users in one page of ${query.what}, more than the ${PAGE_LIMIT} asked for; the list stopped there`);
            }
            for (const u of page.items) if (u) users.push(u);
            read += page.items.length;
            progress();
            url = page.next;
          }
          return users;
        } catch (err) {
          session.stop();
          throw err;
        }
      }),
    );
  } finally {
    totals.requests += fetcher.stats.requests;
    totals.pages += fetcher.stats.pages;
    session.close();
  }
  const failed = settled.flatMap((r, index) => (r.status === 'rejected' ? [{ index, err: r.reason as unknown }] : []));
  if (failed.length === 0) return settled.map((r) => (r as PromiseFulfilledResult<OrgUser[]>).value);
  // Which query failed first is a race once one has stopped the others: the caller's cancel, then a refusal, then the rest.
  if (o.signal?.aborted) throw failed.find((f) => isCancelled(f.err))?.err ?? new CancelledError();
  const refused = refusable ? failed.find((f) => !isCancelled(f.err) && errorKind(f.err) === 'api' && (f.err as OktaApiError).status === 400) : undefined;
  if (refused) throw new QueryRefused(refused.index, refused.err);
  throw (failed.find((f) => !isCancelled(f.err)) ?? failed[0]).err;
}

function checkStatuses(statuses: readonly string[]): string[] {
  const list = [...new Set(statuses.map((s) => s.trim().toUpperCase()))];
  if (list.length === 0) throw new InvalidInputError(`At least one user status is needed, for example ${BILLABLE_STATUSES.join(', ')}`);
  for (const s of list) {
    if (!(USER_STATUSES as readonly string[]).includes(s)) throw new InvalidInputError(`"${s}" is not an Okta user status (${USER_STATUSES.join(', ')})`);
  }
  return list;
}

/** A user object as a list keeps it; undefined for one without an id or status (not counted, never guessed). */
function toUser(item: unknown): OrgUser | undefined {
  const u = item as {
    id?: unknown;
    status?: unknown;
    created?: unknown;
    activated?: unknown;
    lastLogin?: unknown;
    passwordChanged?: unknown;
    lastUpdated?: unknown;
    statusChanged?: unknown;
    profile?: Record<string, unknown>;
  };
  if (!u || typeof u !== 'object' || typeof u.id !== 'string' || !u.id || typeof u.status !== 'string') return undefined;
  const p = u.profile && typeof u.profile === 'object' ? u.profile : {};
  const name = str(p.displayName) ?? [str(p.firstName), str(p.lastName)].filter(Boolean).join(' ');
  return {
    id: u.id,
    login: str(p.login) ?? str(p.email) ?? u.id,
    displayName: name,
    status: u.status,
    ...(instant(u.created) ? { created: u.created as string } : {}),
    ...(instant(u.activated) ? { activated: u.activated as string } : {}),
    lastLogin: instant(u.lastLogin) ? (u.lastLogin as string) : null,
    ...(instant(u.passwordChanged) ? { passwordChanged: u.passwordChanged as string } : {}),
    ...(instant(u.lastUpdated) ? { lastUpdated: u.lastUpdated as string } : {}),
    ...(instant(u.statusChanged) ? { statusChanged: u.statusChanged as string } : {}),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function instant(v: unknown): boolean {
  return typeof v === 'string' && Number.isFinite(Date.parse(v));
}

/** Who holds a licence without using it, and what share of the licensed users did use theirs. */
export interface InactiveReport {
  orgUrl: string;
  /** `month`: no qualifying sign-in in a counted month. `days`: `lastLogin` null or older than `days` days before `asOf`. */
  kind: 'month' | 'days';
  month?: string;
  days?: number;
  /** For `days`: the instant the days count back from. */
  asOf: string;
  statuses: string[];
  /** Users in those statuses. */
  licensed: number;
  /** Licensed users who were active (month) or signed in within the days. */
  active: number;
  /** `active / licensed`, 0–1; 0 for an org with no licensed users. */
  utilisation: number;
  users: OrgUser[];
  /** How the users were listed, when the host says: incrementally or in full, and why in full. */
  listing?: ListingSummary;
}

/** Users in the given statuses with no qualifying sign-in in the report's month. */
export function inactiveInMonth(users: readonly OrgUser[], report: Pick<MauReport, 'orgUrl' | 'month' | 'users'>, statuses: readonly string[] = BILLABLE_STATUSES, asOf = new Date()): InactiveReport {
  const active = new Set(report.users.map((u) => u.id));
  const licensed = users.filter((u) => statuses.includes(u.status));
  const inactive = licensed.filter((u) => !active.has(u.id));
  return summary({ orgUrl: report.orgUrl, kind: 'month', month: report.month, asOf: asOf.toISOString(), statuses: [...statuses] }, licensed.length, inactive);
}

/** Users in the given statuses whose last sign-in (`lastLogin`) is older than `days` days before `asOf`, or who never signed in. */
export function dormantFor(users: readonly OrgUser[], orgUrl: string, days: number, asOf: Date, statuses: readonly string[] = BILLABLE_STATUSES): InactiveReport {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new InvalidInputError(`The number of days must be a whole number from 1 to 3650 (got ${String(days)})`);
  const since = asOf.getTime() - days * 86_400_000;
  const licensed = users.filter((u) => statuses.includes(u.status));
  const dormant = licensed.filter((u) => u.lastLogin === null || Date.parse(u.lastLogin) < since);
  return summary({ orgUrl, kind: 'days', days, asOf: asOf.toISOString(), statuses: [...statuses] }, licensed.length, dormant);
}

function summary(head: Pick<InactiveReport, 'orgUrl' | 'kind' | 'month' | 'days' | 'asOf' | 'statuses'>, licensed: number, inactive: OrgUser[]): InactiveReport {
  const active = licensed - inactive.length;
  return { ...head, licensed, active, utilisation: licensed === 0 ? 0 : active / licensed, users: inactive };
}

/**
 * Whether the credential may read the Users API (what `inactive` needs), with one small request. A
 * refusal is an answer, not a failure: the MAU count works without it, so it comes back as the line
 * that says what to grant. A service app asks for `okta.users.read` alone here, so that an app not
 * granted it is told so instead of losing its System Log token too.
 */
export async function checkUsersAccess(orgUrl: string, auth: AuthConfig, signal?: AbortSignal): Promise<{ readable: true } | { readable: false; reason: string }> {
  const asked = auth.mode === 'PrivateKey' && !auth.scopes?.length ? { ...auth, scopes: [USERS_API.scope] } : auth;
  const session = openSession({ orgUrl, auth: asked, api: USERS_API, reservePercent: 0, concurrency: 1, retry: { maxRetries: 2, requestTimeoutMs: 30_000 }, signal });
  try {
    await session.fetcher.fetchPage(`${session.origin}${USERS_API.path}?limit=1`, 'one user', () => undefined, { id: true });
    return { readable: true };
  } catch (err) {
    if (errorKind(err) === 'auth') return { readable: false, reason: describeError(err) };
    throw err;
  } finally {
    session.close();
  }
}
