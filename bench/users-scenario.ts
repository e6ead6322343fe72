/**
 * Scenario 9: listing 100,000 users from the fake org's Users API under Okta's real limits for the
 * endpoint, in full and then incrementally after a day's changes, each in a fresh child process
 * (`bench/worker.ts`, `impl: 'users'`), each checked against the fake org's users.
 *
 * `/api/v1/users` is 600 requests a minute on Enterprise and Workforce Identity orgs (Okta, Management
 * rate limits), of which one token may use half by default while the headers report the whole bucket
 * (as scenario 8); 150 ms a request as in scenarios 1 and 8. `--quick` scales the window as scenario 8
 * does (6 s instead of 60 s, the same requests a second) with 20,000 users.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UsersListing } from '../src/core/userListing';
import { getAll, startFakeOrg, urlWith, type FakeOrg, type OktaUser, type UserStatus } from '../test/fake-org';
import { applyUserChanges, newUser, type ChangeRules, type UserChange } from '../test/fake-org/users-changes';
import { nextWindow, runWorker } from './harness';
import { realFloorMs, type Row, type ScenarioResult, type Target } from './scenarios';
import { count, megabytes, ratio, seconds } from './stats';
import type { UsersWorkerResult } from './worker';

export interface UsersSizes {
  /** Users in billable statuses; 4% more in other statuses. */
  users: number;
  /** The `/api/v1/users` bucket, per window. */
  limit: number;
  windowMs: number;
}

const RESERVE_PERCENT = 20;
const LATENCY_MS = 150;
const BILLABLE: ReadonlySet<string> = new Set(['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY']);
/** Every 104 users: 100 billable (96 ACTIVE, 2 LOCKED_OUT, 1 PASSWORD_EXPIRED, 1 RECOVERY) and 4 not. */
const PATTERN: readonly UserStatus[] = [
  ...Array<UserStatus>(96).fill('ACTIVE'),
  'LOCKED_OUT',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'RECOVERY',
  'SUSPENDED',
  'DEPROVISIONED',
  'DEPROVISIONED',
  'STAGED',
];
const DAY = 86_400_000;

/** The org's users, deterministic for a size: created up to two years ago, none changed in the last day. */
function orgUsers(billable: number, now: number): OktaUser[] {
  const users: OktaUser[] = [];
  const blocks = Math.ceil(billable / 100);
  for (let n = 0; n < blocks * PATTERN.length; n++) {
    const status = PATTERN[n % PATTERN.length];
    const created = now - 2 * DAY - ((n * 7919) % 700) * DAY;
    const u = newUser(9, n, status, created);
    const updated = created + ((n * 104_729) % Math.max(1, now - DAY - created));
    const signedIn = status === 'STAGED' || n % 20 === 0 ? null : created + ((n * 15_485_863) % Math.max(1, now - 3_600_000 - created));
    users.push({ ...u, lastUpdated: new Date(updated).toISOString(), lastLogin: signedIn === null ? null : new Date(signedIn).toISOString() });
  }
  return users;
}

/** A day's changes in an org of this size (per 100,000 users): 600 status changes, 250 new users, 300 profile changes, 50 deletions; half the users sign in. */
function daysChanges(users: readonly OktaUser[], billable: number): UserChange[] {
  const k = (n: number) => Math.max(1, Math.round((n * billable) / 100_000));
  const of = (s: UserStatus) => users.filter((u) => u.status === s);
  const active = of('ACTIVE');
  const changes: UserChange[] = [];
  let i = 0;
  const next = () => active[(i++ * 7) % active.length];
  for (const [status, n] of [['LOCKED_OUT', 200], ['SUSPENDED', 100], ['DEPROVISIONED', 100], ['PASSWORD_EXPIRED', 100]] as const) {
    for (let j = 0; j < k(n); j++) changes.push({ kind: 'status', id: next().id, status });
  }
  for (const u of of('SUSPENDED').slice(0, k(100))) changes.push({ kind: 'status', id: u.id, status: 'ACTIVE' });
  for (let j = 0; j < k(300); j++) changes.push({ kind: 'profile', id: next().id, profile: { mobilePhone: `+1 555 0100 ${j}` } });
  for (let j = 0; j < k(250); j++) changes.push({ kind: 'create', user: newUser(10, j, j % 5 === 4 ? 'STAGED' : 'ACTIVE') });
  for (const u of of('DEPROVISIONED').slice(0, k(50))) changes.push({ kind: 'delete', id: u.id });
  const changed = new Set(changes.flatMap((c) => ('id' in c ? [c.id] : [])));
  for (const u of active) if (!changed.has(u.id) && u.id.charCodeAt(5) % 2 === 0) changes.push({ kind: 'signIn', id: u.id });
  return changes;
}

