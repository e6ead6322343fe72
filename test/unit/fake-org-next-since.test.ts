import assert from 'node:assert/strict';
import { generateMonth, getAll, getPage, startFakeOrg, urlWith, type FakeOrg, type LogEvent } from '../fake-org';

/** Okta's System Log next links keep `since` next to `after`; the fake must link, and accept, the same. */
describe('fake org: System Log next links keep since', () => {
  let org: FakeOrg;
  const month = generateMonth({ month: '2026-10', seed: 31, users: 40, sessions: 150 });
  const auth = () => `SSWS ${org.token}`;
  const query = { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', filter: 'eventType eq "user.session.start"', limit: 7, sortOrder: 'ASCENDING' };
  const inMonth = month.events.filter((e) => e.eventType === 'user.session.start' && e.published.startsWith('2026-10'));
  afterEach(() => org?.close());

  it('repeats since, until, filter, limit and sortOrder next to after', async () => {
    org = await startFakeOrg({ events: month.events });
    const page = await getPage(urlWith(org.url, '/api/v1/logs', query), auth());
    const next = new URL(page.next!);
    for (const [k, v] of Object.entries(query)) assert.equal(next.searchParams.get(k), String(v), k);
    assert.match(next.searchParams.get('after') ?? '', /^[A-Za-z0-9_-]+$/);
  });

  it('serves its own links, since and all, through to the end without loss, both ways', async () => {
    org = await startFakeOrg({ events: month.events });
    for (const sortOrder of ['ASCENDING', 'DESCENDING']) {
      const { items, pages } = await getAll<LogEvent>(urlWith(org.url, '/api/v1/logs', { ...query, sortOrder }), auth());
      assert.equal(items.length, inMonth.length, sortOrder);
      assert.deepEqual(new Set(items.map((e) => e.uuid)), new Set(inMonth.map((e) => e.uuid)));
      assert.ok(pages.slice(1).every((p) => new URL(p.self!).searchParams.get('since') === query.since));
      assert.equal(pages[pages.length - 1].next, undefined);
    }
  });

  it('keeps since on a polling query’s links, empty pages included', async () => {
    org = await startFakeOrg({ events: month.events });
    const { pages } = await getAll(urlWith(org.url, '/api/v1/logs', { since: '2026-10-25T00:00:00.000Z', limit: 1000 }), auth(), 3);
    assert.deepEqual(pages[2].json, []);
    assert.equal(new URL(pages[2].next!).searchParams.get('since'), '2026-10-25T00:00:00.000Z');
  });

  it('still refuses a since the cursor was not issued under, with 400 E0000001', async () => {
    org = await startFakeOrg({ events: month.events });
    const page = await getPage(urlWith(org.url, '/api/v1/logs', query), auth());
    const moved = new URL(page.next!);
    moved.searchParams.set('since', '2026-10-02T00:00:00.000Z');
    const refused = await getPage(moved.href, auth());
    assert.equal(refused.status, 400);
    assert.equal((refused.json as { errorCode: string }).errorCode, 'E0000001');
    // A cursor from a query without since, with a since added by the client.
    const noSince = await getPage(urlWith(org.url, '/api/v1/logs', { until: query.until, limit: 2 }), auth());
    const added = new URL(noSince.next!);
    added.searchParams.set('since', '2026-10-25T00:00:00.000Z');
    assert.equal((await getPage(added.href, auth())).status, 400);
  });

  it('drops since from its links with nextLinkSince: false, and then refuses any since with after', async () => {
    org = await startFakeOrg({ events: month.events, nextLinkSince: false });
    const page = await getPage(urlWith(org.url, '/api/v1/logs', query), auth());
    const next = new URL(page.next!);
    assert.equal(next.searchParams.get('since'), null);
    assert.equal((await getAll(urlWith(org.url, '/api/v1/logs', query), auth())).items.length, inMonth.length);
    next.searchParams.set('since', query.since);
    assert.equal((await getPage(next.href, auth())).status, 400);
  });
});
