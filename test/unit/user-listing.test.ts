/**
 * The pure half of incremental user listings (`src/core/userListing.ts`): how changed users merge
 * into an earlier listing, which earlier listings are built on and which are not (and why), and how
 * a listing read back from a file is checked.
 */
import { strict as assert } from 'node:assert';
import { checkUsersListing, mergeUsers, planListing, USERS_LISTING_VERSION, type PlanOptions, type UsersListing } from '../../src/core/userListing';
import type { OrgUser } from '../../src/core/users';
import { BILLABLE_STATUSES } from '../../src/core/userStatus';

const ORG = 'https://acme.okta.com';
const T0 = Date.parse('2026-12-01T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;
const DAY = 24 * H;

function user(id: string, status: string, at: number, extra: Partial<OrgUser> = {}): OrgUser {
  return { id, login: `${id}@example.com`, displayName: id.toUpperCase(), status, lastLogin: null, lastUpdated: iso(at), statusChanged: iso(at - H), ...extra };
}

function listing(extra: Partial<UsersListing> = {}): UsersListing {
  return {
    formatVersion: USERS_LISTING_VERSION,
    orgUrl: ORG,
    statuses: [...BILLABLE_STATUSES].sort(),
    listedAt: iso(T0),
    fullListedAt: iso(T0),
    lastLoginAsOf: iso(T0),
    incremental: false,
    requests: 20,
    users: [user('a', 'ACTIVE', T0 - DAY), user('b', 'LOCKED_OUT', T0 - DAY), user('c', 'ACTIVE', T0 - 2 * DAY)],
    ...extra,
  };
}

const plan = (previous: unknown, o: Partial<PlanOptions> = {}) =>
  planListing(previous, { orgUrl: ORG, statuses: BILLABLE_STATUSES, needsLastLogin: false, now: T0 + H, overlapMs: 10 * 60_000, fullListingMaxAgeMs: 7 * DAY, lastLoginMaxAgeMs: 0, ...o });

describe('merging changed users into an earlier listing', () => {
  const base = listing().users;

  it('replaces a changed user, adds a new one, and keeps everybody else as they were', () => {
    const renamed = user('a', 'ACTIVE', T0 + H, { login: 'ann@example.com' });
    const added = user('n', 'PASSWORD_EXPIRED', T0 + H);
    const merged = mergeUsers(base, [renamed, added], BILLABLE_STATUSES);
    assert.deepEqual(merged.map((u) => u.id), ['a', 'b', 'c', 'n']);
    assert.equal(merged.find((u) => u.id === 'a')!.login, 'ann@example.com');
    assert.equal(merged.find((u) => u.id === 'b'), base[1], 'an unchanged user is the earlier object');
  });

  it('takes out users who left the statuses: deactivated, suspended, or in no status listed', () => {
    const merged = mergeUsers(base, [user('a', 'DEPROVISIONED', T0 + H), user('b', 'SUSPENDED', T0 + H), user('x', 'STAGED', T0 + H)], BILLABLE_STATUSES);
    assert.deepEqual(merged.map((u) => u.id), ['c']);
  });

  it('takes a status change back in: a suspended user unsuspended is listed again', () => {
    const merged = mergeUsers(base, [user('s', 'ACTIVE', T0 + H)], BILLABLE_STATUSES);
    assert.ok(merged.some((u) => u.id === 's'));
  });

  it('keeps the newest version of a user sent by several queries, whatever their order', () => {
    const older = user('a', 'ACTIVE', T0 + H);
    const newer = user('a', 'SUSPENDED', T0 + 2 * H);
    assert.deepEqual(mergeUsers(base, [older, newer], BILLABLE_STATUSES).map((u) => u.id), ['b', 'c']);
    assert.deepEqual(mergeUsers(base, [newer, older], BILLABLE_STATUSES).map((u) => u.id), ['b', 'c']);
  });

  it('keeps the earlier listing\'s version when a search answers with an older one (eventually consistent)', () => {
    const fresh = [user('a', 'LOCKED_OUT', T0 - 10 * 60_000)];
    const stale = user('a', 'ACTIVE', T0 - DAY, { statusChanged: iso(T0 - DAY) });
    const merged = mergeUsers(fresh, [stale], BILLABLE_STATUSES);
    assert.equal(merged[0].status, 'LOCKED_OUT');
  });

  it('orders a sign-in as a newer version even when it did not move lastUpdated', () => {
    const signedIn = user('c', 'ACTIVE', T0 - 2 * DAY, { lastLogin: iso(T0 + H) });
    assert.equal(mergeUsers(base, [signedIn], BILLABLE_STATUSES).find((u) => u.id === 'c')!.lastLogin, iso(T0 + H));
  });

  it('on equal times, the later query\'s version wins (the caller puts the filter, read from the up-to-date store, last)', () => {
    const a = user('a', 'ACTIVE', T0 + H, { displayName: 'from search' });
    const b = user('a', 'ACTIVE', T0 + H, { displayName: 'from filter' });
    assert.equal(mergeUsers(base, [a, b], BILLABLE_STATUSES)[0].displayName, 'from filter');
  });

  it('sorts by login, then id', () => {
    const merged = mergeUsers([], [user('z', 'ACTIVE', T0, { login: 'a@x' }), user('y', 'ACTIVE', T0, { login: 'a@x' }), user('b', 'ACTIVE', T0, { login: '0@x' })], ['ACTIVE']);
    assert.deepEqual(merged.map((u) => u.id), ['b', 'y', 'z']);
  });
});

describe('whether an earlier listing is built on', () => {
  it('builds on a recent listing of the same org and statuses, from its start less the overlap', () => {
    const p = plan(listing());
    assert.equal(p.kind, 'incremental');
    if (p.kind !== 'incremental') return;
    assert.equal(p.since, iso(T0 - 10 * 60_000));
    assert.equal(p.lastLoginSince, undefined, 'sign-ins are not asked for when lastLogin is not read');
  });

  it('lists in full with no earlier listing, and says nothing', () => {
    assert.deepEqual(plan(undefined), { kind: 'full' });
  });

  const fullBecause: [string, unknown, Partial<PlanOptions>, RegExp][] = [
    ['another org', listing({ orgUrl: 'https://other.okta.com' }), {}, /^the earlier listing is of another org \(https:\/\/other\.okta\.com\)$/],
    ['other statuses', listing({ statuses: ['ACTIVE'], users: [] }), {}, /^the earlier listing lists other statuses \(ACTIVE\)$/],
    ['a last full listing older than the maximum age', listing({ fullListedAt: iso(T0 - 8 * DAY) }), {}, /builds on a full listing from 2026-11-23 08:00 UTC, longer ago than 7 days \(users deleted since/],
    ['a listing from the future', listing({ listedAt: iso(T0 + 2 * DAY), fullListedAt: iso(T0), lastLoginAsOf: iso(T0) }), {}, /later than now: the clock has moved back$/],
    ['damage', { ...listing(), users: [{ id: 'a' }] }, {}, /^the earlier listing holds a user with missing or malformed fields$/],
    ['a newer format', { ...listing(), formatVersion: 2 }, {}, /^the earlier listing was written by a newer okta-mau \(format 2\)$/],
    ['something else entirely', 'users.json', {}, /^the earlier listing is not a user listing$/],
  ];
  for (const [what, previous, o, reason] of fullBecause) {
    it(`lists in full for ${what}, and says why`, () => {
      const p = plan(previous, o);
      assert.equal(p.kind, 'full');
      assert.match((p as { reason?: string }).reason ?? '', reason);
    });
  }

  it('asks for sign-ins since the earlier listing\'s lastLoginAsOf when lastLogin is read', () => {
    const p = plan(listing({ lastLoginAsOf: iso(T0 - DAY), incremental: true }), { needsLastLogin: true });
    assert.equal(p.kind, 'incremental');
    if (p.kind === 'incremental') assert.equal(p.lastLoginSince, iso(T0 - DAY - 10 * 60_000));
  });

  it('lists in full when lastLogin is read, the org refuses to search on it and the sign-ins are older than allowed', () => {
    const refused = { supported: false, checkedAt: iso(T0) };
    const p = plan(listing({ lastLoginSearch: refused }), { needsLastLogin: true });
    assert.equal(p.kind, 'full');
    assert.match((p as { reason?: string }).reason ?? '', /has last sign-ins as of 2026-12-01 08:00 UTC, and acme\.okta\.com does not search users by lastLogin$/);
    assert.deepEqual((p as { lastLoginSearch?: unknown }).lastLoginSearch, refused, 'the memory of the refusal is kept');
    // Allowed older sign-ins: incremental, without the search.
    const q = plan(listing({ lastLoginSearch: refused }), { needsLastLogin: true, lastLoginMaxAgeMs: 2 * H });
    assert.equal(q.kind, 'incremental');
    if (q.kind === 'incremental') assert.equal(q.lastLoginSince, undefined);
    // A refusal learned long ago is asked again.
    const r = plan(listing({ lastLoginSearch: { supported: false, checkedAt: iso(T0 - 8 * DAY) } }), { needsLastLogin: true });
    assert.equal(r.kind, 'incremental');
  });

  it('after a refusal learned in this run, plans without the search and remembers it', () => {
    const p = plan(listing(), { needsLastLogin: true, lastLoginSearchRefused: true });
    assert.equal(p.kind, 'full');
    assert.equal((p as { lastLoginSearch?: { supported: boolean } }).lastLoginSearch?.supported, false);
  });
});

describe('checking a listing read back from a file', () => {
  it('accepts what listUsers writes, and rebuilds every user from its known fields only', () => {
    const polluted = JSON.parse(JSON.stringify(listing()).replace('"id":"a"', '"__proto__":{"isAdmin":true},"extra":1,"id":"a"')) as unknown;
    const check = checkUsersListing(polluted);
    assert.ok(check.ok);
    if (!check.ok) return;
    const a = check.listing.users.find((u) => u.id === 'a')!;
    assert.equal(Object.getPrototypeOf(a), Object.prototype);
    assert.equal((a as unknown as { isAdmin?: boolean }).isAdmin, undefined);
    assert.equal('extra' in a, false);
  });

  const damaged: [string, (l: Record<string, unknown>) => unknown, RegExp][] = [
    ['a user listed twice', (l) => ({ ...l, users: [...(l.users as OrgUser[]), (l.users as OrgUser[])[0]] }), /lists a user twice/],
    ['a user in a status not listed', (l) => ({ ...l, users: [user('s', 'SUSPENDED', T0)] }), /a status it did not list/],
    ['a user without an id', (l) => ({ ...l, users: [{ ...user('a', 'ACTIVE', T0), id: '' }] }), /without a usable id/],
    ['a lastLogin that is no instant', (l) => ({ ...l, users: [{ ...user('a', 'ACTIVE', T0), lastLogin: 'yesterday' }] }), /missing or malformed/],
    ['a huge login', (l) => ({ ...l, users: [{ ...user('a', 'ACTIVE', T0), login: 'x'.repeat(20_000) }] }), /missing or malformed/],
    ['a listedAt rolled over', (l) => ({ ...l, listedAt: '2026-02-30T00:00:00.000Z' }), /damaged times/],
    ['a full listing after the listing', (l) => ({ ...l, fullListedAt: iso(T0 + H) }), /damaged times/],
    ['an org URL that is not one', (l) => ({ ...l, orgUrl: 'https://acme.okta.com/path' }), /names no org/],
    ['an unknown status', (l) => ({ ...l, statuses: ['ACTIVE', 'ENABLED'] }), /statuses/],
    ['no users', (l) => ({ ...l, users: 'all of them' }), /no list of users/],
    ['an older format', (l) => ({ ...l, formatVersion: 0 }), /unknown format \(0\)/],
    ['a damaged lastLoginSearch', (l) => ({ ...l, lastLoginSearch: { supported: 'yes', checkedAt: iso(T0) } }), /lastLoginSearch/],
  ];
  for (const [what, damage, problem] of damaged) {
    it(`refuses ${what}`, () => {
      const check = checkUsersListing(damage(listing() as unknown as Record<string, unknown>));
      assert.equal(check.ok, false);
      if (!check.ok) assert.match(check.problem, problem);
    });
  }
});
