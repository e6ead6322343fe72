import assert from 'node:assert/strict';
import { generateMonth, getPage, startFakeOrg, urlWith, type FakeOrg, type LegacyEvent, type LogEvent } from '../fake-org';

/** Okta serves the Events API as a stream: a `next` link on every page, and an empty page once caught up. */
describe('fake org: Events API next links as served', () => {
  let org: FakeOrg;
  const month = generateMonth({ month: '2026-10', seed: 23, users: 10, sessions: 25, failureRate: 0, otherEventsRate: 0 });
  const auth = () => `SSWS ${org.token}`;
  const inOctober = 'published gt "2026-09-30T23:59:59.999Z" and published lt "2026-11-01T00:00:00.000Z"';
  const expected = month.events.filter((e) => e.published.startsWith('2026-10')).length;
  afterEach(() => org?.close());

  it('links next from every page, the last one too, and past the end from empty pages that link on', async () => {
    org = await startFakeOrg({ events: month.events });
    let url = urlWith(org.url, '/api/v1/events', { filter: inOctober, limit: 10 });
    let seen = 0;
    let pages = 0;
    while (seen < expected) {
      const page = await getPage(url, auth());
      assert.equal(page.status, 200);
      assert.ok(page.next, `page ${pages + 1} links next`);
      seen += (page.json as LegacyEvent[]).length;
      pages++;
      url = page.next;
    }
    assert.equal(seen, expected);
    assert.equal(pages, Math.ceil(expected / 10));
    for (let hop = 0; hop < 3; hop++) {
      const empty = await getPage(url, auth());
      assert.deepEqual(empty.json, [], 'caught up: an empty page');
      assert.ok(empty.next, 'which still links next');
      assert.equal(new URL(empty.next).origin, org.url);
      url = empty.next;
    }
  });

  it('serves events that arrive after the end through the empty page’s next link', async () => {
    const [first] = month.events;
    org = await startFakeOrg({ events: [first] });
    const page = await getPage(urlWith(org.url, '/api/v1/events', { filter: 'published gt "2026-09-01T00:00:00.000Z"' }), auth());
    assert.equal((page.json as LegacyEvent[]).length, 1);
    const empty = await getPage(page.next!, auth());
    assert.deepEqual(empty.json, []);
    const late: LogEvent = { ...first, uuid: 'late-1', published: '2026-11-15T00:00:00.000Z' };
    org.appendEvents([late]);
    const resumed = await getPage(empty.next!, auth());
    assert.deepEqual((resumed.json as LegacyEvent[]).map((e) => e.published), [late.published]);
  });

  it("ends with a page without next under eventsLinking: 'untilEnd'", async () => {
    org = await startFakeOrg({ events: month.events, eventsLinking: 'untilEnd' });
    const all = await getPage(urlWith(org.url, '/api/v1/events', { filter: inOctober }), auth());
    assert.equal((all.json as LegacyEvent[]).length, expected);
    assert.equal(all.next, undefined);
    const none = await getPage(urlWith(org.url, '/api/v1/events', { filter: 'published gt "2030-01-01T00:00:00.000Z"' }), auth());
    assert.deepEqual(none.json, []);
    assert.equal(none.next, undefined);
  });
});
