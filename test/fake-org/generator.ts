/**
 * A seeded month of System Log activity with a known answer. Every user in `users` signs in
 * successfully at least once; around them sit the traps a MAU count must not fall into: failed
 * sign-ins (also `user.session.start`), unknown usernames, non-User actors, other event types,
 * and users active only just outside the month or exactly on its bounds. With `tokenGrants`, OAuth
 * 2.0 token grants too: users active only through them, and grants that must not count.
 */
import { FIRST_NAMES, LAST_NAMES } from './catalog';
import { CompactStore } from './compact-store';
import { hash32, mulberry32, oktaId } from './prng';
import { Kind, type UserTable } from './render';
import { CUSTOMER_IDENTITY_EVENT_TYPES, groundTruth, SIGN_IN_EVENT_TYPES, type GroundTruth } from './truth';
import type { LogEvent } from './types';

export interface GenerateOptions {
  /** `YYYY-MM`, a UTC calendar month. */
  month: string;
  seed: number;
  /** Distinct users with a successful sign-in in the month: the expected MAU. */
  users: number;
  /** Successful `user.session.start` events by those users (at least one each). */
  sessions: number;
  /** Failed sign-ins per successful one. Default 0.1. */
  failureRate?: number;
  /** Other event types per successful sign-in. Default 0.5. */
  otherEventsRate?: number;
  /** Bound and neighbouring-month events that expose off-by-one windows. Default true. */
  edges?: boolean;
  /**
   * OAuth 2.0 / OIDC token grants (Customer Identity activity). Off by default, so a seed's events stay
   * what they were; when on, they come from a PRNG of their own and after every other event, so the
   * month's other events (and their uuids) are the same as without them.
   */
  tokenGrants?: TokenGrantOptions;
}

export interface TokenGrantOptions {
  /**
   * Successful token grants of the counted types by User actors (at least `onlyUsers`, one each): a
   * third of the users active through grants alone have only refresh-token grants, the rest any
   * counted type; the others go to the month's signers.
   */
  grants: number;
  /** Users whose only activity in the month is token grants. */
  onlyUsers: number;
  /**
   * Grants that must not count, each this share of `grants` (at least 3 of each kind): client-credentials
   * grants by an app (`PublicClientApp`), refused token requests (FAILURE) and token revocations. Default 0.2.
   */
  distractorRate?: number;
}

export interface GeneratedMonth {
  events: LogEvent[];
  /** Sign-ins (`user.session.start`): `truth.mau === users`. */
  truth: GroundTruth;
  /** The ground truth of each definition, from the events (`truth.ts`), independently of the product. */
  truths: { 'sign-ins': GroundTruth; 'customer-identity': GroundTruth };
}

/**
 * Users and events the token grants add: users past the month's others, and how many of each kind.
 * `traps` are users whose only grant activity must not count: refused grants only, revocations only,
 * and one grant in the first instant of the next month.
 */
function grantPlan(opts: GenerateOptions): { onlyUsers: number; traps: number; grants: number; clientCredentials: number; failures: number; revocations: number } {
  const t = opts.tokenGrants;
  if (!t) return { onlyUsers: 0, traps: 0, grants: 0, clientCredentials: 0, failures: 0, revocations: 0 };
  const onlyUsers = Math.max(0, Math.floor(t.onlyUsers));
  const grants = Math.max(onlyUsers, Math.floor(t.grants));
  const each = Math.max(3, Math.round(grants * (t.distractorRate ?? 0.2)));
  return { onlyUsers, traps: 3, grants, clientCredentials: each, failures: each, revocations: each };
}

