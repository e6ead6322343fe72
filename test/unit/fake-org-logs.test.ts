import assert from 'node:assert/strict';
import { getAll, getPage, generateMonth, startFakeOrg, urlWith, type FakeOrg, type LogEvent } from '../fake-org';

/** A minimal but complete event, for tests that need exact control over instants. */
function ev(uuid: string, published: string, over: Partial<LogEvent> = {}): LogEvent {
  const base = generateMonth({ month: '2026-10', seed: 1, users: 3, sessions: 3, failureRate: 0, otherEventsRate: 0, edges: false }).events[0];
  return { ...base, uuid, published, ...over };
}

describe('fake org: System Log paging and bounds', () => {
  let org: FakeOrg;
  const month = generateMonth({ month: '2026-10', seed: 11, users: 60, sessions: 250 });
  const auth = () => `SSWS ${org.token}`;
  const bounded = (extra: Record<string, string | number> = {}) =>
    urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', ...extra });

  before(async () => {
    // Shuffled on purpose: the server must sort by published itself. The link tests below pin the
    // older next-link shape without `since`; the default, as Okta links, is in fake-org-next-since.test.ts.
    org = await startFakeOrg({ events: [...month.events].reverse(), nextLinkSince: false });
  });
  after(() => org.close());

  it('serves a bounded month in published order across pages, ending with a page without next', async () => {
    const { items, pages } = await getAll<LogEvent>(bounded({ limit: 37 }), auth());
    const inMonth = month.events.filter((e) => e.published >= '2026-10-01T00:00:00.000Z' && e.published < '2026-11-01T00:00:00.000Z');
    assert.equal(items.length, inMonth.length);
    assert.deepEqual(items.map((e) => e.uuid).sort(), inMonth.map((e) => e.uuid).sort());
    const published = items.map((e) => e.published);
    assert.deepEqual(published, [...published].sort());
    assert.equal(pages.length, Math.ceil(inMonth.length / 37));
    assert.equal(pages[pages.length - 1].next, undefined);
    assert.ok(pages.slice(0, -1).every((p) => p.next));
  });

  it('treats since as inclusive and until as exclusive', async () => {
    const { items } = await getAll<LogEvent>(bounded({ limit: 1000 }), auth());
    const instants = new Set(items.map((e) => e.published));
    assert.ok(instants.has('2026-10-01T00:00:00.000Z'), 'event at the first instant is served');
    assert.ok(instants.has('2026-10-31T23:59:59.999Z'), 'event at the last millisecond is served');
    assert.ok(!instants.has('2026-11-01T00:00:00.000Z'), 'event at until is not served');
    assert.ok(!instants.has('2026-09-30T23:59:59.999Z'));
  });

  it('links next with the original parameters, without since, plus an opaque after', async () => {
    const page = await getPage(bounded({ limit: 5, filter: 'eventType eq "user.session.start"' }), auth());
    assert.ok(page.next);
    const next = new URL(page.next);
    assert.equal(next.origin, org.url);
    assert.equal(next.searchParams.get('since'), null);
    assert.equal(next.searchParams.get('until'), '2026-11-01T00:00:00.000Z');
    assert.equal(next.searchParams.get('limit'), '5');
    assert.equal(next.searchParams.get('filter'), 'eventType eq "user.session.start"');
    assert.match(next.searchParams.get('after') ?? '', /^[A-Za-z0-9_-]+$/);
    assert.equal(page.self, bounded({ limit: 5, filter: 'eventType eq "user.session.start"' }));
  });

  it('defaults to 100 per page and rejects limits outside 0–1000 with E0000001', async () => {
    const page = await getPage(bounded(), auth());
    assert.equal((page.json as unknown[]).length, 100);
    for (const limit of ['1001', '-1', 'ten']) {
      const bad = await getPage(bounded({ limit }), auth());
      assert.equal(bad.status, 400, `limit=${limit}`);
      assert.equal((bad.json as { errorCode: string }).errorCode, 'E0000001');
    }
    const zero = await getPage(bounded({ limit: 0 }), auth());
    assert.deepEqual(zero.json, []);
  });

  it('rejects since together with after, and unparseable instants, with E0000001', async () => {
    const first = await getPage(bounded({ limit: 5 }), auth());
    const after = new URL(first.next!).searchParams.get('after')!;
    const both = await getPage(bounded({ after }), auth());
    assert.equal(both.status, 400);
    assert.equal((both.json as { errorCode: string }).errorCode, 'E0000001');
    // What Date.prototype.toString() produces, as the SDK sends for a Date object.
    const dateString = await getPage(urlWith(org.url, '/api/v1/logs', { since: new Date(Date.UTC(2026, 9, 1)).toString() }), auth());
    assert.equal(dateString.status, 400);
    const body = dateString.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['errorCauses', 'errorCode', 'errorId', 'errorLink', 'errorSummary']);
    assert.equal(body.errorCode, 'E0000001');
    const badCursor = await getPage(urlWith(org.url, '/api/v1/logs', { after: 'not-a-cursor' }), auth());
    assert.equal(badCursor.status, 400);
  });

  it('serves DESCENDING newest first and stops at since', async () => {
    const { items, pages } = await getAll<LogEvent>(bounded({ sortOrder: 'DESCENDING', limit: 50 }), auth());
    const published = items.map((e) => e.published);
    assert.deepEqual(published, [...published].sort().reverse());
    assert.equal(published[0], '2026-10-31T23:59:59.999Z');
    assert.equal(published[published.length - 1], '2026-10-01T00:00:00.000Z');
    assert.equal(pages[pages.length - 1].next, undefined);
  });

  it('searches q terms over actor, event type and message, all terms required', async () => {
    const login = month.events.find((e) => e.published.startsWith('2026-10') && e.actor.type === 'User' && e.actor.id !== 'unknown')!.actor.alternateId!;
    const { items } = await getAll<LogEvent>(bounded({ q: `${login} user.session.start`, limit: 1000 }), auth());
    assert.ok(items.length > 0);
    assert.ok(items.every((e) => e.actor.alternateId === login && e.eventType === 'user.session.start'));
  });
});

