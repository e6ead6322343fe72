import { strict as assert } from 'node:assert';
import { setMaxListeners } from 'node:events';
import { parseRateMemory, RateBudget, readRateHeaders } from '../../src/core/rateBudget';
import { retryAfter } from '../../src/core/pageFetcher';
import { backoffDelay } from '../../src/core/sleep';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });

describe('readRateHeaders', () => {
  it('reads limit, remaining and the reset (epoch seconds) as local milliseconds', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    const h = readRateHeaders(
      headers({ 'x-rate-limit-limit': '40', 'x-rate-limit-remaining': '12', 'x-rate-limit-reset': String(now / 1000 + 2), date: new Date(now).toUTCString() }),
      now,
    );
    assert.deepEqual(h, { limit: 40, remaining: 12, resetAt: now + 2000 });
  });

  it('corrects the reset for a local clock that is minutes off the server', () => {
    const server = Date.parse('2026-11-22T10:00:00Z');
    const local = server + 5 * 60_000;
    const h = readRateHeaders(headers({ 'x-rate-limit-limit': '40', 'x-rate-limit-remaining': '1', 'x-rate-limit-reset': String(server / 1000 + 30), date: new Date(server).toUTCString() }), local);
    assert.equal(h?.resetAt, local + 30_000);
  });

  it('returns nothing when the headers are missing', () => {
    assert.equal(readRateHeaders(headers({}), Date.now()), undefined);
  });
});

