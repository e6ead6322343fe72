import assert from 'node:assert/strict';
import { generateMonth, getPage, startFakeOrg, urlWith, type FakeOrg } from '../fake-org';

describe('fake org: org-wide concurrency limit', () => {
  let org: FakeOrg;
  const events = generateMonth({ month: '2026-10', seed: 5, users: 5, sessions: 10 }).events;
  const logs = () => urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' });
  const auth = () => `SSWS ${org.token}`;
  afterEach(() => org?.close());

  /** Resolves once the server holds `n` requests. */
  async function inFlight(n: number): Promise<void> {
    while (org.stats.inFlight < n) await new Promise((r) => setTimeout(r, 5));
  }

  it('answers 429 E0000047 with the concurrency values in the headers while the limit is full', async () => {
    org = await startFakeOrg({ events, concurrency: { limit: 3, occupied: 1 } });
    org.injectFault({ kind: 'hang', ms: 400, times: 2 });
    const slow = [getPage(logs(), auth()), getPage(logs(), auth())];
    await inFlight(2);
    const before = Date.now();
    const refused = await getPage(logs(), auth());
    assert.equal(refused.status, 429);
    assert.equal((refused.json as { errorCode: string }).errorCode, 'E0000047');
    assert.equal(refused.headers.get('x-rate-limit-limit'), '3');
    assert.equal(refused.headers.get('x-rate-limit-remaining'), '0');
    // An estimate about a minute ahead, as Okta's is.
    const reset = Number(refused.headers.get('x-rate-limit-reset')) * 1000;
    assert.ok(reset >= before + 55_000 && reset <= Date.now() + 61_000, `reset ${reset - before} ms ahead`);
    assert.deepEqual((await Promise.all(slow)).map((p) => p.status), [200, 200]);

    // Once the slots are free again, the headers are the time-based ones.
    const after = await getPage(logs(), auth());
    assert.equal(after.status, 200);
    assert.equal(after.headers.get('x-rate-limit-limit'), '1000000');
    assert.equal(org.stats.concurrencyRejections, 1);
    assert.equal(org.stats.tooManyRequests, 0, 'counted apart from the rate limit');
    assert.deepEqual(org.requests.map((r) => r.limitedBy ?? '-'), ['-', '-', 'concurrency', '-']);
  });

  it('does not let a refused request hold a slot or consume a fault', async () => {
    org = await startFakeOrg({ events, concurrency: { limit: 2, occupied: 1 } });
    org.injectFault({ kind: 'hang', ms: 300 });
    const slow = getPage(logs(), auth());
    await inFlight(1);
    org.injectFault({ kind: 'status', status: 503 });
    const refused = await Promise.all([getPage(logs(), auth()), getPage(logs(), auth())]);
    assert.deepEqual(refused.map((p) => p.status), [429, 429]);
    assert.equal((await slow).status, 200);
    assert.equal((await getPage(logs(), auth())).status, 503, 'the fault waited for a request that was let in');
  });

  it('takes a new limit from configure, and none with null', async () => {
    org = await startFakeOrg({ events });
    org.configure({ concurrency: { limit: 1, occupied: 1 } });
    const token = await getPage(`${org.url}/oauth2/v1/token`);
    assert.equal(token.status, 429, 'every endpoint is behind the same org-wide limit');
    assert.equal((await getPage(logs(), auth())).status, 429);
    org.configure({ concurrency: null });
    assert.equal((await getPage(logs(), auth())).status, 200);
  });
});
