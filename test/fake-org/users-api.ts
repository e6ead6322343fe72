/**
 * `GET /api/v1/users`, as Okta's Users API reference describes it: users in `id` order, pages of
 * `limit` (default and maximum 200; 10 with `q`) linked by `next` while more remain, the cursor being
 * the last user's id as in Okta's own example. Without `filter` or `search`, DEPROVISIONED users are
 * left out. `filter` takes only a few properties, `eq` (and `gt ge lt le` on `lastUpdated`), `and`/`or`,
 * compared case included; `search` takes the documented top-level properties and any profile property,
 * case ignored, without `ne`. See docs/fake-org.md ("Users API") for the sources.
 */
import { compileFilter, FilterError } from './filter';
import { linkHeader, type PageFault } from './logs-api';
import { oktaError, type Reply } from './replies';
import type { OktaUser } from './types';

export const USERS_MAX_LIMIT = 200;
const Q_DEFAULT_LIMIT = 10;

const FILTER_FIELDS = new Set(['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName']);
const INEQUALITIES = new Set(['gt', 'ge', 'lt', 'le']);
const SEARCH_TOP = new Set(['id', 'status', 'created', 'activated', 'statusChanged', 'lastUpdated', 'type.id']);
const SEARCH_TIMES = new Set(['created', 'activated', 'statusChanged', 'lastUpdated', 'lastLogin']);
const CONTAINS_FIELDS = new Set(['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login']);

function filterAllows(path: string, op: string): string | undefined {
  if (!FILTER_FIELDS.has(path)) return `Filtering on "${path}" is not supported`;
  if (op === 'eq' || (path === 'lastUpdated' && INEQUALITIES.has(op))) return undefined;
  return `The "${op}" operator is not supported on "${path}" in a filter`;
}

function searchAllows(lastLogin: boolean): (path: string, op: string) => string | undefined {
  return (path, op) => {
    if (!SEARCH_TOP.has(path) && !path.startsWith('profile.') && !(lastLogin && path === 'lastLogin')) return `Searching on "${path}" is not supported`;
    if (op === 'ne' || op === 'ew') return `The "${op}" operator is not supported in a search`;
    if (op === 'co' && !CONTAINS_FIELDS.has(path)) return `The "co" operator is only supported on profile.firstName, profile.lastName, profile.email and profile.login`;
    return undefined;
  };
}

const byId = (a: OktaUser, b: OktaUser) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The org's users in `id` order, each serialised once. */
export class UserDirectory {
  readonly users: readonly OktaUser[];
  private readonly cache: (string | undefined)[] = [];

  constructor(users: readonly OktaUser[]) {
    this.users = [...users].sort(byId);
    for (let i = 1; i < this.users.length; i++) if (this.users[i].id === this.users[i - 1].id) throw new Error(`two users have the id ${this.users[i].id}`);
  }

  /** First index whose id sorts after `id`: where a page that follows `after=id` starts. */
  indexAfter(id: string): number {
    let lo = 0;
    let hi = this.users.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.users[mid].id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  json(i: number, origin: string): string {
    const plain = (this.cache[i] ??= JSON.stringify(this.users[i]));
    return `${plain.slice(0, -1)},"_links":{"self":{"href":${JSON.stringify(`${origin}/api/v1/users/${this.users[i].id}`)}}}}`;
  }
}

export interface UsersPageRequest {
  directory: UserDirectory;
  origin: string;
  path: string;
  params: URLSearchParams;
  fault?: PageFault;
  /** Whether `search` takes `lastLogin` (see `usersSearchLastLogin`). */
  searchLastLogin: boolean;
}

function parseLimit(raw: string | null, fallback: number): number | Reply {
  if (raw === null) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1)) return oktaError(400, 'E0000001', ['limit: The limit must be a positive number']);
  return Math.min(n, USERS_MAX_LIMIT);
}

/** `after` first, then the request's other parameters, as in Okta's example next link. */
function nextLink(origin: string, path: string, params: URLSearchParams, after: string | undefined): string {
  const next = new URLSearchParams();
  if (after !== undefined) next.append('after', after);
  for (const [k, v] of params) if (k !== 'after') next.append(k, v);
  return linkHeader(origin, path, next, 'next');
}

export function usersPage(req: UsersPageRequest): Reply {
  const { directory, params } = req;
  const search = params.get('search')?.trim() || undefined;
  const filter = params.get('filter')?.trim() || undefined;
  const q = params.get('q');
  // Okta does not say what a request with more than one of them gets; here the first of search, filter, q wins.
  const mode = search ? 'search' : filter ? 'filter' : q !== null ? 'q' : 'all';
  const limit = parseLimit(params.get('limit'), mode === 'q' ? Q_DEFAULT_LIMIT : USERS_MAX_LIMIT);
  if (typeof limit !== 'number') return limit;

  let test: ((u: OktaUser) => boolean) | undefined;
  try {
    if (search) test = compileFilter(search, { timeFields: SEARCH_TIMES, allow: searchAllows(req.searchLastLogin), noNot: true }).test;
    else if (filter) test = compileFilter(filter, { timeFields: new Set(['lastUpdated']), allow: filterAllows, noNot: true, caseExact: true }).test;
    else if (q !== null) {
      const term = q.toLowerCase();
      test = (u) => [u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => v?.toLowerCase().startsWith(term));
    }
  } catch (err) {
    if (err instanceof FilterError) return oktaError(400, err.code, [`${mode}: ${err.message}`]);
    throw err;
  }
  const withDeprovisioned = mode === 'search' || mode === 'filter';
  // `q` does not page: it answers one page and ignores a cursor.
  const after = mode === 'q' ? undefined : (params.get('after') ?? undefined);

  const picked: number[] = [];
  let more = false;
  for (let i = after === undefined ? 0 : directory.indexAfter(after); i < directory.users.length; i++) {
    const u = directory.users[i];
    if (!withDeprovisioned && u.status === 'DEPROVISIONED') continue;
    if (test && !test(u)) continue;
    if (picked.length === limit) {
      more = true;
      break;
    }
    picked.push(i);
  }

  const fault = req.fault;
  const links = [linkHeader(req.origin, req.path, params, 'self')];
  if (fault?.kind === 'emptyPage') {
    links.push(nextLink(req.origin, req.path, params, after));
    return { status: 200, body: '[]', headers: { link: links }, users: 0 };
  }
  const idAt = (k: number) => (k >= 0 ? directory.users[picked[k]].id : after);
  let cursor: string | undefined;
  let linked = more && mode !== 'q';
  if (linked) cursor = idAt(picked.length - 1 - (fault?.kind === 'overlap' ? fault.count : 0));
  if (fault?.kind === 'foreignNext') {
    linked = true;
    cursor = idAt(picked.length - 1);
  }
  if (linked) links.push(nextLink(fault?.kind === 'foreignNext' ? fault.origin : req.origin, req.path, params, cursor));
  const body = `[${picked.map((i) => directory.json(i, req.origin)).join(',')}]`;
  return { status: 200, body, headers: { link: links }, users: picked.length };
}