describe('fake org: polling queries and late events', () => {
  let org: FakeOrg;
  after(() => org?.close());

  it('always links next on a polling query, even from an empty page, and picks up appended events', async () => {
    org = await startFakeOrg({ events: [ev('a-1', '2026-10-05T10:00:00.000Z'), ev('a-2', '2026-10-05T11:00:00.000Z')] });
    const auth = `SSWS ${org.token}`;
    const first = await getPage(urlWith(org.url, '/api/v1/logs', { since: '2026-10-05T00:00:00.000Z', limit: 10 }), auth);
    assert.deepEqual((first.json as LogEvent[]).map((e) => e.uuid), ['a-1', 'a-2']);
    assert.ok(first.next);
    const empty = await getPage(first.next, auth);
    assert.deepEqual(empty.json, []);
    assert.ok(empty.next, 'empty polling page still links next');

    // A late event for an instant already passed is merged in before the cursor: polling resumes after it.
    org.appendEvents([ev('late-old', '2026-10-05T10:30:00.000Z'), ev('a-3', '2026-10-05T12:00:00.000Z')]);
    const resumed = await getPage(empty.next, auth);
    assert.deepEqual((resumed.json as LogEvent[]).map((e) => e.uuid), ['a-3']);
    const bounded = await getAll<LogEvent>(urlWith(org.url, '/api/v1/logs', { since: '2026-10-05T00:00:00.000Z', until: '2026-10-06T00:00:00.000Z' }), auth);
    assert.deepEqual(bounded.items.map((e) => e.uuid), ['a-1', 'late-old', 'a-2', 'a-3']);
  });

  it('keeps events at the same millisecond in arrival order and pages through them without loss', async () => {
    await org?.close();
    const same = Array.from({ length: 7 }, (_, i) => ev(`tie-${i}`, '2026-10-07T08:00:00.000Z'));
    org = await startFakeOrg({ events: same });
    const { items, pages } = await getAll<LogEvent>(urlWith(org.url, '/api/v1/logs', { since: '2026-10-07T00:00:00.000Z', until: '2026-10-08T00:00:00.000Z', limit: 3 }), `SSWS ${org.token}`);
    assert.deepEqual(items.map((e) => e.uuid), same.map((e) => e.uuid));
    assert.equal(pages.length, 3);
  });

  it('defaults since to seven days before until', async () => {
    await org?.close();
    org = await startFakeOrg({ events: [ev('old', '2026-10-01T00:00:00.000Z'), ev('recent', '2026-10-20T00:00:00.000Z')] });
    const page = await getPage(urlWith(org.url, '/api/v1/logs', { until: '2026-10-25T00:00:00.000Z' }), `SSWS ${org.token}`);
    assert.deepEqual((page.json as LogEvent[]).map((e) => e.uuid), ['recent']);
    org.setEvents([ev('only', '2026-10-24T00:00:00.000Z')]);
    const replaced = await getPage(urlWith(org.url, '/api/v1/logs', { until: '2026-10-25T00:00:00.000Z' }), `SSWS ${org.token}`);
    assert.deepEqual((replaced.json as LogEvent[]).map((e) => e.uuid), ['only']);
  });
});
