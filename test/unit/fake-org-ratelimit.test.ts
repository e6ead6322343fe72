import assert from 'node:assert/strict';
import { getPage, startFakeOrg, urlWith, type FakeOrg } from '../fake-org';

const WINDOW_MS = 2000;

/** Start just after a window boundary, so a test's few requests share one window. */
async function atWindowStart(): Promise<void> {
  await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS) + 20));
}

describe('fake org: rate limits', function () {
  // Waits for real window boundaries.
  this.timeout(15_000);
  let org: FakeOrg;
  const logs = () => urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z' });
  afterEach(() => org?.close());

  it('sends Limit, Remaining, Reset and Date on every response, errors and 404s included', async () => {
    org = await startFakeOrg();
    for (const [url, authz, status] of [
      [logs(), `SSWS ${org.token}`, 200],
      [logs(), 'SSWS wrong', 401],
      [`${org.url}/api/v1/nothing`, undefined, 404],
    ] as const) {
      const page = await getPage(url, authz);
      assert.equal(page.status, status);
      assert.equal(page.headers.get('x-rate-limit-limit'), '1000000');
      assert.match(page.headers.get('x-rate-limit-remaining') ?? '', /^\d+$/);
      const reset = Number(page.headers.get('x-rate-limit-reset'));
      assert.ok(reset * 1000 > Date.now() - 1000 && reset * 1000 <= Date.now() + 61_000, `reset ${reset} is the end of the current minute`);
      assert.ok(page.headers.get('date'));
    }
  });

  it('takes a new rate limit and latency while it runs, and drops them again', async () => {
    org = await startFakeOrg();
    const auth = `SSWS ${org.token}`;
    org.configure({ rateLimit: { limit: 2, windowMs: WINDOW_MS }, latencyMs: 120 });
    await atWindowStart();
    const started = Date.now();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getPage(logs(), auth)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.ok(Date.now() - started >= 3 * 120, 'each answer waited for the latency');
    assert.equal(org.stats.rateWindows.length, 1);
    org.configure({ rateLimit: null, latencyMs: 0 });
    const page = await getPage(logs(), auth);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-rate-limit-limit'), '1000000');
  });

  it('counts down per endpoint within an aligned window, then answers 429 E0000047', async () => {
    org = await startFakeOrg({ rateLimit: { limit: 3, windowMs: WINDOW_MS } });
    const auth = `SSWS ${org.token}`;
    await atWindowStart();
    const windowEnd = Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS;
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await getPage(logs(), auth);
      assert.equal(page.status, 200);
      remaining.push(page.headers.get('x-rate-limit-remaining')!);
      assert.equal(Number(page.headers.get('x-rate-limit-reset')), Math.ceil(windowEnd / 1000));
    }
    assert.deepEqual(remaining, ['2', '1', '0']);
    const limited = await getPage(logs(), auth);
    assert.equal(limited.status, 429);
    assert.equal((limited.json as { errorCode: string }).errorCode, 'E0000047');
    assert.equal(limited.headers.get('x-rate-limit-remaining'), '0');
    assert.equal(limited.headers.get('x-rate-limit-limit'), '3');

    // Another endpoint has its own bucket.
    const events = await getPage(urlWith(org.url, '/api/v1/events', { limit: 1 }), auth);
    assert.equal(events.status, 200);
    assert.equal(events.headers.get('x-rate-limit-remaining'), '2');

    assert.equal(org.stats.tooManyRequests, 1);
    const logsWindow = org.stats.rateWindows.find((w) => w.endpoint === '/api/v1/logs')!;
    assert.equal(logsWindow.requests, 4);
    assert.equal(logsWindow.lowestRemaining, 0);
    assert.equal(logsWindow.windowStart % WINDOW_MS, 0);
    assert.equal(org.stats.lowestRemaining, 0);
  });

  it('opens a fresh window when the previous one ends', async () => {
    org = await startFakeOrg({ rateLimit: { limit: 1, windowMs: WINDOW_MS } });
    const auth = `SSWS ${org.token}`;
    await atWindowStart();
    assert.equal((await getPage(logs(), auth)).status, 200);
    const limited = await getPage(logs(), auth);
    assert.equal(limited.status, 429);
    const wait = Number(limited.headers.get('x-rate-limit-reset')) * 1000 - Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, wait) + 20));
    assert.equal((await getPage(logs(), auth)).status, 200);
    assert.equal(org.stats.rateWindows.filter((w) => w.endpoint === '/api/v1/logs').length, 2);
  });
});