/** Sign-ins of half the users, a day later. */
function signIns(users: readonly OktaUser[]): UserChange[] {
  return users.filter((u) => u.status === 'ACTIVE' && u.id.charCodeAt(6) % 2 === 0).map((u) => ({ kind: 'signIn' as const, id: u.id }));
}

/** Pages per status: the fewest requests a listing by status can make. */
function pagesByStatus(users: readonly OktaUser[]): { total: number; longest: number } {
  const n = new Map<string, number>();
  for (const u of users) if (BILLABLE.has(u.status)) n.set(u.status, (n.get(u.status) ?? 0) + 1);
  const pages = [...n.values()].map((c) => Math.ceil(c / 200));
  return { total: pages.reduce((a, b) => a + b, 0), longest: Math.max(...pages) };
}

/**
 * The earliest time the queries' pages could all be answered if each query's pages follow one another
 * (a page's cursor comes with the page before it), every page takes `latencyMs`, and the token makes at
 * most `perWindow` requests in each window (aligned to multiples of `windowMs`, as the fake org's and
 * Okta's are): a schedule that always serves the query ready first, the one with more pages left on a
 * tie. Both limits of the bucket floor and of the paging floor at once.
 */
export function pagedBucketFloorMs(startedAt: number, pages: readonly number[], perWindow: number, windowMs: number, latencyMs: number): number {
  const queries = pages.filter((p) => p > 0).map((left) => ({ left, readyAt: startedAt }));
  const used = new Map<number, number>();
  let end = startedAt;
  for (;;) {
    const open = queries.filter((q) => q.left > 0);
    if (open.length === 0) return end - startedAt;
    const q = open.reduce((a, b) => (b.readyAt < a.readyAt || (b.readyAt === a.readyAt && b.left > a.left) ? b : a));
    const window = Math.floor(q.readyAt / windowMs);
    if ((used.get(window) ?? 0) >= perWindow) {
      q.readyAt = (window + 1) * windowMs;
      continue;
    }
    used.set(window, (used.get(window) ?? 0) + 1);
    q.readyAt += latencyMs;
    q.left--;
    end = Math.max(end, q.readyAt);
  }
}

interface Run {
  label: string;
  result: UsersWorkerResult;
  /** The fake org's count of Users API requests during the run, and its 429s. */
  requests: number;
  tooMany: number;
  /** The least time the bucket allows for the run's answered requests, from its start. */
  floorMs: number;
  /** The least time the bucket and cursor paging allow together: the run's queries, each one page after another (`pagedBucketFloorMs`). */
  pagingFloorMs: number;
  exact: boolean;
  lastLoginsExact: boolean;
}

