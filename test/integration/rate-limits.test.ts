/**
 * Rate limits, paging and slow queries as Okta enforces them, not as the headers describe them:
 * a token capped at half of the bucket its headers show, the org-wide concurrency limit, a reset
 * far away, the Events API's always-present next link, and Okta's 30 s query timeout.
 * The real SDK over HTTP against the fake org (docs/real-okta.md lists the sources).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countMau, type MauReport, type RateMemory } from '../../src/core';
import { generateMonth, startFakeOrg, type FakeOrg, type GeneratedMonth } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, runCli } from './cli-harness';

const MONTH = '2026-10';
const now = () => new Date('2026-11-22T12:00:00Z');
const fastRetry = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, idleTimeoutMs: 5000 };

function assertExact(report: MauReport, gen: GeneratedMonth): void {
  assert.equal(report.mau, gen.truth.mau);
  assert.equal(report.events, gen.truth.events);
}

describe('limits and paging as Okta enforces them (real SDK over HTTP)', function () {
  this.timeout(120_000);
  // About 45 pages of 1,000 sign-ins: several rate-limit windows at 20 requests a second.
  const gen = generateMonth({ month: MONTH, seed: 31, users: 400, sessions: 40_000 });
  let org: FakeOrg | undefined;
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });
  const count = (fake: FakeOrg, extra: Partial<Parameters<typeof countMau>[0]> = {}) =>
    countMau({ orgUrl: fake.url, auth: { mode: 'SSWS', token: fake.token }, month: MONTH, now, retry: fastRetry, ...extra });

  describe('a token capped at half of the bucket its headers show', () => {
    // 8 requests a second for the token: a client slowed down by a busy machine still goes past it.
    const rateLimit = { limit: 16, windowMs: 1000, tokenShare: 0.5, headers: 'bucket' as const };

    it('takes at most one 429, learns the ceiling from it, and the next run takes none', async () => {
      org = await startFakeOrg({ events: gen.events, rateLimit });
      const learned: RateMemory[] = [];
      const report = await count(org, { onRateMemory: (m) => learned.push(m) });
      assertExact(report, gen);
      assert.ok(report.requests > 16, `several windows (${report.requests} requests)`);
      assert.ok(org.stats.tooManyRequests <= 1, `${org.stats.tooManyRequests} × 429`);
      const memory = learned.at(-1);
      assert.equal(memory?.ceiling, 8, 'the ceiling is what the token really gets per window');
      assert.equal(memory?.bucketLimit, 16);
      // No window saw more than the token's 8 after the one that taught it.
      for (const w of org.stats.rateWindows.filter((s) => s.endpoint === '/api/v1/logs')) assert.ok(w.requests <= 9, `a window with ${w.requests} requests`);

      const before = org.stats.tooManyRequests;
      const again = await count(org, { rateMemory: memory });
      assertExact(again, gen);
      assert.equal(org.stats.tooManyRequests, before, 'a run that starts at the remembered ceiling takes no 429');
    });

    it('takes no 429 when the headers report the token\'s own share', async () => {
      org = await startFakeOrg({ events: gen.events, rateLimit: { ...rateLimit, headers: 'token' } });
      assertExact(await count(org), gen);
      assert.equal(org.stats.tooManyRequests, 0);
    });

    it('okta-mau keeps the ceiling in its cache (readable by the user only) and the next run starts there', async () => {
      buildCli();
      const month = lastCompleteMonth();
      const cliGen = generateMonth({ month, seed: 32, users: 300, sessions: 30_000 });
      // 8 requests a second for the token: several windows for the CLI's 30-odd pages.
      const secondToken = `00Second${'b'.repeat(34)}`;
      org = await startFakeOrg({ events: cliGen.events, rateLimit, tokens: [`00First${'a'.repeat(35)}`, secondToken] });
      const cache = mkdtempSync(join(tmpdir(), 'okta-mau-rate-'));
      try {
        const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache });
        const first = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(JSON.parse(first.stdout).mau, cliGen.truth.mau);
        assert.ok(org.stats.tooManyRequests <= 1, `${org.stats.tooManyRequests} × 429`);
        const orgDir = join(cache, `127.0.0.1_${new URL(org.url).port}`);
        const kept = readdirSync(orgDir).filter((n) => /^rate-limit\.logs\.[0-9a-f]{12}\.json$/.test(n));
        assert.equal(kept.length, 1, 'one memory, for this credential');
        const file = join(orgDir, kept[0]);
        assert.equal((JSON.parse(readFileSync(file, 'utf8')) as RateMemory).ceiling, 8);
        assert.ok(!readFileSync(file, 'utf8').includes(org.token), 'no credential in it');
        assert.equal(statSync(file).mode & 0o777, 0o600);
        const before = org.stats.tooManyRequests;
        const second = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
        assert.equal(second.code, 0, second.stderr);
        assert.equal(org.stats.tooManyRequests, before, 'the second run took no 429');
        // Another token has a share of its own: it learns its own ceiling, and is kept apart.
        const other = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], { ...env, OKTA_API_TOKEN: secondToken });
        assert.equal(other.code, 0, other.stderr);
        assert.equal(readdirSync(orgDir).filter((n) => n.startsWith('rate-limit.logs.')).length, 2);
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    });
  });

  it('keeps fewer requests in flight after a 429 of the org-wide concurrency limit, and counts exactly', async () => {
    // Other integrations hold 4 of the org's 6 slots: 2 are left for the count's 8. Each answer takes
    // 150 ms, so that even a client slowed down by a busy machine has more than 2 requests out at once.
    org = await startFakeOrg({ events: gen.events, latencyMs: 150, concurrency: { limit: 6, occupied: 4 } });
    const report = await count(org, { maxConcurrency: 8 });
    assertExact(report, gen);
    assert.ok(org.stats.concurrencyRejections >= 1, 'the limit was reached');
    // From 8 down to 2 in flight takes one 429 per step at most.
    assert.ok(org.stats.concurrencyRejections <= 6, `${org.stats.concurrencyRejections} concurrency 429s`);
  });

  it('stops with one line saying when to try again, rather than wait an hour for a reset', async () => {
    org = await startFakeOrg({ events: gen.events });
    org.injectFault({ kind: 'rateLimit', resetInMs: 3_600_000, endpoint: 'logs' });
    const started = Date.now();
    await assert.rejects(count(org), (e: Error) => {
      assert.equal(e.name, 'OktaApiError');
      assert.match(e.message, /^The rate limit of 127\.0\.0\.1:\d+ \/api\/v1\/logs resets only at \d\d:\d\d UTC, in 60 min; .*try again then$/);
      return true;
    });
    assert.ok(Date.now() - started < 30_000, 'no long wait');
  });

  it('splits a range Okta times out on (500 E0000009 after 30 s) until each query is answered, and counts exactly', async () => {
    // Queries over more than four days time out; the month has to be asked for in narrower slices.
    org = await startFakeOrg({ events: gen.events, slowQuery: { longerThanMs: 4 * 86_400_000, timeoutMs: 20 } });
    const lines: string[] = [];
    const report = await count(org, { log: (l) => lines.push(l) });
    assertExact(report, gen);
    const timedOut = org.requests.filter((r) => r.endpoint === 'logs' && r.status === 500).length;
    assert.ok(timedOut >= 2, `${timedOut} queries timed out`);
    assert.ok(lines.some((l) => /^Asking for events from .* and the range after it separately: .*E0000009/.test(l)), 'the split is logged');
  });

  describe('the Events API as it is served', () => {
    for (const eventsLinking of ['always', 'untilEnd'] as const) {
      it(`counts exactly, and stops at the first empty page, against a server that links next ${eventsLinking === 'always' ? 'from every page' : 'until the end'}`, async () => {
        org = await startFakeOrg({ events: gen.events, eventsLinking });
        const started = Date.now();
        const report = await count(org, { source: 'events' });
        assert.equal(report.mau, gen.truth.mau);
        assert.equal(report.events, gen.truth.events);
        const reads = org.requests.filter((r) => r.endpoint === 'events');
        const empty = reads.length - report.pages + reads.filter((r) => r.status === 200).length - reads.length;
        assert.ok(empty <= 0 || reads.length < 3 * (report.pages + 1), `${reads.length} requests for ${report.pages} pages`);
        // One empty page per slice at most, never 50 in a row.
        assert.ok(reads.length <= report.pages + 16, `${reads.length} requests`);
        assert.ok(Date.now() - started < 60_000);
      });
    }
  });
});
