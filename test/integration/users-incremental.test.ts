/**
 * Incremental user listings end to end: the real SDK reads the fake org's Users API over HTTP, the
 * org's users change between two listings (status changes, new users, deletions, renames, sign-ins,
 * dated as Okta dates them, under each rule Okta is silent on), and the incremental listing equals a
 * full listing and the fake org's users, in a handful of requests instead of one per 200 users. Then
 * `okta-mau inactive`, whose second run lists incrementally from its cache and is exact, with a
 * damaged or hostile cache file set aside.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isCancelled } from '../../src/core/errors';
import { checkUsersListing, type UsersListing } from '../../src/core/userListing';
import { BILLABLE_STATUSES, dormantFor, listUserListing, listUsers, type ListUsersOptions, type OrgUser } from '../../src/core/users';
import { usersListingPath } from '../../src/cli/cache';
import { dormantUsers, generateMonth, generateUsers, inactiveInMonth as truthInactive, startFakeOrg, type FakeOrg, type OktaUser } from '../fake-org';
import { applyUserChanges, newUser, type ChangeRules, type UserChange } from '../fake-org/users-changes';
import { buildCli, cliEnv, runCli } from './cli-harness';

const MONTH = '2026-10';
const AS_OF = new Date('2026-11-20T12:00:00Z');
const BILLABLE = new Set<string>(BILLABLE_STATUSES);

describe('incremental user listings against the fake org', function () {
  this.timeout(120_000);
  const gen = generateMonth({ month: MONTH, seed: 83, users: 1500, sessions: 6000 });
  const initial = generateUsers(gen.events, { seed: 83, dormant: 1600, hostileNames: 2, asOf: AS_OF });
  const orgs: FakeOrg[] = [];
  const start = async (o: Parameters<typeof startFakeOrg>[0] = {}) => {
    const org = await startFakeOrg({ users: initial, ...o });
    orgs.push(org);
    return org;
  };
  after(async () => {
    await Promise.all(orgs.map((o) => o.close()));
  });
  const auth = (org: FakeOrg) => ({ mode: 'SSWS' as const, token: org.token });
  const usersRequests = (org: FakeOrg) => org.requests.filter((r) => r.endpoint === 'users').length;

  /** What a listing must hold: the org's users in billable statuses, as the core reads them. */
  const expected = (users: readonly OktaUser[], statuses: ReadonlySet<string> = BILLABLE) =>
    users
      .filter((u) => statuses.has(u.status))
      .map((u) => ({ id: u.id, status: u.status, login: u.profile.login }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  const seen = (users: readonly OrgUser[]) => users.map((u) => ({ id: u.id, status: u.status, login: u.login })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const lastLogins = (users: readonly { id: string; lastLogin: string | null }[]) => new Map(users.map((u) => [u.id, u.lastLogin]));

  /** One of each change between two listings, picked from the users as they are. */
  function changeSet(users: readonly OktaUser[], seed: number): UserChange[] {
    const of = (s: string) => users.filter((u) => u.status === s);
    const act = of('ACTIVE');
    const neverSignedIn = act.find((u) => u.lastLogin === null)!;
    return [
      { kind: 'status', id: act[0].id, status: 'SUSPENDED' },
      { kind: 'status', id: act[1].id, status: 'DEPROVISIONED' },
      { kind: 'status', id: act[2].id, status: 'LOCKED_OUT' },
      { kind: 'status', id: of('SUSPENDED')[0].id, status: 'ACTIVE' },
      { kind: 'status', id: of('STAGED')[0].id, status: 'ACTIVE' },
      { kind: 'status', id: of('LOCKED_OUT')[0].id, status: 'ACTIVE' },
      { kind: 'profile', id: act[3].id, profile: { login: `renamed.${seed}@example.com`, email: `renamed.${seed}@example.com` } },
      { kind: 'signIn', id: act[4].id },
      { kind: 'signIn', id: neverSignedIn.id },
      { kind: 'create', user: newUser(seed, 1, 'ACTIVE') },
      { kind: 'create', user: newUser(seed, 2, 'STAGED') },
      // Already deactivated, so out of the listing: its deletion changes nothing there.
      { kind: 'delete', id: of('DEPROVISIONED')[0].id },
      // A first delete deactivates.
      { kind: 'delete', id: act[5].id },
    ];
  }

  const RULES: [string, ChangeRules][] = [
    ['status changes move lastUpdated, sign-ins do not (the fake\'s default)', {}],
    ['neither status changes nor sign-ins move lastUpdated', { statusChangeUpdatesLastUpdated: false }],
    ['sign-ins and status changes both move lastUpdated', { signInUpdatesLastUpdated: true }],
    ['sign-ins move lastUpdated, status changes do not', { signInUpdatesLastUpdated: true, statusChangeUpdatesLastUpdated: false }],
  ];
  for (const [name, rules] of RULES) {
    it(`after every kind of change, an incremental listing equals a full one and the org, in a handful of requests (${name})`, async () => {
      const org = await start();
      let before = usersRequests(org);
      const first = await listUserListing({ orgUrl: org.url, auth: auth(org) });
      const fullRequests = usersRequests(org) - before;
      assert.equal(first.incremental, false);
      assert.equal(first.requests, fullRequests);
      const billable = expected(initial).length;
      assert.ok(fullRequests >= Math.ceil(billable / 200), `${fullRequests} requests for ${billable} users`);
      assert.deepEqual(seen(first.users), expected(initial));

      const changed = applyUserChanges(initial, changeSet(initial, 1), new Date(), rules);
      org.setUsers(changed);
      before = usersRequests(org);
      const next = await listUserListing({ orgUrl: org.url, auth: auth(org), previous: JSON.parse(JSON.stringify(first)) });
      const incrementalRequests = usersRequests(org) - before;
      assert.equal(next.incremental, true, next.fullReason);
      assert.equal(next.requests, incrementalRequests);
      assert.ok(incrementalRequests <= 3 && fullRequests >= 5 * incrementalRequests, `${incrementalRequests} requests instead of ${fullRequests}`);
      assert.deepEqual(seen(next.users), expected(changed));

      const full = await listUserListing({ orgUrl: org.url, auth: auth(org) });
      assert.deepEqual(
        next.users.map((u) => [u.id, u.status, u.login, u.displayName]),
        full.users.map((u) => [u.id, u.status, u.login, u.displayName]),
        'the same users, in the same order, as a full listing',
      );
      // lastLogin is current only where Okta moves lastUpdated on a sign-in; the listing says as of when.
      const signedIn = changeSet(initial, 1).filter((c): c is { kind: 'signIn'; id: string } => c.kind === 'signIn').map((c) => c.id);
      const truth = lastLogins(changed);
      for (const id of signedIn) {
        const got = next.users.find((u) => u.id === id)!.lastLogin;
        if (rules.signInUpdatesLastUpdated) assert.equal(got, truth.get(id));
        else assert.equal(got, lastLogins(initial).get(id), 'a sign-in that did not move lastUpdated is not seen');
      }
      assert.equal(next.lastLoginAsOf, first.lastLoginAsOf, 'and the listing says its sign-ins are as of the earlier listing');
      assert.equal(next.fullListedAt, first.listedAt);
    });
  }

  it('with lastLogin needed and an org that searches on it: incremental, every lastLogin current, dormancy exact', async () => {
    const org = await start({ usersSearchLastLogin: 'supported' });
    const first = await listUserListing({ orgUrl: org.url, auth: auth(org), needsLastLogin: true });
    const changed = applyUserChanges(initial, changeSet(initial, 2), new Date());
    org.setUsers(changed);
    const next = await listUserListing({ orgUrl: org.url, auth: auth(org), needsLastLogin: true, previous: first });
    assert.equal(next.incremental, true, next.fullReason);
    assert.ok(next.requests <= 3, `${next.requests} requests`);
    assert.equal(next.lastLoginAsOf, next.listedAt);
    assert.deepEqual(next.lastLoginSearch?.supported, true);
    assert.deepEqual(seen(next.users), expected(changed));
    const truth = lastLogins(changed);
    for (const u of next.users) assert.equal(u.lastLogin, truth.get(u.id) ?? null, u.id);
    for (const days of [1, 30, 400]) {
      const at = new Date();
      assert.deepEqual(dormantFor(next.users, org.url, days, at).users.map((u) => u.id).sort(), dormantUsers(changed, { days, at, statuses: [...BILLABLE_STATUSES] }), `${days} days`);
    }
  });

  it('with lastLogin needed and an org that refuses to search on it: one refusal, every user listed, and no second refusal', async () => {
    const org = await start();
    const first = await listUserListing({ orgUrl: org.url, auth: auth(org), needsLastLogin: true });
    const changed = applyUserChanges(initial, changeSet(initial, 3), new Date());
    org.setUsers(changed);
    const refusals = () => org.requests.filter((r) => r.endpoint === 'users' && r.status === 400).length;
    const logged: string[] = [];
    const second = await listUserListing({ orgUrl: org.url, auth: auth(org), needsLastLogin: true, previous: first, log: (l) => logged.push(l) });
    assert.equal(second.incremental, false);
    assert.equal(refusals(), 1);
    assert.match(second.fullReason ?? '', /does not search users by lastLogin$/);
    assert.ok(logged.some((l) => /does not search users by lastLogin \(.*HTTP 400 E0000031/.test(l)), logged.join('\n'));
    assert.equal(second.lastLoginSearch?.supported, false);
    const truth = lastLogins(changed);
    for (const u of second.users) assert.equal(u.lastLogin, truth.get(u.id) ?? null);
    assert.deepEqual(seen(second.users), expected(changed));

    const third = await listUserListing({ orgUrl: org.url, auth: auth(org), needsLastLogin: true, previous: second });
    assert.equal(third.incremental, false);
    assert.equal(refusals(), 1, 'the refusal is remembered: not asked again');
    // Sign-ins allowed to be an hour old: incremental, without the search, and the listing says as of when.
    const fourth = await listUserListing({ orgUrl: org.url, auth: auth(org), needsLastLogin: true, previous: third, lastLoginMaxAgeMs: 3_600_000 });
    assert.equal(fourth.incremental, true);
    assert.equal(fourth.lastLoginAsOf, third.lastLoginAsOf);
    assert.equal(refusals(), 1);
  });

  it('finds a change made while the earlier listing ran: changes are asked for from its start', async () => {
    const org = await start();
    const active = initial.filter((u) => u.status === 'ACTIVE').sort((a, b) => (a.id < b.id ? -1 : 1));
    const target = active[0];
    let changed: OktaUser[] | undefined;
    const first = await listUserListing({
      orgUrl: org.url,
      auth: auth(org),
      statuses: ['ACTIVE'],
      // After the first page (users in id order: the target is on it), the target is suspended.
      onProgress: () => {
        if (changed) return;
        changed = applyUserChanges(initial, [{ kind: 'status', id: target.id, status: 'SUSPENDED' }], new Date());
        org.setUsers(changed);
      },
    });
    assert.ok(first.users.some((u) => u.id === target.id), 'the listing read the target before the change');
    const next = await listUserListing({ orgUrl: org.url, auth: auth(org), statuses: ['ACTIVE'], previous: first });
    assert.equal(next.incremental, true);
    assert.equal(next.users.some((u) => u.id === target.id), false);
    assert.deepEqual(seen(next.users), expected(changed!, new Set(['ACTIVE'])));
  });

  it('keeps a user deactivated and deleted between two listings until the next full listing, which the maximum age forces', async () => {
    const org = await start();
    const first = await listUserListing({ orgUrl: org.url, auth: auth(org) });
    const gone = initial.find((u) => u.status === 'ACTIVE')!;
    const changed = applyUserChanges(initial, [{ kind: 'delete', id: gone.id }, { kind: 'delete', id: gone.id }], new Date());
    assert.equal(changed.some((u) => u.id === gone.id), false);
    org.setUsers(changed);
    const next = await listUserListing({ orgUrl: org.url, auth: auth(org), previous: first });
    assert.equal(next.incremental, true);
    assert.ok(next.users.some((u) => u.id === gone.id), 'a deleted user leaves no trace for an incremental listing');
    const aged = await listUserListing({ orgUrl: org.url, auth: auth(org), previous: next, fullListingMaxAgeMs: 0 });
    assert.equal(aged.incremental, false);
    assert.match(aged.fullReason ?? '', /^the earlier listing builds on a full listing from .*, longer ago than 0 minutes \(users deleted since leave no trace/);
    assert.deepEqual(seen(aged.users), expected(changed));
  });

  it('lists in full from a listing of another org, or of other statuses, and says why', async () => {
    const a = await start();
    const b = await start();
    const ofA = await listUserListing({ orgUrl: a.url, auth: auth(a) });
    const other = await listUserListing({ orgUrl: b.url, auth: auth(b), previous: ofA });
    assert.equal(other.incremental, false);
    assert.equal(other.fullReason, `the earlier listing is of another org (${a.url})`);
    const statuses = await listUserListing({ orgUrl: a.url, auth: auth(a), previous: ofA, statuses: ['ACTIVE'] });
    assert.equal(statuses.incremental, false);
    assert.match(statuses.fullReason ?? '', /lists other statuses \(ACTIVE, LOCKED_OUT, PASSWORD_EXPIRED, RECOVERY\)$/);
  });

  it('keeps listUsers(options) as it was, reports progress as incremental, and hands the listing to onListing', async () => {
    const org = await start();
    const kept: UsersListing[] = [];
    const users = await listUsers({ orgUrl: org.url, auth: auth(org), onListing: (l) => kept.push(l) });
    assert.ok(Array.isArray(users));
    assert.equal(kept.length, 1);
    assert.equal(kept[0].users, users);
    const progress: { incremental?: boolean }[] = [];
    org.setUsers(applyUserChanges(initial, changeSet(initial, 4), new Date()));
    await listUsers({ orgUrl: org.url, auth: auth(org), previous: kept[0], onListing: (l) => kept.push(l), onProgress: (p) => progress.push(p) });
    assert.ok(progress.length > 0 && progress.every((p) => p.incremental === true));
    assert.equal(kept[1].incremental, true);
  });

  describe('cancelled', () => {
    for (const incremental of [false, true]) {
      it(`never yields a partial ${incremental ? 'incremental' : 'full'} listing`, async () => {
        const org = await start();
        const first = await listUserListing({ orgUrl: org.url, auth: auth(org) });
        // Enough changed users for the changes to take several pages.
        const renames: UserChange[] = initial.filter((u) => u.status === 'ACTIVE').slice(0, 700).map((u) => ({ kind: 'profile', id: u.id, profile: { lastName: 'Moved' } }));
        org.setUsers(applyUserChanges(initial, renames, new Date()));
        const controller = new AbortController();
        let given = 0;
        const o: ListUsersOptions = {
          orgUrl: org.url,
          auth: auth(org),
          signal: controller.signal,
          onProgress: () => controller.abort(),
          onListing: () => given++,
          ...(incremental ? { previous: first } : {}),
        };
        const err = await listUsers(o).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(isCancelled(err), String(err));
        assert.equal(given, 0);
      });
    }
  });

  describe('okta-mau inactive', () => {
    let work: string;
    before(() => {
      buildCli();
      work = mkdtempSync(join(tmpdir(), 'okta-mau-users-'));
    });
    after(() => rmSync(work, { recursive: true, force: true }));
    let n = 0;
    const freshCache = () => join(work, `cache-${++n}`);
    const lastLine = (out: string) => (out.endsWith('\n') ? out.slice(0, -1) : out).split('\n').pop() ?? '';

    it('keeps the listing in its cache, lists incrementally and exactly the next time, and in full with --from-scratch', async () => {
      const org = await start({ events: gen.events });
      const cache = freshCache();
      const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: AS_OF.toISOString(), OKTA_MAU_CACHE_DIR: cache });
      const args = ['inactive', '--org-url', org.url, '--month', MONTH];
      const first = await runCli([...args, '--format', 'json'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(JSON.parse(first.stdout).listing.incremental, false);
      const file = usersListingPath(cache, org.url, auth(org));
      assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
      assert.equal(statSync(dirname(file)).mode & 0o777, 0o700);
      assert.ok(!readFileSync(file, 'utf8').includes(org.token), 'no credential in the file');

      const changed = applyUserChanges(initial, changeSet(initial, 5), new Date());
      org.setUsers(changed);
      let before = usersRequests(org);
      const second = await runCli([...args, '--format', 'json'], env);
      assert.equal(second.code, 0, second.stderr);
      const doc = JSON.parse(second.stdout);
      assert.equal(doc.listing.incremental, true);
      assert.ok(usersRequests(org) - before <= 3, `${usersRequests(org) - before} Users API requests`);
      assert.deepEqual(doc.users.map((u: { id: string }) => u.id).sort(), truthInactive(changed, gen.events, { month: MONTH, statuses: [...BILLABLE_STATUSES] }));
      assert.equal(doc.licensed, expected(changed).length);

      before = usersRequests(org);
      const scratch = await runCli([...args, '--from-scratch'], env);
      assert.equal(scratch.code, 0, scratch.stderr);
      assert.match(lastLine(scratch.stdout), /^Users listed in full \(\d+ requests to the Users API\)$/);
      assert.ok(usersRequests(org) - before >= expected(changed).length / 200);
      const table = await runCli(args, env);
      assert.equal(table.code, 0, table.stderr);
      assert.match(lastLine(table.stdout), /^Users listed incrementally from the cached listing: \d+ changed users read \(2 requests to the Users API; last full listing (\d{4}-\d\d-\d\d \d\d:\d\d) UTC; last sign-ins as of \1 UTC\)$/);
      assert.equal(checkUsersListing(JSON.parse(readFileSync(file, 'utf8'))).ok, true);
    });

    it('--days lists incrementally where the org searches on lastLogin, and is exact', async () => {
      const org = await start({ usersSearchLastLogin: 'supported' });
      const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: new Date(Date.now() + 60_000).toISOString(), OKTA_MAU_CACHE_DIR: freshCache() });
      const args = ['inactive', '--org-url', org.url, '--days', '30', '--format', 'json'];
      const first = await runCli(args, env);
      assert.equal(first.code, 0, first.stderr);
      const changed = applyUserChanges(initial, changeSet(initial, 6), new Date());
      org.setUsers(changed);
      const second = await runCli(args, env);
      assert.equal(second.code, 0, second.stderr);
      const doc = JSON.parse(second.stdout);
      assert.equal(doc.listing.incremental, true);
      assert.deepEqual(doc.users.map((u: { id: string }) => u.id).sort(), dormantUsers(changed, { days: 30, at: doc.asOf, statuses: [...BILLABLE_STATUSES] }));
    });

    const damaged: [string, (org: FakeOrg, good: string) => string, RegExp][] = [
      ['cut off', (_, good) => good.slice(0, good.length / 2), /it is not valid JSON/],
      ['not a listing', () => '{"formatVersion":1,"users":"everyone"}', /it names no org/],
      ['from a newer okta-mau', (_, good) => good.replace('"formatVersion":1', '"formatVersion":99'), /it was written by a newer okta-mau \(format 99\)/],
      ['of another org, put in this org\'s folder', (org, good) => good.split(org.url).join('https://evil.okta.com'), /it holds a listing of another org \(https:\/\/evil\.okta\.com\)/],
      ['with a hostile user', (_, good) => good.replace(/"lastLogin":("[^"]*"|null)/, '"lastLogin":"\\u001b]8;;http://x\\u0007"'), /it holds a user with missing or malformed fields/],
      ['with a hostile org URL', (org, good) => good.split(`"orgUrl":"${org.url}"`).join('"orgUrl":"https://acme.okta.com/\\u001b[2J"'), /it names no org/],
    ];
    for (const [what, damage, reason] of damaged) {
      it(`sets a cached listing ${what} aside with one warning, lists every user and saves a good one (exit 0)`, async () => {
        const org = await start();
        const cache = freshCache();
        const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: new Date().toISOString(), OKTA_MAU_CACHE_DIR: cache });
        const args = ['inactive', '--org-url', org.url, '--days', '30', '--format', 'json'];
        assert.equal((await runCli(args, env)).code, 0);
        const file = usersListingPath(cache, org.url, auth(org));
        const bad = damage(org, readFileSync(file, 'utf8'));
        writeFileSync(file, bad);
        const r = await runCli(args, env);
        assert.equal(r.code, 0, r.stderr);
        const warnings = r.stderr.split('\n').filter((l) => l.startsWith('okta-mau: warning:'));
        assert.equal(warnings.length, 1, r.stderr);
        assert.ok(warnings[0].startsWith(`okta-mau: warning: ignored ${file}: `), warnings[0]);
        assert.match(warnings[0], reason);
        assert.match(warnings[0], /; listing every user$/);
        // eslint-disable-next-line no-control-regex -- the test looks for control characters
        assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(r.stderr), 'no control character reaches the terminal');
        assert.equal(JSON.parse(r.stdout).listing.incremental, false);
        const aside = readdirSync(dirname(file)).filter((f) => f.startsWith(`${file.split('/').pop()}.unusable-`));
        assert.equal(aside.length, 1);
        assert.equal(readFileSync(join(dirname(file), aside[0]), 'utf8'), bad, 'set aside, not deleted');
        assert.equal(checkUsersListing(JSON.parse(readFileSync(file, 'utf8'))).ok, true, 'a good listing replaces it');
      });
    }

    it('a listing that fails leaves the cached one as it was', async () => {
      const org = await start({ tokens: ['00goodToken0000000000000000000000000000001', '00goneToken0000000000000000000000000000002'] });
      const token = '00goneToken0000000000000000000000000000002';
      const cache = freshCache();
      const env = cliEnv({ OKTA_API_TOKEN: token, OKTA_MAU_NOW: new Date().toISOString(), OKTA_MAU_CACHE_DIR: cache });
      const args = ['inactive', '--org-url', org.url, '--days', '30'];
      assert.equal((await runCli(args, env)).code, 0);
      const file = usersListingPath(cache, org.url, { mode: 'SSWS', token });
      const good = readFileSync(file, 'utf8');
      org.revokeToken(token);
      const r = await runCli(args, env);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(readFileSync(file, 'utf8'), good);
      assert.deepEqual(readdirSync(dirname(file)).filter((f) => f.includes('.tmp') || f.includes('.unusable-')), []);
    });

    it('keeps no listing with --no-cache', async () => {
      const org = await start();
      const cache = freshCache();
      mkdirSync(cache, { recursive: true });
      const r = await runCli(['inactive', '--org-url', org.url, '--days', '30', '--no-cache'], cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache }));
      assert.equal(r.code, 0, r.stderr);
      assert.match(lastLine(r.stdout), /^Users listed in full \(\d+ requests to the Users API\)$/);
      assert.equal(existsSync(usersListingPath(cache, org.url, auth(org))), false);
    });
  });
});