function matches(listing: UsersListing, users: readonly OktaUser[]): { exact: boolean; lastLogins: boolean } {
  const want = users.filter((u) => BILLABLE.has(u.status)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const got = [...listing.users].sort((a, b) => (a.id < b.id ? -1 : 1));
  const exact = want.length === got.length && want.every((u, i) => got[i].id === u.id && got[i].status === u.status && got[i].login === u.profile.login);
  return { exact, lastLogins: exact && want.every((u, i) => got[i].lastLogin === u.lastLogin) };
}

export async function usersListing(spec: UsersSizes, log: (s: string) => void): Promise<ScenarioResult> {
  const rateLimit = { limit: spec.limit, windowMs: spec.windowMs, tokenShare: 0.5, headers: 'bucket' as const };
  const perWindow = Math.floor(rateLimit.tokenShare * rateLimit.limit);
  let t = Date.now();
  let users = orgUsers(spec.users, Date.now());
  log(`  scenario 9: generated ${count(users.length)} users (${count(users.filter((u) => BILLABLE.has(u.status)).length)} billable) in ${seconds(Date.now() - t)}`);
  const org: FakeOrg = await startFakeOrg({ users });
  const work = mkdtempSync(path.join(tmpdir(), 'okta-mau-bench-users-'));
  const runs: Run[] = [];
  try {
    // Warm: every page served once (the fake org keeps each user's JSON), before any limit applies.
    t = Date.now();
    await getAll(urlWith(org.url, '/api/v1/users', { limit: 200 }), `SSWS ${org.token}`, 100_000);
    log(`  scenario 9: fake org warmed in ${seconds(Date.now() - t)}`);
    org.configure({ latencyMs: LATENCY_MS, rateLimit, concurrency: { limit: 35 } });

    const measure = async (label: string, previous: string | undefined, truth: readonly OktaUser[]): Promise<string> => {
      const listingFile = path.join(work, `${runs.length}.json`);
      const recordsBefore = org.requests.length;
      const tooManyBefore = org.stats.tooManyRequests + org.stats.concurrencyRejections;
      const result = (await runWorker({ impl: 'users', url: org.url, token: org.token, reservePercent: RESERVE_PERCENT, listingFile, ...(previous ? { previousFile: previous } : {}) })) as unknown as UsersWorkerResult;
      const records = org.requests.slice(recordsBefore).filter((r) => r.endpoint === 'users');
      const answered = records.filter((r) => r.status === 200);
      // A query is its filter or search; its pages differ only in `after`.
      const perQuery = new Map<string, number>();
      for (const r of answered) {
        const key = `${r.query.filter ?? ''}|${r.query.search ?? ''}`;
        perQuery.set(key, (perQuery.get(key) ?? 0) + 1);
      }
      const check = matches(JSON.parse(readFileSync(listingFile, 'utf8')) as UsersListing, truth);
      const run: Run = {
        label,
        result,
        requests: records.length,
        tooMany: org.stats.tooManyRequests + org.stats.concurrencyRejections - tooManyBefore,
        floorMs: realFloorMs(result.startedAtMs, answered.length, perWindow, rateLimit.windowMs, LATENCY_MS),
        pagingFloorMs: pagedBucketFloorMs(result.startedAtMs, [...perQuery.values()], perWindow, rateLimit.windowMs, LATENCY_MS),
        exact: check.exact,
        lastLoginsExact: check.lastLogins,
      };
      runs.push(run);
      log(
        `  scenario 9 ${label}: ${seconds(result.wallMs)} (floor ${seconds(run.floorMs)}, ${ratio(result.wallMs / run.floorMs)}), ${run.requests} requests, ${run.tooMany} × 429, ` +
          `bucket and paging floor ${seconds(run.pagingFloorMs)} (${ratio(result.wallMs / run.pagingFloorMs)}), ${count(result.users)} users, ${result.incremental ? `incremental (${count(result.changed ?? 0)} changed)` : `full${result.fullReason ? `: ${result.fullReason}` : ''}`}, ${check.exact ? 'exact' : 'NOT EXACT'}`,
      );
      return listingFile;
    };

    const pages = pagesByStatus(users);
    const inOrg = users.length;
    await nextWindow(rateLimit.windowMs);
    const full = await measure('full listing', undefined, users);
    // A day's changes (sign-ins not moving lastUpdated, status changes moving it: the fake org's default).
    const rules: ChangeRules = {};
    users = applyUserChanges(users, daysChanges(users, spec.users), Date.now(), rules);
    org.setUsers(users);
    const incremental = await measure('incremental, after a day\'s changes', full, users);
    // The rule Okta is silent on, the other way: every sign-in moves lastUpdated, and half the users signed in.
    users = applyUserChanges(users, signIns(users), Date.now(), { signInUpdatesLastUpdated: true });
    org.setUsers(users);
    await nextWindow(rateLimit.windowMs);
    await measure('incremental, half the users signed in and sign-ins move lastUpdated', incremental, users);

    const [f, i, s] = runs;
    const cell = (r: Run) =>
      `${seconds(r.result.wallMs)}; ${r.requests} requests (${r.tooMany} × 429); bucket floor ${seconds(r.floorMs)}, ${ratio(r.result.wallMs / r.floorMs)}; ` +
      `bucket and paging floor ${seconds(r.pagingFloorMs)}, ${ratio(r.result.wallMs / r.pagingFloorMs)}`;
    const rows: Row[] = [
      { metric: 'full listing: wall time; requests; floors, time / floor', ours: cell(f) },
      { metric: 'incremental after a day\'s changes: wall time; requests; floors, time / floor', ours: cell(i) },
      { metric: 'incremental after a day\'s changes: users Okta sent as changed', ours: count(i.result.changed ?? 0) },
      { metric: 'requests: incremental / full', ours: `${i.requests} / ${f.requests} (1/${(f.requests / i.requests).toFixed(0)})` },
      { metric: 'reading the earlier listing\'s file (before the clock)', ours: seconds(i.result.readMs) },
      { metric: 'incremental, half the users signed in and sign-ins move lastUpdated: wall time; requests; floors, time / floor', ours: cell(s) },
      { metric: 'incremental, … : users Okta sent as changed', ours: count(s.result.changed ?? 0) },
      { metric: 'peak RSS: full, incremental', ours: `${megabytes(f.result.maxRssMb)}, ${megabytes(i.result.maxRssMb)}` },
      { metric: 'listing equals the fake org\'s users (id, status, login)', ours: runs.every((r) => r.exact) ? '✓ every run' : `✗ ${runs.filter((r) => !r.exact).map((r) => r.label).join('; ')}` },
    ];
    const targets: Target[] = [
      { target: 'an incremental listing after a day\'s changes makes ≤ 1/20 of the requests of a full one', measured: `1/${(f.requests / i.requests).toFixed(0)}`, met: i.requests * 20 <= f.requests },
      { target: 'every listing equals the fake org\'s users', measured: runs.every((r) => r.exact) ? 'yes' : 'no', met: runs.every((r) => r.exact) },
      { target: 'at most one 429 per listing', measured: runs.map((r) => r.tooMany).join(', '), met: runs.every((r) => r.tooMany <= 1) },
    ];
    return {
      id: 9,
      title: 'Listing 100,000 users',
      setup:
        `${count(spec.users)} users in billable statuses (${count(inOrg)} in the org), ${pages.total} pages of 200 at least (the ACTIVE query ${pages.longest}), ${LATENCY_MS} ms per request; ` +
        `/api/v1/users at ${rateLimit.limit} requests per ${rateLimit.windowMs / 1000} s window, of which one token may use ${perWindow} (Okta's default 50% share; the headers report the bucket); ` +
        `ours (listUserListing, reserve ${RESERVE_PERCENT}%) in a fresh process per listing. Bucket floor: the run's answered requests at ${perWindow} per window from its start, + ${LATENCY_MS} ms; ` +
        `bucket and paging floor: the same, with each query's pages one after another (each page's cursor comes with the page before it) at ${LATENCY_MS} ms a page. ` +
        'A day\'s changes: per 100,000 users 600 status changes (100 deactivations), 100 reactivations, 300 profile changes, 250 new users, 50 deletions, half the users signing in (not moving lastUpdated)',
      rows,
      targets,
      raw: { spec, rateLimit, perWindow, latencyMs: LATENCY_MS, pages, runs },
    };
  } finally {
    await org.close();
    rmSync(work, { recursive: true, force: true });
  }
}
