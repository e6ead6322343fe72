import { strict as assert } from 'node:assert';
import { countMau, checkCredential, type MauReport, type Progress } from '../../src/core';
import { startFakeOrg, generateMonth, makeOAuthClient, type FakeOrg, type GeneratedMonth } from '../fake-org';

const MONTH = '2026-10';
const now = () => new Date('2026-11-22T12:00:00Z');
const fastRetry = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20, idleTimeoutMs: 1000 };

function assertMatchesTruth(report: MauReport, gen: GeneratedMonth): void {
  assert.equal(report.mau, gen.truth.mau);
  assert.equal(report.events, gen.truth.events);
  assert.equal(report.users.length, Object.keys(gen.truth.users).length);
  for (const u of report.users) {
    const t = gen.truth.users[u.id];
    assert.ok(t, `unexpected user ${u.id}`);
    assert.deepEqual(
      { login: u.login, sessions: u.sessions, activeDays: u.activeDays, firstSeen: u.firstSeen, lastSeen: u.lastSeen },
      { login: t.login, sessions: t.sessions, activeDays: t.activeDays, firstSeen: t.firstSeen, lastSeen: t.lastSeen },
    );
  }
}

describe('countMau against the fake org (real SDK over HTTP)', function () {
  this.timeout(60_000);
  const gen = generateMonth({ month: MONTH, seed: 11, users: 300, sessions: 4000 });
  let org: FakeOrg;

  beforeEach(async () => {
    org = await startFakeOrg({ events: gen.events });
  });
  afterEach(async () => {
    await org.close();
  });

  const count = (extra: Partial<Parameters<typeof countMau>[0]> = {}) =>
    countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now, retry: fastRetry, ...extra });

  it('counts distinct users with successful sign-ins in the UTC month, equal to the ground truth', async () => {
    const report = await count();
    assertMatchesTruth(report, gen);
    assert.equal(report.since, '2026-10-01T00:00:00.000Z');
    assert.equal(report.until, '2026-11-01T00:00:00.000Z');
    assert.equal(report.complete, true);
    assert.ok(report.users[0].sessions >= report.users[report.users.length - 1].sessions, 'most sessions first');
  });

  it('includes the first and last instants of the month and excludes the next month\'s first instant', async () => {
    const report = await count();
    const seen = new Set(report.users.flatMap((u) => [u.firstSeen, u.lastSeen]));
    assert.ok(seen.has('2026-10-01T00:00:00.000Z'), 'event at the first instant counted');
    assert.ok(seen.has('2026-10-31T23:59:59.999Z'), 'event at the last millisecond counted');
    assert.ok(![...seen].some((t) => t >= '2026-11-01'), 'nothing from November');
  });

  it('never counts failed sign-ins, even from users who never succeed', async () => {
    const failedOnly = new Set(
      gen.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result !== 'SUCCESS').map((e) => e.actor.id),
    );
    for (const e of gen.events) if (e.outcome?.result === 'SUCCESS') failedOnly.delete(e.actor.id);
    assert.ok(failedOnly.size > 0, 'the generated month has users who only failed');
    const report = await count();
    assert.ok(!report.users.some((u) => failedOnly.has(u.id) || u.id === 'unknown'));
  });

  it('fetches time slices concurrently', async () => {
    await org.close();
    // Twenty pages: enough for splitting to pay.
    const busy = generateMonth({ month: MONTH, seed: 12, users: 2000, sessions: 20_000 });
    org = await startFakeOrg({ events: busy.events, latencyMs: 30 });
    assertMatchesTruth(await count({ maxConcurrency: 4 }), busy);
    assert.ok(org.stats.maxInFlight > 1, `max in flight ${org.stats.maxInFlight}`);
    assert.ok(org.stats.maxInFlight <= 4);
  });

  it('reports progress: pages, events, users and the covered fraction reaching 1', async () => {
    const seen: Progress[] = [];
    const report = await count({ onProgress: (p) => seen.push(p) });
    assert.ok(seen.length >= report.pages);
    const last = seen[seen.length - 1];
    assert.equal(last.covered, 1);
    assert.equal(last.users, report.mau);
    assert.ok(seen.every((p, i) => i === 0 || p.pages >= seen[i - 1].pages));
  });

  it('de-duplicates events the System Log repeats across a page boundary, by uuid', async () => {
    org.injectFault({ kind: 'overlap', count: 25, endpoint: 'logs', times: 3 });
    const report = await count({ maxConcurrency: 1 });
    assert.equal(org.pendingFaults(), 0);
    assertMatchesTruth(report, gen);
  });

  it('tolerates empty pages that still link onwards', async () => {
    org.injectFault({ kind: 'emptyPage', endpoint: 'logs', times: 4 });
    const report = await count({ maxConcurrency: 2 });
    assert.equal(org.pendingFaults(), 0);
    assertMatchesTruth(report, gen);
  });

  it('counts from an org that compresses its bodies, with empty pages and a cut-off body among them', async () => {
    await org.close();
    org = await startFakeOrg({ events: gen.events, gzip: true });
    const probe = await fetch(`${org.url}/api/v1/logs?limit=1`, { headers: { authorization: `SSWS ${org.token}`, 'accept-encoding': 'gzip' } });
    assert.equal(probe.headers.get('content-encoding'), 'gzip');
    // An empty page compresses to more bytes than it has: its Content-Length must not be read as the body's.
    org.injectFault({ kind: 'emptyPage', endpoint: 'logs', times: 3 });
    org.injectFault({ kind: 'truncate', endpoint: 'logs', afterOnly: true });
    const logs: string[] = [];
    const report = await count({ maxConcurrency: 2, log: (l) => logs.push(l) });
    assert.equal(org.pendingFaults(), 0);
    assertMatchesTruth(report, gen);
    assert.equal(logs.filter((l) => /attempt 1 of 4/.test(l)).length, 1, 'only the cut-off body was retried');
  });

  for (const fault of [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 502 },
    { kind: 'status', status: 503 },
    { kind: 'reset' },
    { kind: 'truncate' },
    { kind: 'invalidJson' },
    { kind: 'timeout' },
  ] as const) {
    it(`retries a ${fault.kind === 'status' ? fault.status : fault.kind} and still counts exactly`, async () => {
      org.injectFault({ ...fault, endpoint: 'logs', times: 2, afterOnly: true });
      const logs: string[] = [];
      const report = await count({ log: (l) => logs.push(l), maxConcurrency: 1 });
      assert.equal(org.pendingFaults(), 0);
      assertMatchesTruth(report, gen);
      assert.ok(logs.some((l) => /attempt 1 of 4/.test(l)), 'the retry is logged');
    });
  }

  it('times out a hung request and retries it', async () => {
    org.injectFault({ kind: 'hang', ms: 3000, endpoint: 'logs' });
    const report = await count({ retry: { ...fastRetry, requestTimeoutMs: 300 } });
    assertMatchesTruth(report, gen);
  });

  it('fails with a clear error naming what was not fetched once retries are spent', async () => {
    org.injectFault({ kind: 'status', status: 503, endpoint: 'logs', times: 1000 });
    await assert.rejects(count(), (e: Error) => e.name === 'OktaApiError' && /^127\.0\.0\.1:\d+ answered HTTP 503: .*\(request id [\w-]+\); gave up on events from 2026-10-\d\d \d\d:\d\d to 2026-1\d-\d\d \d\d:\d\d UTC after 4 attempts$/.test(e.message));
  });

  it('waits for the reset a 429 names, then finishes', async () => {
    org.injectFault({ kind: 'rateLimit', resetInMs: 1200, endpoint: 'logs', afterOnly: true });
    const waits: number[] = [];
    const started = Date.now();
    const report = await count({ maxConcurrency: 1, onProgress: (p) => p.rateLimitWaitMs > 0 && waits.push(p.rateLimitWaitMs) });
    assertMatchesTruth(report, gen);
    assert.ok(waits.length > 0, 'the wait is reported as progress');
    assert.ok(Date.now() - started >= 500, 'it did wait');
  });

  it('keeps the rate-limit reserve for other clients and never trips the limit', async () => {
    await org.close();
    org = await startFakeOrg({ events: gen.events, rateLimit: { limit: 10, windowMs: 1000 } });
    const report = await count({ reservePercent: 30, maxConcurrency: 8 });
    assertMatchesTruth(report, gen);
    assert.equal(org.stats.tooManyRequests, 0);
    assert.ok(org.stats.lowestRemaining >= 3, `lowest remaining ${org.stats.lowestRemaining} must stay at or above the reserve of 3`);
  });

  it('refuses a next link to another origin and never sends the credential there', async () => {
    org.injectFault({ kind: 'foreignNext', endpoint: 'logs' });
    await assert.rejects(count(), (e: Error) => e.name === 'OktaApiError' && /Refused a next-page link to http:\/\/127\.0\.0\.2/.test(e.message) && !e.message.includes(org.token));
    assert.deepEqual(org.foreignHits, []);
  });

  it('stops within a second of cancellation and starts no request after it', async () => {
    await org.close();
    org = await startFakeOrg({ events: gen.events, latencyMs: 400 });
    const controller = new AbortController();
    const run = count({ signal: controller.signal, maxConcurrency: 2 });
    await new Promise((r) => setTimeout(r, 600));
    controller.abort();
    const abortedAt = Date.now();
    const requestsAtAbort = org.requests.length;
    await assert.rejects(run, { name: 'CancelledError' });
    assert.ok(Date.now() - abortedAt < 1000, `ended ${Date.now() - abortedAt} ms after the abort`);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(org.requests.filter((r) => r.at > abortedAt + 5).length, 0, 'no request started after the abort');
    assert.ok(org.requests.length <= requestsAtAbort + 2);
  });

  it('treats a cancel during the final tally as a cancel: no report', async () => {
    // Enough users that the tally takes several turns of the event loop.
    const big = generateMonth({ month: MONTH, seed: 12, users: 6000, sessions: 9000 });
    await org.close();
    org = await startFakeOrg({ events: big.events });
    const controller = new AbortController();
    let lastPage = false;
    const run = count({ signal: controller.signal, onProgress: (p) => (lastPage = p.covered >= 1) });
    // The abort lands on the turn after the last page: inside the tally.
    const poll = setInterval(() => lastPage && setImmediate(() => controller.abort()), 0);
    try {
      await assert.rejects(run, { name: 'CancelledError' });
    } finally {
      clearInterval(poll);
    }
  });

  it('fails at once on a rejected token (401), saying what to fix and not showing the token', async () => {
    await assert.rejects(
      countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: 'not-a-valid-token-123' }, month: MONTH, now }),
      (e: Error) => e.name === 'OktaAuthError' && /401/.test(e.message) && /API token/.test(e.message) && !e.message.includes('not-a-valid-token-123'),
    );
    assert.equal(org.stats.byEndpoint.logs, 1, 'no retries on 401');
  });

  it('fails at once when the token is revoked mid-run', async () => {
    org.injectFault({ kind: 'revoked', endpoint: 'logs', afterOnly: true });
    await assert.rejects(count({ maxConcurrency: 1 }), { name: 'OktaAuthError' });
    assert.equal(org.pendingFaults(), 0);
  });

  it('counts with an OAuth 2.0 service app (private key JWT, JWK and PEM)', async () => {
    for (const format of ['jwk', 'pem'] as const) {
      const app = makeOAuthClient({ format });
      await org.close();
      org = await startFakeOrg({ events: gen.events, oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'] }] });
      const report = await countMau({
        orgUrl: org.url,
        auth: { mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId },
        month: MONTH,
        now,
      });
      assertMatchesTruth(report, gen);
      assert.ok(org.stats.tokenRequests >= 1);
      assert.ok(org.requests.filter((r) => r.endpoint === 'logs').every((r) => r.auth === 'Bearer'));
    }
  });

  it('says to grant okta.logs.read when the service app lacks the scope', async () => {
    const app = makeOAuthClient({ format: 'jwk' });
    await org.close();
    org = await startFakeOrg({ events: gen.events, oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.users.read'] }] });
    await assert.rejects(
      countMau({ orgUrl: org.url, auth: { mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey }, month: MONTH, now }),
      (e: Error) => e.name === 'OktaAuthError' && /okta\.logs\.read/.test(e.message),
    );
  });

  it('counts the same month from the legacy Events API', async () => {
    const report = await count({ source: 'events' });
    assert.equal(report.source, 'events');
    assert.equal(report.mau, gen.truth.mau);
    assert.equal(report.events, gen.truth.events);
    assert.ok(org.requests.some((r) => r.endpoint === 'events'));
  });

  it('checks a credential with one small request', async () => {
    await checkCredential(org.url, { mode: 'SSWS', token: org.token });
    assert.equal(org.requests.length, 1);
    assert.equal(org.requests[0].query.limit, '1');
    await assert.rejects(checkCredential(org.url, { mode: 'SSWS', token: 'wrong' }), { name: 'OktaAuthError' });
  });

  it('rejects bad input before any request', async () => {
    await assert.rejects(count({ month: '2026-13' }), { name: 'InvalidInputError' });
    await assert.rejects(count({ orgUrl: 'http://acme.okta.com' }), { name: 'InvalidInputError' });
    await assert.rejects(count({ reservePercent: 95 }), /reserve must be a number from 0% to 90%/);
    await assert.rejects(count({ auth: { mode: 'PrivateKey', clientId: 'x', privateKey: 'not a key' } }), /neither a PEM nor a JWK/);
    const ec = makeOAuthClient({ format: 'pem', alg: 'ES256' });
    await assert.rejects(count({ auth: { mode: 'PrivateKey', clientId: ec.clientId, privateKey: ec.privateKey } }), /is EC: give the service app an RSA key/);
    assert.equal(org.requests.length, 0);
  });
});
