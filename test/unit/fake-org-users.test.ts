import assert from 'node:assert/strict';
import * as okta from '@okta/okta-sdk-nodejs';
import {
  generateMonth,
  generateUsers,
  getAll,
  getPage,
  makeOAuthClient,
  signClientAssertion,
  startFakeOrg,
  urlWith,
  USER_STATUSES,
  type FakeOrg,
  type OktaUser,
  type TestOAuthClient,
} from '../fake-org';

/**
 * The fake org's Users API (`GET /api/v1/users`) over plain HTTP and through the real SDK: Link
 * paging, the 200 cap, `filter`, `search` and `q` as Okta documents them, DEPROVISIONED users left
 * out of a plain listing, the `okta.users.read` scope and the endpoint's own rate-limit bucket.
 */
const MONTH = '2026-10';
const gen = generateMonth({ month: MONTH, seed: 61, users: 600, sessions: 2500 });
const users = generateUsers(gen.events, { seed: 61, dormant: 150, hostileNames: 4 });
const ids = (list: readonly OktaUser[]) => list.map((u) => u.id);
const sorted = (list: string[]) => [...list].sort();
const listed = users.filter((u) => u.status !== 'DEPROVISIONED');
const usersUrl = (org: FakeOrg, params: Record<string, string | number | undefined> = {}) => urlWith(org.url, '/api/v1/users', params);

