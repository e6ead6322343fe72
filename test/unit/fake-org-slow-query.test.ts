import assert from 'node:assert/strict';
import { generateMonth, getPage, startFakeOrg, urlWith, type FakeOrg, type LogEvent } from '../fake-org';

const DAY = 86_400_000;

/** A minimal but complete event at an exact instant. */
function ev(uuid: string, published: string): LogEvent {
  const base = generateMonth({ month: '2026-10', seed: 1, users: 3, sessions: 3, failureRate: 0, otherEventsRate: 0, edges: false }).events[0];
  return { ...base, uuid, published };
}

describe("fake org: Okta's query timeout over long ranges", () => {
  let org: FakeOrg;
  const auth = () => `SSWS ${org.token}`;
  // Two clusters, at the start and near the end of October.
  const events = [
    ...['01', '02', '03'].map((d) => ev(`early-${d}`, `2026-10-${d}T12:00:00.000Z`)),
    ...['29', '30'].map((d) => ev(`late-${d}`, `2026-10-${d}T12:00:00.000Z`)),
  ];
  const logs = (q: Record<string, string | number>) => urlWith(org.url, '/api/v1/logs', q);
  afterEach(() => org?.close());

  it('answers a range longer than longerThanMs with 500 E0000009 after timeoutMs, and serves a narrower one', async () => {
    org = await startFakeOrg({ events, slowQuery: { longerThanMs: 7 * DAY, timeoutMs: 80 } });
    const t0 = Date.now();
    const slow = await getPage(logs({ since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' }), auth());
    assert.ok(Date.now() - t0 >= 75, 'it took the timeout to fail');
    assert.equal(slow.status, 500);
    const body = slow.json as { errorCode: string; errorSummary: string; errorCauses: unknown[] };
    assert.equal(body.errorCode, 'E0000009');
    assert.equal(body.errorSummary, 'Internal Server Error');
    assert.equal(body.errorCauses.length, 1);
    const narrow = await getPage(logs({ since: '2026-10-28T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' }), auth());
    assert.deepEqual((narrow.json as LogEvent[]).map((e) => e.uuid), ['late-29', 'late-30']);
  });

  it('judges a next link by what is left from its cursor to until', async () => {
    org = await startFakeOrg({ events });
    const bounded = { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', limit: 2 };
    const first = await getPage(logs(bounded), auth());
    const second = await getPage(first.next!, auth());
    assert.deepEqual((second.json as LogEvent[]).map((e) => e.uuid), ['early-03', 'late-29']);
    org.configure({ slowQuery: { longerThanMs: 7 * DAY, timeoutMs: 10 } });
    // After early-02 the rest of October is left; after late-29, two days.
    assert.equal((await getPage(first.next!, auth())).status, 500);
    assert.deepEqual(((await getPage(second.next!, auth())).json as LogEvent[]).map((e) => e.uuid), ['late-30']);
    org.configure({ slowQuery: null });
    assert.equal((await getPage(first.next!, auth())).status, 200);
  });

  it('measures a polling query up to now, and leaves the Events API alone', async () => {
    org = await startFakeOrg({ events, slowQuery: { longerThanMs: 7 * DAY, timeoutMs: 10 } });
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    assert.equal((await getPage(logs({ since: ago(1) }), auth())).status, 200);
    assert.equal((await getPage(logs({ since: ago(30) }), auth())).status, 500);
    assert.equal((await getPage(urlWith(org.url, '/api/v1/events', { filter: 'published gt "2020-01-01T00:00:00.000Z"' }), auth())).status, 200);
  });
});