describe('RateBudget', () => {
  it('lets one request probe until the first response tells the limit', async () => {
    const t = 0;
    const budget = new RateBudget(20, 8, () => t);
    await budget.acquire();
    let second = false;
    const pending = budget.acquire().then(() => (second = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(second, false);
    budget.release({ limit: 40, remaining: 39, resetAt: 2000 });
    await pending;
    assert.equal(second, true);
  });

  it('never lets remaining minus requests in flight fall to the reserve', async () => {
    let t = 0;
    // A credential known to use the whole bucket (no per-token ceiling), so only the reserve binds.
    const memory = { bucketLimit: 40, verified: 40, learnedAt: new Date().toISOString() };
    const budget = new RateBudget(20, 100, () => t, undefined, { memory }); // reserve of a 40 limit: 8
    await budget.acquire();
    budget.release({ limit: 40, remaining: 30, resetAt: 2000 });
    let started = 0;
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    for (let i = 0; i < 23; i++) {
      const p = budget.acquire(stop.signal).then(() => started++, () => {});
      await Promise.race([p, new Promise((r) => setTimeout(r, 5))]);
    }
    // 30 remaining − 8 reserve = 22 may start; the 23rd must wait for the window.
    assert.equal(started, 22);
    assert.equal(budget.requestsInFlight, 22);
    stop.abort();
    const waited: number[] = [];
    const b2 = new RateBudget(20, 100, () => t, (ms) => waited.push(ms));
    await b2.acquire();
    b2.release({ limit: 40, remaining: 9, resetAt: 2000 });
    await b2.acquire(); // 9 − 0 > 8
    t = 100;
    const controller = new AbortController();
    const late = b2.acquire(controller.signal);
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(waited[0] > 1900 && waited[0] <= 1950 + 1, `waits for the reset, got ${waited[0]}`);
    controller.abort();
    await assert.rejects(late, { name: 'CancelledError' });
  });

  it('keeps the lowest remaining seen in a window, whatever order responses arrive in', async () => {
    const t = 0;
    // A credential known to use the whole bucket: only the remaining count binds.
    const budget = new RateBudget(0, 100, () => t, undefined, { memory: { bucketLimit: 10, verified: 10, learnedAt: new Date().toISOString() } });
    await budget.acquire();
    budget.release({ limit: 10, remaining: 9, resetAt: 1000 });
    await budget.acquire();
    budget.release({ limit: 10, remaining: 3, resetAt: 1000 });
    await budget.acquire();
    budget.release({ limit: 10, remaining: 7, resetAt: 1000 }); // an older, slower response
    await budget.acquire();
    await budget.acquire();
    await budget.acquire();
    let fourth = false;
    const stop = new AbortController();
    const p = budget.acquire(stop.signal).then(() => (fourth = true), () => {});
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(fourth, false, 'only 3 may run when 3 remain');
    stop.abort();
    await p;
  });

  it('stops everything after a 429 until the reset it names', async () => {
    let t = 0;
    const waits: number[] = [];
    const budget = new RateBudget(0, 8, () => t, (ms) => waits.push(ms));
    await budget.acquire();
    assert.equal(budget.rateLimited({ limit: 40, remaining: 0, resetAt: 300 }), 'window');
    budget.release();
    const p = budget.acquire();
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(waits[0] >= 300 && waits[0] <= 351);
    t = 400;
    await p;
  });
});

describe('RateBudget and the limits Okta enforces', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));
  /** Starts up to `n` acquisitions; returns how many got a permit without waiting. */
  async function startUpTo(budget: RateBudget, n: number, stop: AbortController): Promise<number> {
    // Every waiting acquisition listens on the one signal.
    setMaxListeners(n + 10, stop.signal);
    let started = 0;
    for (let i = 0; i < n; i++) {
      const p = budget.acquire(stop.signal).then(() => started++, () => {});
      await Promise.race([p, tick()]);
    }
    return started;
  }

  it('waits a second, not a whole minute, after a 429 whose named reset has just passed', async () => {
    const t = 120_500;
    const budget = new RateBudget(20, 8, () => t);
    await budget.acquire();
    budget.release({ limit: 120, remaining: 100, resetAt: 120_000 + 60_000 });
    await budget.acquire();
    // The window turned over while the answer travelled: its reset is already behind us.
    assert.equal(budget.rateLimited({ limit: 120, remaining: 0, resetAt: 120_000 }), 'window');
    budget.release();
    assert.equal(budget.window()?.endsIn, 1_000);
  });

  it('goes one request at a time beyond half of the bucket until the credential shows it may use more', async () => {
    const t = 0;
    const budget = new RateBudget(20, 100, () => t);
    await budget.acquire();
    budget.release({ limit: 120, remaining: 119, resetAt: 60_000 });
    const stop = new AbortController();
    // Okta's default per-token share is half of the 120 the headers show: 59 more in parallel (60 started)...
    assert.equal(await startUpTo(budget, 70, stop), 59);
    stop.abort();
  });

  it('learns the ceiling from the first 429 the headers did not foretell, and keeps every later window under it', async () => {
    let t = 0;
    const learned: unknown[] = [];
    const budget = new RateBudget(20, 8, () => t, undefined, { onLearn: (m) => learned.push(m) });
    let remaining = 120;
    // 60 requests get through (the token's half of the bucket); the headers report the whole bucket.
    for (let i = 0; i < 60; i++) {
      await budget.acquire();
      budget.release({ limit: 120, remaining: --remaining, resetAt: 60_000 });
    }
    await budget.acquire(); // the 61st goes alone, and Okta refuses it
    assert.equal(budget.requestsInFlight, 1);
    assert.equal(budget.rateLimited({ limit: 120, remaining: 59, resetAt: 60_000 }), 'window');
    budget.release();
    assert.equal(budget.learnedCeiling, 60);
    assert.deepEqual((learned.at(-1) as { ceiling: number }).ceiling, 60);
    // The next window: 60 may start, in parallel (8 at a time), and not one more.
    t = 60_100;
    const stop = new AbortController();
    setMaxListeners(100, stop.signal);
    let started = 0;
    for (let i = 0; i < 61; i++) {
      const p = budget.acquire(stop.signal).then(() => started++, () => {});
      await Promise.race([p, tick()]);
      if (budget.requestsInFlight >= 8 || i === 0) budget.release({ limit: 120, remaining: 120 - started, resetAt: 120_000 });
    }
    assert.equal(started, 60);
    stop.abort();
  });

  it('counts what the bucket had used before the run began against the first window', async () => {
    const t = 0;
    const budget = new RateBudget(0, 100, () => t, undefined, { memory: { bucketLimit: 40, ceiling: 20, learnedAt: new Date().toISOString() } });
    await budget.acquire();
    // An earlier run of this credential took 10 of this window: 9 more, not 19, before the ceiling.
    budget.release({ limit: 40, remaining: 29, resetAt: 1000 });
    const stop = new AbortController();
    assert.equal(await startUpTo(budget, 20, stop), 9);
    stop.abort();
  });

  it('counts a request sent at the end of a window but answered in the next against the next one', async () => {
    let t = 0;
    const budget = new RateBudget(0, 100, () => t, undefined, { memory: { bucketLimit: 40, ceiling: 4, learnedAt: new Date().toISOString() } });
    await budget.acquire();
    budget.release({ limit: 40, remaining: 39, resetAt: 1000 });
    for (let i = 0; i < 3; i++) await budget.acquire(); // the window's 4th request goes out just before its end...
    budget.release({ limit: 40, remaining: 38, resetAt: 1000 });
    budget.release({ limit: 40, remaining: 37, resetAt: 1000 });
    t = 990;
    // ...and arrives after it: Okta counts it in the next window, whose headers its answer brings.
    budget.release({ limit: 40, remaining: 39, resetAt: 2000 });
    const stop = new AbortController();
    assert.equal(await startUpTo(budget, 5, stop), 3, 'three more, not four: the late one was the first of this window');
    stop.abort();
  });

  it('does not start a window\'s count over for a slow answer from the window before', async () => {
    let t = 0;
    const budget = new RateBudget(0, 100, () => t, undefined, { memory: { bucketLimit: 40, ceiling: 4, learnedAt: new Date().toISOString() } });
    await budget.acquire();
    budget.release({ limit: 40, remaining: 39, resetAt: 1000 });
    await budget.acquire(); // sent in the first window, answered late
    t = 1100;
    for (let i = 0; i < 3; i++) await budget.acquire(); // the new window: the slow one (in flight) and 3 more
    budget.release({ limit: 40, remaining: 38, resetAt: 1000 }); // the slow answer, from the first window, before any of this one
    budget.release({ limit: 40, remaining: 38, resetAt: 2000 });
    budget.release({ limit: 40, remaining: 37, resetAt: 2000 });
    const stop = new AbortController();
    assert.equal(await startUpTo(budget, 3, stop), 0, 'the window has had its 4');
    stop.abort();
  });

  it('counts what the last run used of the window this one begins in, and waits for its reset when that was all', async () => {
    let t = 500;
    const first = new RateBudget(0, 100, () => t, undefined, { memory: { bucketLimit: 40, ceiling: 4, learnedAt: new Date().toISOString() } });
    for (let i = 0; i < 4; i++) {
      await first.acquire();
      first.release({ limit: 40, remaining: 39 - i, resetAt: 1000 });
    }
    const memory = first.memoryAtEnd();
    assert.deepEqual(memory?.lastWindow, { resetAt: 1000, used: 4 });
    t = 600;
    const waits: number[] = [];
    const next = new RateBudget(0, 100, () => t, (ms) => ms > 0 && waits.push(ms), { memory: parseRateMemory(JSON.parse(JSON.stringify(memory))) });
    const stop = new AbortController();
    const probe = next.acquire(stop.signal);
    await tick();
    assert.deepEqual(waits, [450], 'the first request waits for the reset instead of taking a 429');
    stop.abort();
    await assert.rejects(probe, { name: 'CancelledError' });
  });

  it('starts at the ceiling an earlier run remembered, and forgets it when the bucket changes', async () => {
    const t = Date.parse('2026-12-01T00:00:00Z');
    const memory = { bucketLimit: 120, ceiling: 30, learnedAt: new Date(t - 3_600_000).toISOString() };
    const budget = new RateBudget(0, 100, () => t, undefined, { memory });
    await budget.acquire();
    budget.release({ limit: 120, remaining: 119, resetAt: t + 60_000 });
    const stop = new AbortController();
    assert.equal(await startUpTo(budget, 40, stop), 29, '30 in the window, the first included');
    stop.abort();
    const other = new RateBudget(0, 100, () => t, undefined, { memory });
    await other.acquire();
    other.release({ limit: 600, remaining: 599, resetAt: t + 60_000 });
    assert.equal(other.learnedCeiling, undefined);
  });

  it('keeps fewer requests in flight after a 429 of the concurrency limit, without waiting for its estimated reset', async () => {
    const t = 0;
    const budget = new RateBudget(0, 8, () => t, undefined, { memory: { bucketLimit: 1200, verified: 1200, learnedAt: new Date().toISOString() } });
    await budget.acquire();
    budget.release({ limit: 1200, remaining: 1199, resetAt: 60_000 });
    for (let i = 0; i < 8; i++) await budget.acquire();
    // The concurrency limit's own numbers in the headers: limit 75, nothing left, a reset estimate.
    assert.equal(budget.rateLimited({ limit: 75, remaining: 0, resetAt: 60_000 }), 'concurrency');
    budget.release();
    assert.equal(budget.concurrency, 7);
    assert.equal(budget.learnedCeiling, undefined);
    const stop = new AbortController();
    assert.equal(await startUpTo(budget, 1, stop), 0, '7 are still in flight');
    budget.release({ limit: 1200, remaining: 1190, resetAt: 60_000 });
    await tick();
    assert.equal(budget.requestsInFlight, 7, 'one more started at once: the window itself is not exhausted');
    stop.abort();
  });

  it('waits for the reset after a first answer of 429 without rate headers, instead of probing in a loop', async () => {
    let t = 0;
    const waits: number[] = [];
    const budget = new RateBudget(20, 8, () => t, (ms) => ms > 0 && waits.push(ms));
    await budget.acquire();
    budget.rateLimited(undefined);
    budget.release();
    const stop = new AbortController();
    const next = budget.acquire(stop.signal);
    await tick();
    assert.deepEqual(waits, [60_050], 'one wait, for the assumed one-minute window');
    assert.equal(budget.requestsInFlight, 0);
    stop.abort();
    await assert.rejects(next, { name: 'CancelledError' });
    t = 60_100;
    await budget.acquire();
    assert.equal(budget.requestsInFlight, 1, 'after the reset, one probe');
  });

  it('takes a Retry-After when a 429 has no rate headers, and still refuses to wait hours for it', async () => {
    const t = Date.parse('2026-12-01T10:00:00Z');
    assert.equal(retryAfter('30', t), t + 30_000);
    assert.equal(retryAfter('Tue, 01 Dec 2026 10:01:00 GMT', t), t + 60_000);
    assert.equal(retryAfter('soon', t), undefined);
    const budget = new RateBudget(0, 8, () => t, undefined, { label: 'acme.okta.com /api/v1/logs' });
    await budget.acquire();
    budget.rateLimited(undefined, retryAfter('7200', t));
    budget.release();
    await assert.rejects(budget.acquire(), /resets only at 12:00 UTC, in 120 min/);
  });

  it('starts under the remembered ceiling even when the run\'s first answer is a 429', async () => {
    const t = 0;
    const memory = { bucketLimit: 120, ceiling: 60, learnedAt: new Date().toISOString() };
    const budget = new RateBudget(20, 8, () => t, undefined, { memory });
    await budget.acquire();
    budget.rateLimited({ limit: 120, remaining: 0, resetAt: 30_000 });
    budget.release();
    assert.equal(budget.learnedCeiling, 60);
  });

  it('refuses to wait for a reset further away than it accepts, saying when to try again', async () => {
    const t = Date.parse('2026-12-01T10:00:00Z');
    const budget = new RateBudget(0, 8, () => t, undefined, { label: 'acme.okta.com /api/v1/logs' });
    await budget.acquire();
    budget.rateLimited({ limit: 120, remaining: 0, resetAt: t + 3_600_000 });
    budget.release();
    await assert.rejects(budget.acquire(), /rate limit of acme\.okta\.com \/api\/v1\/logs resets only at 11:00 UTC, in 60 min/);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, stays within [½, 1] of the ceiling, and is capped', () => {
    assert.equal(backoffDelay(0, 100, 1000, () => 1), 100);
    assert.equal(backoffDelay(0, 100, 1000, () => 0), 50);
    assert.equal(backoffDelay(3, 100, 1000, () => 1), 800);
    assert.equal(backoffDelay(10, 100, 1000, () => 1), 1000);
  });
});
