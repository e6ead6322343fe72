/**
 * The org's users from the Users API (`GET /api/v1/users`), and who among those holding a licence
 * did not sign in: inactive in a counted month, or dormant for N days by `lastLogin`.
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers
 */
import type { Fields } from './jsonArray';
import { describeError, errorKind, InvalidInputError, OktaApiError } from './errors';
import type { OktaApi } from './pageFetcher';
import type { RateMemory } from './rateBudget';
import { openSession } from './session';
import type { AuthConfig, MauReport, RetryOptions } from './types';
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
}

/** A user object's members a list reads; the rest of each user (its profile's other attributes, `_links`) is skipped unbuilt. */
const USER_FIELDS: Fields = {
  id: true,
  status: true,
  created: true,
  activated: true,
  lastLogin: true,
  passwordChanged: true,
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
  /** Users read so far, after every page. */
  onProgress?: (p: { users: number; pages: number; requests: number }) => void;
}

/**
 * The org's users in the given statuses, one paged query per status, run side by side: the Users
 * API pages by cursor only, so its statuses are the one split it allows. The Users API's own rate
 * limit bucket paces them, with the same reserve, retries and origin rules as a count.
 */
export async function listUsers(o: ListUsersOptions): Promise<OrgUser[]> {
  const statuses = checkStatuses(o.statuses ?? BILLABLE_STATUSES);
  const session = openSession({
    orgUrl: o.orgUrl,
    auth: o.auth,
    api: USERS_API,
    reservePercent: o.reservePercent,
    concurrency: statuses.length,
    retry: o.retry,
    signal: o.signal,
    log: o.log,
    rateMemory: o.rateMemory,
    onRateMemory: o.onRateMemory,
  });
  const { fetcher } = session;
  const users: OrgUser[] = [];
  try {
    await Promise.all(
      statuses.map(async (status) => {
        const q = new URLSearchParams({ filter: `status eq "${status}"`, limit: String(PAGE_LIMIT) });
        let url: string | undefined = `${session.origin}${USERS_API.path}?${q}`;
        const seen = new Set<string>();
        for (let pages = 0; url; pages++) {
          if (pages >= MAX_PAGES || seen.has(url)) {
            throw new OktaApiError(`${session.host} kept linking more pages of ${status} users (${pages} pages); the list stopped there`);
          }
          seen.add(url);
          const page: { items: (OrgUser | undefined)[]; next?: string } = await fetcher.fetchPage(url, `${status} users`, toUser, USER_FIELDS);
          // More than was asked for is a broken server: memory stays bounded by MAX_PAGES × PAGE_LIMIT.
          if (page.items.length > PAGE_LIMIT) {
            throw new OktaApiError(`${session.host} sent ${page.items.length} users in one page of ${status} users, more than the ${PAGE_LIMIT} asked for; the list stopped there`);
          }
          for (const u of page.items) if (u) users.push(u);
          o.onProgress?.({ users: users.length, pages: fetcher.stats.pages, requests: fetcher.stats.requests });
          url = page.next;
        }
      }),
    );
  } catch (err) {
    session.stop();
    throw err;
  } finally {
    session.close();
  }
  // A user listed under two statuses (one changed between pages) is kept once.
  const byId = new Map(users.map((u) => [u.id, u]));
  return [...byId.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : a.id < b.id ? -1 : 1));
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
  const u = item as { id?: unknown; status?: unknown; created?: unknown; activated?: unknown; lastLogin?: unknown; passwordChanged?: unknown; profile?: Record<string, unknown> };
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