export function monthBounds(month: string): { since: number; until: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`month must be YYYY-MM, got "${month}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { since: Date.UTC(y, mo, 1), until: Date.UTC(y, mo + 1, 1) };
}

function makeUsers(seed: number, count: number): UserTable {
  const ids: string[] = [];
  const logins: string[] = [];
  const names: string[] = [];
  const taken = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const h = hash32(seed, i + 0x1000);
    const first = FIRST_NAMES[h % FIRST_NAMES.length];
    const last = LAST_NAMES[Math.floor(h / FIRST_NAMES.length) % LAST_NAMES.length];
    const base = `${first}.${last}`.toLowerCase();
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    ids.push(oktaId('00u', seed, i));
    logins.push(`${n === 1 ? base : base + n}@example.com`);
    names.push(`${first} ${last}`);
  }
  return { ids, logins, names };
}

/**
 * Hour-of-week weights: people sign in on weekdays in office hours, less at weekends and at night.
 * Returns a sampler of instants inside [since, until).
 */
function instantSampler(since: number, until: number): (r1: number, r2: number) => number {
  const hours = Math.round((until - since) / 3_600_000);
  const cumulative = new Float64Array(hours);
  let total = 0;
  for (let h = 0; h < hours; h++) {
    const at = new Date(since + h * 3_600_000);
    const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
    const hod = at.getUTCHours();
    const daytime = hod >= 7 && hod <= 18 ? 1 : hod >= 5 && hod <= 21 ? 0.4 : 0.1;
    total += (weekend ? 0.3 : 1) * daytime;
    cumulative[h] = total;
  }
  return (r1, r2) => {
    const target = r1 * total;
    let lo = 0;
    let hi = hours - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return since + lo * 3_600_000 + Math.floor(r2 * 3_600_000);
  };
}

/** Zipf-like weights over a shuffled ranking: a few very active users, a long tail. */
function zipfSampler(count: number, seed: number, excluded: Set<number>): (r: number) => number {
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const rank = hash32(seed ^ 0x21f, i) % count;
    total += excluded.has(i) ? 0 : 1 / Math.pow(rank + 1, 1.1);
    cumulative[i] = total;
  }
  return (r) => {
    const target = r * total;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The generated month as compact records: what `main.ts` serves for very large orgs. */
export function generateMonthStore(opts: GenerateOptions): CompactStore {
  const { since, until } = monthBounds(opts.month);
  const users = Math.max(0, Math.floor(opts.users));
  const sessions = Math.max(users, Math.floor(opts.sessions));
  const failureRate = opts.failureRate ?? 0.1;
  const otherRate = opts.otherEventsRate ?? 0.5;
  const edges = (opts.edges ?? true) && users >= 3;
  const seed = opts.seed >>> 0;
  const rnd = mulberry32(seed);

  // Users beyond `users` are the traps: active only outside the month, or only failing inside it.
  const neighbours = edges ? 4 : 0;
  const failOnly = failureRate > 0 && users > 0 ? Math.min(50, Math.max(1, Math.floor(users / 100))) : 0;
  const plan = grantPlan(opts);
  // Users past the others' indices, so adding them changes no earlier user's name or login.
  const table = makeUsers(seed, users + neighbours + failOnly + plan.onlyUsers + plan.traps);
  const failures = Math.max(failOnly, Math.round(sessions * failureRate));
  const others = Math.round(sessions * otherRate);
  const nonUser = users > 0 ? Math.max(1, Math.round(sessions * 0.001)) : 0;
  const grantEvents = plan.grants + plan.clientCredentials + plan.failures + plan.revocations + plan.traps;
  const store = new CompactStore(seed, table, sessions + failures + others + nonUser + neighbours + grantEvents);

  const inMonth = instantSampler(since, until);
  const edgeUsers = new Set(edges ? [users - 1, users - 2] : []);
  const active = zipfSampler(Math.max(users, 1), seed, edgeUsers);

  // One guaranteed sign-in per user, so the month's MAU is exactly `users`.
  for (let u = 0; u < users; u++) {
    const at = edgeUsers.has(u) ? (u === users - 1 ? since : until - 1) : inMonth(rnd(), rnd());
    store.push(Kind.SessionOk, u, at, hash32(seed, store.size));
  }
  for (let i = users; i < sessions; i++) store.push(Kind.SessionOk, active(rnd()), inMonth(rnd(), rnd()), (rnd() * 2 ** 32) >>> 0);

  for (let i = 0; i < failures; i++) {
    const salt = (rnd() * 2 ** 32) >>> 0;
    if (i < failOnly) store.push(Kind.SessionFail, users + neighbours + i, inMonth(rnd(), rnd()), salt);
    else if (salt % 5 === 0) store.push(Kind.SessionFailUnknown, -1, inMonth(rnd(), rnd()), salt);
    else store.push(Kind.SessionFail, active(rnd()), inMonth(rnd(), rnd()), salt);
  }

  const otherKinds: [Kind, number][] = [[Kind.Sso, 0.35], [Kind.Policy, 0.6], [Kind.SessionEnd, 0.75], [Kind.TokenGrant, 0.85], [Kind.Mfa, 0.96], [Kind.AppTokenGrant, 1]];
  for (let i = 0; i < others; i++) {
    const r = rnd();
    const kind = otherKinds.find(([, upTo]) => r < upTo)?.[0] ?? Kind.Sso;
    store.push(kind, kind === Kind.AppTokenGrant ? -1 : active(rnd()), inMonth(rnd(), rnd()), (rnd() * 2 ** 32) >>> 0);
  }
  for (let i = 0; i < nonUser; i++) store.push(Kind.SessionOkNonUser, -1, inMonth(rnd(), rnd()), (rnd() * 2 ** 32) >>> 0);

  if (edges) {
    const prevMonthMid = since - 16 * 86_400_000 + 9 * 3_600_000;
    const nextMonthEarly = until + 2 * 86_400_000 + 10 * 3_600_000;
    const outside = [until, since - 1, prevMonthMid, nextMonthEarly];
    outside.forEach((at, k) => store.push(Kind.SessionOk, users + k, at, hash32(seed ^ 0xed9e, k)));
  }
  if (opts.tokenGrants) pushTokenGrants(store, plan, { seed, since, until, users, first: users + neighbours + failOnly, edges, inMonth, active });
  store.seal();
  return store;
}

/**
 * The token grants, after every other event and from a PRNG of their own. Users `first…` are active
 * through grants alone (every third of them through refresh tokens alone); then come the traps.
 */
function pushTokenGrants(
  store: CompactStore,
  plan: ReturnType<typeof grantPlan>,
  m: { seed: number; since: number; until: number; users: number; first: number; edges: boolean; inMonth: (r1: number, r2: number) => number; active: (r: number) => number },
): void {
  const rnd = mulberry32(m.seed ^ 0x70c3a7);
  const salt = () => (rnd() * 2 ** 32) >>> 0;
  const at = () => m.inMonth(rnd(), rnd());
  const only = (k: number) => m.first + k;
  const refreshOnly = (k: number) => k % 3 === 0;
  // One grant for each user active through grants alone; the first one's on the month's last millisecond.
  for (let k = 0; k < plan.onlyUsers; k++) {
    store.push(refreshOnly(k) ? Kind.UserRefreshGrant : Kind.UserGrant, only(k), m.edges && k === 0 ? m.until - 1 : at(), salt());
  }
  // The rest: a quarter to those users again (the one on the bound keeps that grant alone), the others
  // to the month's signers.
  const again = m.edges ? 1 : 0;
  for (let i = plan.onlyUsers; i < plan.grants; i++) {
    const s = salt();
    if (plan.onlyUsers > again && (s & 3) === 0) {
      const k = again + ((s >>> 2) % (plan.onlyUsers - again));
      store.push(refreshOnly(k) ? Kind.UserRefreshGrant : Kind.UserGrant, only(k), at(), salt());
    } else if (m.users > 0) {
      store.push((s & 4) === 0 ? Kind.UserRefreshGrant : Kind.UserGrant, m.active(rnd()), at(), salt());
    }
  }
  for (let i = 0; i < plan.clientCredentials; i++) store.push(Kind.ClientCredentialsGrant, -1, at(), salt());
  // Refused and revoked tokens of active users; users who have nothing else are the traps below.
  const someone = () => (m.users > 0 ? m.active(rnd()) : only(0));
  for (let i = 0; i < plan.failures; i++) store.push(Kind.UserGrantFail, someone(), at(), salt());
  for (let i = 0; i < plan.revocations; i++) store.push(Kind.UserTokenRevoke, someone(), at(), salt());
  const traps = m.first + plan.onlyUsers;
  store.push(Kind.UserGrantFail, traps, at(), salt());
  store.push(Kind.UserTokenRevoke, traps + 1, at(), salt());
  store.push(Kind.UserRefreshGrant, traps + 2, m.until, salt());
}

/** A month of events as plain objects, with its ground truth. Keep to ~100,000 events per process. */
export function generateMonth(opts: GenerateOptions): GeneratedMonth {
  const store = generateMonthStore(opts);
  const events = store.toEvents();
  const { since, until } = monthBounds(opts.month);
  const signIns = groundTruth(events, { since, until, eventTypes: [...SIGN_IN_EVENT_TYPES] });
  const customerIdentity = groundTruth(events, { since, until, eventTypes: [...CUSTOMER_IDENTITY_EVENT_TYPES] });
  return { events, truth: signIns, truths: { 'sign-ins': signIns, 'customer-identity': customerIdentity } };
}
