import { strict as assert } from 'node:assert';
import { RateBudget, readRateHeaders } from '../../src/core/rateBudget';
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
    const budget = new RateBudget(20, 100, () => t); // reserve of a 40 limit: 8
    await budget.acquire();
    budget.release({ limit: 40, remaining: 30, resetAt: 2000 });
    let started = 0;
    const stop = new AbortController();
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
    const budget = new RateBudget(0, 100, () => t);
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
    budget.exhausted({ limit: 40, remaining: 0, resetAt: 300 }, 60_000);
    budget.release();
    const p = budget.acquire();
    await new Promise((r) => setTimeout(r, 5));
    assert.ok(waits[0] >= 300 && waits[0] <= 351);
    t = 400;
    await p;
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