async function requestToken(org: FakeOrg, client: TestOAuthClient, scope: string): Promise<string> {
  const res = await fetch(`${org.url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: signClientAssertion({ clientId: client.clientId, privateKey: client.privateKey, audience: `${org.url}/oauth2/v1/token`, kid: client.keyId }),
    }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return String(body.access_token);
}

describe('fake org: Users API', function () {
  this.timeout(30_000);
  let org: FakeOrg;
  let auth: string;
  const logsOnly = makeOAuthClient({ format: 'jwk' });
  const usersReader = makeOAuthClient({ format: 'jwk' });

  before(async () => {
    org = await startFakeOrg({
      events: gen.events,
      users,
      oauthClients: [
        { clientId: logsOnly.clientId, publicKey: logsOnly.publicKey, scopes: ['okta.logs.read'] },
        { clientId: usersReader.clientId, publicKey: usersReader.publicKey, scopes: ['okta.logs.read', 'okta.users.read'] },
      ],
    });
    auth = `SSWS ${org.token}`;
  });
  after(() => org.close());

  it('has users in every status, and more than a few pages of them', () => {
    for (const s of USER_STATUSES) assert.ok(users.some((u) => u.status === s), `no ${s} user`);
    assert.ok(listed.length > 600);
  });

  it('pages through every user but the DEPROVISIONED ones, in id order, by limit, after and Link next', async () => {
    const { items, pages } = await getAll<OktaUser>(usersUrl(org, { limit: 50 }), auth);
    assert.deepEqual(ids(items), sorted(ids(listed)));
    assert.equal(pages.length, Math.ceil(listed.length / 50));
    pages.forEach((page, k) => {
      const onPage = page.json as OktaUser[];
      assert.ok(page.self, `page ${k} has a self link`);
      if (k < pages.length - 1) {
        assert.equal(onPage.length, 50);
        const next = new URL(page.next ?? '');
        assert.equal(next.searchParams.get('after'), onPage[onPage.length - 1].id, 'the cursor is the last id of the page');
        assert.equal(next.searchParams.get('limit'), '50');
      } else assert.equal(page.next, undefined, 'the last page links no further');
    });
    assert.equal(org.stats.byEndpoint.users, pages.length);
  });

  it('serves Okta\'s user object, with _links.self and the profile as generated, hostile names byte for byte', async () => {
    const hostile = users.filter((u) => !/^[a-z]+\.[a-z]+\d*@example\.com$/.test(u.profile.login));
    assert.equal(hostile.length, 4);
    const page = await getPage(usersUrl(org, { filter: hostile.map((u) => `id eq "${u.id}"`).join(' or ') }), auth);
    const served = page.json as (OktaUser & { _links: { self: { href: string } } })[];
    assert.deepEqual(served.map(({ _links, ...rest }) => rest), [...hostile].sort((a, b) => (a.id < b.id ? -1 : 1)));
    for (const u of served) assert.equal(u._links.self.href, `${org.url}/api/v1/users/${u.id}`);
    assert.deepEqual(Object.keys(served[0]), ['id', 'status', 'created', 'activated', 'statusChanged', 'lastLogin', 'lastUpdated', 'passwordChanged', 'type', 'profile', 'credentials', '_links']);
  });

  it('defaults to 200 a page, caps limit at 200 and refuses a limit that is not a positive number', async () => {
    assert.equal(((await getPage(usersUrl(org), auth)).json as unknown[]).length, 200);
    const big = await getPage(usersUrl(org, { limit: 1000 }), auth);
    assert.equal((big.json as unknown[]).length, 200);
    for (const limit of ['0', '-5', 'ten']) {
      const page = await getPage(usersUrl(org, { limit }), auth);
      assert.equal(page.status, 400, limit);
      assert.equal((page.json as { errorCode: string }).errorCode, 'E0000001');
    }
  });

  it('filters by status, DEPROVISIONED only when a filter asks, values compared case included', async () => {
    for (const status of USER_STATUSES) {
      const { items } = await getAll<OktaUser>(usersUrl(org, { filter: `status eq "${status}"` }), auth);
      assert.deepEqual(ids(items), sorted(ids(users.filter((u) => u.status === status))), status);
    }
    const either = await getAll<OktaUser>(usersUrl(org, { filter: 'status eq "LOCKED_OUT" or status eq "RECOVERY"' }), auth);
    assert.deepEqual(ids(either.items), sorted(ids(users.filter((u) => u.status === 'LOCKED_OUT' || u.status === 'RECOVERY'))));
    assert.deepEqual((await getPage(usersUrl(org, { filter: 'status eq "active"' }), auth)).json, []);
  });

  it('filters by lastUpdated with gt and lt, and a filter includes DEPROVISIONED users as Okta says', async () => {
    const middle = [...users].map((u) => u.lastUpdated).sort()[Math.floor(users.length / 2)];
    const { items } = await getAll<OktaUser>(usersUrl(org, { filter: `lastUpdated gt "${middle}"` }), auth);
    const expected = users.filter((u) => Date.parse(u.lastUpdated) > Date.parse(middle));
    assert.deepEqual(ids(items), sorted(ids(expected)));
    assert.ok(items.some((u) => u.status === 'DEPROVISIONED'), 'a lastUpdated filter returns DEPROVISIONED users too');
    const active = await getAll<OktaUser>(usersUrl(org, { filter: `lastUpdated lt "${middle}" and status eq "ACTIVE"` }), auth);
    assert.deepEqual(ids(active.items), sorted(ids(users.filter((u) => Date.parse(u.lastUpdated) < Date.parse(middle) && u.status === 'ACTIVE'))));
  });

  it('refuses filter properties, operators and not that Okta does not support, with 400 E0000031', async () => {
    for (const filter of ['lastLogin lt "2026-10-01T00:00:00.000Z"', 'status ne "ACTIVE"', 'profile.login sw "ada"', 'not (status eq "ACTIVE")', 'status eq']) {
      const page = await getPage(usersUrl(org, { filter }), auth);
      assert.equal(page.status, 400, filter);
      assert.equal((page.json as { errorCode: string }).errorCode, 'E0000031', filter);
    }
  });

  it('searches case-insensitively, includes DEPROVISIONED users, refuses ne, and by default lastLogin', async () => {
    const { items } = await getAll<OktaUser>(usersUrl(org, { search: 'status eq "deprovisioned" or profile.lastName sw "sm"' }), auth);
    assert.deepEqual(ids(items), sorted(ids(users.filter((u) => u.status === 'DEPROVISIONED' || (u.profile.lastName ?? '').toLowerCase().startsWith('sm')))));
    const created = await getAll<OktaUser>(usersUrl(org, { search: 'created lt "2026-01-01T00:00:00.000Z"', limit: 200 }), auth);
    assert.deepEqual(ids(created.items), sorted(ids(users.filter((u) => u.created < '2026-01-01T00:00:00.000Z'))));
    for (const search of ['status ne "STAGED"', 'lastLogin lt "2026-10-01T00:00:00.000Z"', 'passwordChanged gt "2026-01-01T00:00:00.000Z"', 'status co "ACT"']) {
      const page = await getPage(usersUrl(org, { search }), auth);
      assert.equal(page.status, 400, search);
      assert.equal((page.json as { errorCode: string }).errorCode, 'E0000031', search);
    }
  });

  it('searches lastLogin when usersSearchLastLogin is supported, never matching a null lastLogin', async () => {
    const other = await startFakeOrg({ users, usersSearchLastLogin: 'supported' });
    try {
      const cutoff = '2026-09-01T00:00:00.000Z';
      const { items } = await getAll<OktaUser>(urlWith(other.url, '/api/v1/users', { search: `lastLogin lt "${cutoff}"` }), `SSWS ${other.token}`);
      const expected = users.filter((u) => u.lastLogin !== null && u.lastLogin < cutoff);
      assert.deepEqual(ids(items), sorted(ids(expected)));
      assert.ok(users.some((u) => u.lastLogin === null), 'some users never signed in, and they are not in the answer');
    } finally {
      await other.close();
    }
  });

  it('finds users with q by the start of a name or email: 10 by default, one page, no DEPROVISIONED', async () => {
    const term = 'a';
    const match = (u: OktaUser) => [u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => v?.toLowerCase().startsWith(term));
    const page = await getPage(usersUrl(org, { q: term }), auth);
    assert.deepEqual(ids(page.json as OktaUser[]), sorted(ids(listed.filter(match))).slice(0, 10));
    assert.equal(page.next, undefined, 'q does not page');
  });

  it('answers 403 E0000006 with insufficient_scope to an OAuth token without okta.users.read', async () => {
    const token = await requestToken(org, logsOnly, 'okta.logs.read');
    const denied = await getPage(usersUrl(org), `Bearer ${token}`);
    assert.equal(denied.status, 403);
    assert.equal((denied.json as { errorCode: string }).errorCode, 'E0000006');
    const challenge = denied.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer .*scope="okta\.users\.read".*error="insufficient_scope".*resource="\/api\/v1\/users"/);
    assert.equal((await getPage(urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z' }), `Bearer ${token}`)).status, 200, 'the same token still reads the System Log');
    const reader = await requestToken(org, usersReader, 'okta.users.read');
    assert.equal((await getPage(usersUrl(org, { limit: 1 }), `Bearer ${reader}`)).status, 200);
  });

  it('breaks like any endpoint: a 503 on page 2, an overlap, an empty page, a next link to a foreign origin', async () => {
    org.injectFault({ kind: 'status', status: 503, endpoint: 'users', afterOnly: true });
    const first = await getPage(usersUrl(org, { limit: 100 }), auth);
    assert.equal((await getPage(first.next!, auth)).status, 503);
    assert.equal(org.pendingFaults(), 0);

    org.injectFault({ kind: 'overlap', count: 3, endpoint: 'users' });
    const a = await getPage(usersUrl(org, { limit: 20 }), auth);
    const b = await getPage(a.next!, auth);
    assert.deepEqual(ids((b.json as OktaUser[]).slice(0, 3)), ids((a.json as OktaUser[]).slice(-3)));

    org.injectFault({ kind: 'emptyPage', endpoint: 'users', afterOnly: true });
    const empty = await getPage(a.next!, auth);
    assert.deepEqual(empty.json, []);
    assert.equal(new URL(empty.next!).searchParams.get('after'), new URL(a.next!).searchParams.get('after'), 'an empty page links to the same place');

    org.injectFault({ kind: 'foreignNext', endpoint: 'users' });
    const lured = await getPage(usersUrl(org, { limit: 5 }), auth);
    const { otherHost } = await org.foreignOrigins();
    assert.ok(lured.next?.startsWith(`${otherHost}/api/v1/users?after=`), lured.next);
    const foreign = await getPage(lured.next!, auth);
    assert.deepEqual(ids(foreign.json as OktaUser[]), ['00uFOREIGN0000000001', '00uFOREIGN0000000002']);
    assert.equal(org.foreignHits.at(-1)?.authorization, true, 'and the foreign server saw the credential this client sent along');
  });

  it('lists users with the real SDK, through every page, lastLogin as a Date', async () => {
    const client = new okta.Client({ orgUrl: org.url, authorizationMode: 'SSWS', token: org.token, cacheMiddleware: null });
    const seen: okta.User[] = [];
    for await (const u of await client.userApi.listUsers({ limit: 150 })) if (u) seen.push(u);
    assert.deepEqual(seen.map((u) => u.id), sorted(ids(listed)));
    const byId = new Map(users.map((u) => [u.id, u]));
    for (const u of seen) {
      const want = byId.get(u.id!)!;
      assert.equal(u.lastLogin ? new Date(u.lastLogin).toISOString() : null, want.lastLogin);
      assert.equal(u.status, want.status);
      assert.equal(u.profile?.login, want.profile.login);
    }
    const gone: string[] = [];
    for await (const u of await client.userApi.listUsers({ filter: 'status eq "DEPROVISIONED"' })) if (u) gone.push(u.id!);
    assert.deepEqual(gone, sorted(ids(users.filter((u) => u.status === 'DEPROVISIONED'))));
  });

  it('serves the Users API in an org started without users (an empty list), and the users it is given later', async () => {
    const bare = await startFakeOrg();
    try {
      const url = urlWith(bare.url, '/api/v1/users');
      const empty = await getPage(url, `SSWS ${bare.token}`);
      assert.equal(empty.status, 200);
      assert.deepEqual(empty.json, []);
      bare.setUsers(users.slice(0, 3));
      assert.equal(((await getPage(url, `SSWS ${bare.token}`)).json as unknown[]).length, 3 - users.slice(0, 3).filter((u) => u.status === 'DEPROVISIONED').length);
      bare.setUsers(undefined);
      assert.deepEqual((await getPage(url, `SSWS ${bare.token}`)).json, []);
    } finally {
      await bare.close();
    }
  });
});

describe('fake org: the Users API\'s rate-limit bucket', () => {
  /** Waits out the last seconds of an hour, so that one test's requests share a window. */
  async function awayFromHourEdge(): Promise<void> {
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
  }

  it('counts /api/v1/users in its own bucket, with its own limit, apart from /api/v1/logs', async function () {
    this.timeout(30_000);
    await awayFromHourEdge();
    const org = await startFakeOrg({ users, rateLimit: { limit: 120, windowMs: 3_600_000, bucketLimits: { '/api/v1/users': 3 } } });
    try {
      const auth = `SSWS ${org.token}`;
      const logs = urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z' });
      const headers = (p: Awaited<ReturnType<typeof getPage>>) => [p.status, p.headers.get('x-rate-limit-limit'), p.headers.get('x-rate-limit-remaining')];
      assert.deepEqual(headers(await getPage(usersUrl(org, { limit: 1 }), auth)), [200, '3', '2']);
      assert.deepEqual(headers(await getPage(logs, auth)), [200, '120', '119']);
      assert.deepEqual(headers(await getPage(usersUrl(org, { limit: 1 }), auth)), [200, '3', '1']);
      assert.deepEqual(headers(await getPage(usersUrl(org, { limit: 1 }), auth)), [200, '3', '0']);
      const over = await getPage(usersUrl(org, { limit: 1 }), auth);
      assert.equal(over.status, 429);
      assert.equal((over.json as { errorCode: string }).errorCode, 'E0000047');
      assert.deepEqual(headers(await getPage(logs, auth)), [200, '120', '118'], 'the System Log still has room');
      assert.deepEqual(
        org.stats.rateWindows.map((w) => [w.endpoint, w.requests, w.tooManyRequests]),
        [['/api/v1/users', 4, 1], ['/api/v1/logs', 2, 0]],
      );
    } finally {
      await org.close();
    }
  });
});
