import assert from 'node:assert/strict';
import { generateMonth, generateMonthStore, getPage, startFakeOrg, urlWith, type FakeOrg, type LogEvent } from '../fake-org';

describe('fake org: injected faults', () => {
  let org: FakeOrg;
  const events = generateMonth({ month: '2026-10', seed: 9, users: 20, sessions: 40, failureRate: 0, otherEventsRate: 0 }).events;
  const auth = () => `SSWS ${org.token}`;
  const logs = (extra: Record<string, string | number> = {}) =>
    urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', limit: 10, ...extra });
  const uuids = (json: unknown) => (json as LogEvent[]).map((e) => e.uuid);

  beforeEach(async () => {
    org = await startFakeOrg({ events });
  });
  afterEach(() => org.close());

  it('answers 500 with an Okta body and 502/503/504 with HTML, once, then serves normally', async () => {
    org.injectFault({ kind: 'status', status: 500 });
    const five = await getPage(logs(), auth());
    assert.equal(five.status, 500);
    assert.equal((five.json as { errorCode: string }).errorCode, 'E0000009');
    for (const status of [502, 503, 504] as const) {
      org.injectFault({ kind: 'status', status });
      const page = await getPage(logs(), auth());
      assert.equal(page.status, status);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(page.json, undefined);
    }
    assert.equal((await getPage(logs(), auth())).status, 200);
    assert.equal(org.pendingFaults(), 0);
  });

  it('drops the connection without a response on reset', async () => {
    org.injectFault({ kind: 'reset' });
    await assert.rejects(fetch(logs(), { headers: { authorization: auth() } }));
    assert.equal(org.requests[org.requests.length - 1].status, 0);
  });

  it('promises the whole body and delivers half on truncate', async () => {
    org.injectFault({ kind: 'truncate' });
    const res = await fetch(logs(), { headers: { authorization: auth() } });
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
  });

  it('sends a cut body with a matching Content-Length on invalidJson', async () => {
    org.injectFault({ kind: 'invalidJson' });
    const res = await fetch(logs(), { headers: { authorization: auth() } });
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(text));
    assert.ok(text.startsWith('[{'));
    assert.throws(() => JSON.parse(text) as unknown);
  });

  it('points next at another loopback origin on foreignNext, and records what reached it', async () => {
    org.injectFault({ kind: 'foreignNext' });
    const page = await getPage(logs(), auth());
    const next = new URL(page.next!);
    assert.notEqual(next.origin, org.url);
    assert.match(next.hostname, /^127\./);
    await getPage(page.next!, auth());
    assert.deepEqual(org.foreignHits.map((h) => ({ authorization: h.authorization, auth: h.auth })), [{ authorization: true, auth: 'SSWS' }]);
    assert.ok(!JSON.stringify(org.foreignHits).includes(org.token));
  });

  it('serves an empty page that links to the same continuation on emptyPage', async () => {
    const normal = await getPage(logs(), auth());
    org.injectFault({ kind: 'emptyPage' });
    const empty = await getPage(logs(), auth());
    assert.deepEqual(empty.json, []);
    assert.ok(empty.next);
    const resumed = await getPage(empty.next, auth());
    assert.deepEqual(uuids(resumed.json), uuids(normal.json));
  });

  it('repeats the last events of a page on the next page on overlap', async () => {
    org.injectFault({ kind: 'overlap', count: 3 });
    const first = await getPage(logs(), auth());
    const second = await getPage(first.next!, auth());
    assert.deepEqual(uuids(second.json).slice(0, 3), uuids(first.json).slice(-3));
    assert.equal(uuids(second.json).length, 10);
  });

  it('answers 429 with Remaining 0 and a future Reset on rateLimit', async () => {
    org.injectFault({ kind: 'rateLimit', resetInMs: 3000 });
    const before = Date.now();
    const page = await getPage(logs(), auth());
    assert.equal(page.status, 429);
    assert.equal((page.json as { errorCode: string }).errorCode, 'E0000047');
    assert.equal(page.headers.get('x-rate-limit-remaining'), '0');
    assert.ok(Number(page.headers.get('x-rate-limit-reset')) * 1000 >= before + 3000);
    assert.equal(org.stats.tooManyRequests, 1);
  });

  it('delays the response on hang, answers 500 E0000009 on timeout, and 401 on revoked', async () => {
    org.injectFault({ kind: 'hang', ms: 250 });
    const t0 = Date.now();
    assert.equal((await getPage(logs(), auth())).status, 200);
    assert.ok(Date.now() - t0 >= 240);
    org.injectFault({ kind: 'timeout' });
    const timeout = await getPage(logs(), auth());
    assert.equal(timeout.status, 500);
    assert.equal((timeout.json as { errorCode: string }).errorCode, 'E0000009');
    org.injectFault({ kind: 'revoked' });
    const revoked = await getPage(logs(), auth());
    assert.equal(revoked.status, 401);
    assert.equal((revoked.json as { errorCode: string }).errorCode, 'E0000011');
    assert.equal((await getPage(logs(), auth())).status, 200);
  });

  it('applies an afterOnly fault to page 2, not page 1, and only to its endpoint, times over', async () => {
    org.injectFault({ kind: 'status', status: 503, afterOnly: true, endpoint: 'logs', times: 2 });
    org.injectFault({ kind: 'status', status: 500, endpoint: 'events' });
    const first = await getPage(logs(), auth());
    assert.equal(first.status, 200);
    assert.equal((await getPage(first.next!, auth())).status, 503);
    assert.equal((await getPage(first.next!, auth())).status, 503);
    assert.equal((await getPage(first.next!, auth())).status, 200);
    assert.equal((await getPage(urlWith(org.url, '/api/v1/events', { limit: 1 }), auth())).status, 500);
    assert.deepEqual(org.requests.map((r) => r.fault ?? '-'), ['-', 'status', 'status', '-', 'status']);
  });

  it('adds latencyMs to every response', async () => {
    await org.close();
    org = await startFakeOrg({ events, latencyMs: 120 });
    const t0 = Date.now();
    await getPage(`${org.url}/nowhere`);
    assert.ok(Date.now() - t0 >= 110);
  });

  it('answers latencyMs after the request arrived, the time to build the answer included', async () => {
    await org.close();
    // A q search renders every event of the month to search it: the fake takes a good 100 ms to build
    // the (empty) answer, longer than the latency on most machines.
    const store = generateMonthStore({ month: '2026-10', seed: 9, users: 2000, sessions: 120_000, failureRate: 0, otherEventsRate: 0 });
    const latencyMs = 150;
    org = await startFakeOrg({ store, latencyMs });
    const held: number[] = [];
    for (let run = 0; run < 3; run++) {
      const res = await fetch(logs({ limit: 1000, q: 'no-such-term' }), { headers: { authorization: auth() } });
      await res.arrayBuffer();
      const { at, answeredAt, builtIn } = org.requests[org.requests.length - 1];
      const wait = answeredAt! - at;
      assert.ok(wait >= latencyMs - 5, `answered after ${wait} ms, before the latency`);
      // Held after building for what was left of the latency, not for the whole latency again. Only the
      // fake's own timestamps count, and timer slop gets half the latency: a busy machine cannot fail it,
      // while adding the latency after the build (or building after the wait) overshoots by all of it.
      held.push(wait - builtIn! - Math.max(0, latencyMs - builtIn!));
    }
    assert.ok(Math.min(...held) <= latencyMs / 2, `held ${held.join(', ')} ms beyond the rest of the latency`);
  });

  it('counts requests in flight', async () => {
    org.injectFault({ kind: 'hang', ms: 150, times: 3 });
    await Promise.all([1, 2, 3].map(() => getPage(logs(), auth())));
    assert.equal(org.stats.maxInFlight, 3);
    assert.equal(org.stats.inFlight, 0);
  });
});
