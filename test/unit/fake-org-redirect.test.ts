import assert from 'node:assert/strict';
import { generateMonth, startFakeOrg, urlWith, type FakeOrg, type LegacyEvent, type LogEvent } from '../fake-org';

/** What a client sees of a redirect when it does not follow: the status and where it points. */
async function noFollow(url: string, init: RequestInit = {}): Promise<{ status: number; location: string | null }> {
  const res = await fetch(url, { ...init, redirect: 'manual' });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

describe('fake org: redirect faults', () => {
  let org: FakeOrg;
  const events = generateMonth({ month: '2026-10', seed: 13, users: 5, sessions: 10 }).events;
  const auth = () => `SSWS ${org.token}`;
  const range = { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' };
  beforeEach(async () => {
    org = await startFakeOrg({ events });
  });
  afterEach(() => org.close());

  it('sends logs and events requests to the same path and query on another port or host', async () => {
    const { otherHost, otherPort } = await org.foreignOrigins();
    const orgUrl = new URL(org.url);
    assert.equal(new URL(otherPort).hostname, orgUrl.hostname);
    assert.notEqual(new URL(otherPort).port, orgUrl.port);
    assert.notEqual(new URL(otherHost).origin, org.url);
    const cases = [
      { status: 301, to: 'otherPort', path: '/api/v1/logs', query: { ...range, limit: 5 } },
      { status: 302, to: 'otherHost', path: '/api/v1/logs', query: { ...range, filter: 'eventType eq "user.session.start"' } },
      { status: 307, to: 'otherPort', path: '/api/v1/events', query: { filter: 'published gt "2026-09-30T23:59:59.999Z"' } },
      { status: 308, to: 'otherHost', path: '/api/v1/events', query: { limit: 3 } },
    ] as const;
    for (const c of cases) {
      org.injectFault({ kind: 'redirect', status: c.status, to: c.to, endpoint: c.path.endsWith('logs') ? 'logs' : 'events' });
      const url = urlWith(org.url, c.path, c.query);
      const { status, location } = await noFollow(url, { headers: { authorization: auth() } });
      assert.equal(status, c.status);
      const target = new URL(location!);
      assert.equal(target.origin, c.to === 'otherPort' ? otherPort : otherHost);
      assert.equal(target.pathname + target.search, new URL(url).pathname + new URL(url).search);
    }
    assert.deepEqual(org.foreignHits, [], 'nothing followed yet');
    assert.deepEqual(org.requests.map((r) => r.fault), ['redirect', 'redirect', 'redirect', 'redirect']);
  });

  it('answers a client that follows with valid-looking events by foreign users, inside its range, and records what came', async () => {
    org.injectFault({ kind: 'redirect', status: 302, to: 'otherHost', endpoint: 'logs' });
    const url = urlWith(org.url, '/api/v1/logs', { ...range, filter: 'eventType eq "user.session.start"' });
    const { location } = await noFollow(url, { headers: { authorization: auth() } });
    const res = await fetch(location!, { headers: { authorization: auth(), dpop: 'a-proof' } });
    const page = (await res.json()) as LogEvent[];
    assert.equal(res.status, 200);
    assert.ok(page.length >= 1);
    assert.equal(new Set(page.map((e) => e.actor.id)).size, page.length);
    for (const e of page) {
      assert.match(e.actor.id, /^00uFOREIGN/);
      assert.equal(e.eventType, 'user.session.start');
      assert.equal(e.outcome?.result, 'SUCCESS');
      assert.ok(e.published >= range.since && e.published < range.until, e.published);
    }
    org.injectFault({ kind: 'redirect', status: 301, to: 'otherPort', endpoint: 'events' });
    const events = await fetch(urlWith(org.url, '/api/v1/events', { filter: 'published gt "2026-10-10T00:00:00.000Z" and published lt "2026-10-11T00:00:00.000Z"' }));
    const legacy = (await events.json()) as LegacyEvent[];
    assert.ok(legacy.every((e) => e.action.objectType === 'core.user_auth.login_success' && e.published.startsWith('2026-10-10')));
    assert.deepEqual(
      org.foreignHits.map(({ origin, method, authorization, auth: scheme, dpop, clientAssertion }) => ({ origin, method, authorization, scheme, dpop, clientAssertion })),
      [
        { origin: 'otherHost', method: 'GET', authorization: true, scheme: 'SSWS', dpop: true, clientAssertion: false },
        { origin: 'otherPort', method: 'GET', authorization: false, scheme: 'none', dpop: false, clientAssertion: false },
      ],
    );
    assert.ok(!JSON.stringify(org.foreignHits).includes(org.token), 'values are never kept');
  });

  it('redirects the token endpoint too, and records a followed POST with its client assertion, never its value', async () => {
    org.injectFault({ kind: 'redirect', status: 307, to: 'otherPort', endpoint: 'token' });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_assertion: 'secret.assertion.value' }).toString();
    const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: 'a-proof' }, body: form };
    const { status, location } = await noFollow(`${org.url}/oauth2/v1/token`, init);
    assert.equal(status, 307);
    const res = await fetch(location!, init);
    const token = (await res.json()) as { token_type: string; access_token: string };
    assert.equal(res.status, 200);
    assert.equal(token.token_type, 'Bearer');
    assert.ok(token.access_token);
    assert.deepEqual(
      org.foreignHits.map((h) => [h.origin, h.method, h.path, h.dpop, h.clientAssertion]),
      [['otherPort', 'POST', '/oauth2/v1/token', true, true]],
    );
    assert.ok(!JSON.stringify(org.foreignHits).includes('secret.assertion.value'));
  });

  it('loops to the very URL with samePath for as many requests as times says', async () => {
    org.injectFault({ kind: 'redirect', status: 302, to: 'samePath', times: 3, endpoint: 'logs' });
    const url = urlWith(org.url, '/api/v1/logs', { ...range, limit: 2 });
    for (let i = 0; i < 3; i++) assert.deepEqual(await noFollow(url, { headers: { authorization: auth() } }), { status: 302, location: url });
    assert.equal((await noFollow(url, { headers: { authorization: auth() } })).status, 200);
    // A client that follows gives up (fetch after 20 hops) or reaches the org again, never another origin.
    org.injectFault({ kind: 'redirect', status: 308, to: 'samePath', times: 50, endpoint: 'logs' });
    await assert.rejects(fetch(url, { headers: { authorization: auth() } }));
    assert.deepEqual(org.foreignHits, []);
  });
});
