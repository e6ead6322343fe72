/**
 * OAuth 2.0 service apps as Okta serves them since 2024: "Require Demonstrating Proof of Possession
 * (DPoP) header in token requests" is on by default for a new API Services app. The real SDK counts
 * against the fake org, which checks every proof (`test/fake-org/dpop.ts`), with DPoP required and not.
 */
import { strict as assert } from 'node:assert';
import { checkCredential, countMau, type MauReport } from '../../src/core';
import { createOktaClient } from '../../src/core/oktaClient';
import { generateMonth, makeOAuthClient, startFakeOrg, type FakeOrg, type GeneratedMonth } from '../fake-org';

const MONTH = '2026-10';
const now = () => new Date('2026-11-22T12:00:00Z');

function assertExact(report: MauReport, gen: GeneratedMonth): void {
  assert.equal(report.mau, gen.truth.mau);
  assert.equal(report.events, gen.truth.events);
}

describe('service apps with and without DPoP (real SDK over HTTP)', function () {
  this.timeout(60_000);
  const gen = generateMonth({ month: MONTH, seed: 23, users: 200, sessions: 6000 });
  let org: FakeOrg | undefined;
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  async function orgWith(app: ReturnType<typeof makeOAuthClient>, extra: { requireDpop?: boolean; dpopNonceLoop?: boolean; scopes?: string[] } = {}, options = {}) {
    org = await startFakeOrg({
      events: gen.events,
      oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: extra.scopes ?? ['okta.logs.read'], requireDpop: extra.requireDpop, dpopNonceLoop: extra.dpopNonceLoop }],
      ...options,
    });
    return org;
  }
  const auth = (app: ReturnType<typeof makeOAuthClient>) => ({ mode: 'PrivateKey' as const, clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId });

  for (const requireDpop of [true, false]) {
    for (const format of ['jwk', 'pem'] as const) {
      it(`counts exactly with a ${format.toUpperCase()} key when the app ${requireDpop ? 'requires' : 'does not require'} DPoP`, async () => {
        const app = makeOAuthClient({ format });
        const fake = await orgWith(app, { requireDpop });
        const report = await countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now });
        assertExact(report, gen);
        const reads = fake.requests.filter((r) => r.endpoint === 'logs');
        assert.ok(reads.length > 1, 'several pages');
        assert.ok(reads.every((r) => r.status === 200), 'every proof was accepted');
        assert.ok(reads.every((r) => r.auth === (requireDpop ? 'DPoP' : 'Bearer')), `every request says ${requireDpop ? 'DPoP' : 'Bearer'}`);
        // One token for the run: the first request probes alone, the rest reuse its token.
        const tokenAnswers = fake.requests.filter((r) => r.endpoint === 'token').map((r) => r.status);
        assert.deepEqual(tokenAnswers, requireDpop ? [400, 200] : [200], 'the nonce dance, then one token');
      });
    }
  }

  it('renews the token before it expires during a long count, with fresh proofs after the renewal', async () => {
    const app = makeOAuthClient();
    // Tokens of 0.25 s against 80 ms a page, one page at a time: the count outlives several of them.
    const fake = await orgWith(app, { requireDpop: true }, { tokenLifetimeS: 0.25, latencyMs: 80 });
    const report = await countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now, maxConcurrency: 1 });
    assertExact(report, gen);
    const issued = fake.requests.filter((r) => r.endpoint === 'token' && r.status === 200).length;
    assert.ok(issued >= 2, `renewed (${issued} tokens issued)`);
    const rejected = fake.requests.filter((r) => r.endpoint === 'logs' && r.status !== 200).length;
    // Renewal comes before expiry; only a request already on its way as a token expires may be refused (and retried).
    assert.ok(rejected <= issued, `${rejected} requests refused for ${issued} tokens`);
  });

  it('ends a token endpoint that keeps asking for a new nonce with one line that says what to check', async () => {
    const app = makeOAuthClient();
    const fake = await orgWith(app, { dpopNonceLoop: true });
    await assert.rejects(countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now }), (e: Error) => {
      assert.equal(e.name, 'OktaAuthError');
      assert.match(e.message, /^127\.0\.0\.1:\d+ kept asking for a new DPoP nonce \(3 in a row\) and issued no token \(request id [\w-]+\); .*Require Demonstrating Proof of Possession/);
      return true;
    });
    assert.ok(fake.stats.tokenRequests <= 5, `${fake.stats.tokenRequests} token requests`);
    assert.equal(fake.stats.byEndpoint.logs, 0, 'no API request without a token');
  });

  it('counts exactly when the API asks for a DPoP nonce of its own and rotates it, with one token', async () => {
    const app = makeOAuthClient();
    const fake = await orgWith(app, { requireDpop: true }, { apiDpopNonce: { rotateEveryRequests: 2 } });
    const report = await countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now });
    assertExact(report, gen);
    const reads = fake.requests.filter((r) => r.endpoint === 'logs');
    const asked = reads.filter((r) => r.status === 401).length;
    const served = reads.filter((r) => r.status === 200).length;
    assert.ok(served >= 4, `several pages (${served}), so the nonce rotated at least once`);
    assert.ok(asked >= 2, `asked for the first nonce and again after a rotation (${asked} times)`);
    assert.ok(reads.every((r) => r.auth === 'DPoP' && (r.status === 200 || r.status === 401)), 'only nonce rounds and pages');
    // A nonce round is no reason to renew the token: the same token throughout.
    assert.deepEqual(fake.requests.filter((r) => r.endpoint === 'token').map((r) => r.status), [400, 200]);
  });

  it('reads with the SDK client: the proof carries the API nonce, remembered for the next request', async () => {
    const app = makeOAuthClient();
    const fake = await orgWith(app, { requireDpop: true }, { apiDpopNonce: {} });
    const client = createOktaClient(fake.url, auth(app));
    const url = `${fake.url}/api/v1/logs?limit=1`;
    for (let i = 0; i < 3; i++) {
      const res = await client.http.http(url, { method: 'GET', headers: { Accept: 'application/json' } });
      assert.equal(res.status, 200);
      await res.text();
    }
    assert.deepEqual(fake.requests.filter((r) => r.endpoint === 'logs').map((r) => r.status), [401, 200, 200, 200], 'asked once, then remembered');
  });

  it('ends an API that keeps asking for a new DPoP nonce with one line naming the host, and no secret or proof', async () => {
    const app = makeOAuthClient();
    const fake = await orgWith(app, { requireDpop: true }, { apiDpopNonce: { loop: true } });
    let message = '';
    await assert.rejects(countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now }), (e: Error) => {
      assert.equal(e.name, 'OktaApiError');
      message = e.message;
      return true;
    });
    assert.match(message, /^127\.0\.0\.1:\d+ kept asking for a new DPoP nonce on \/api\/v1\/logs \(3 in a row\) \(HTTP 401: Resource server requires nonce in DPoP proof\.\) \(request id [\w-]+\); try again later$/);
    assert.ok(!/[\r\n]/.test(message) && !/\bat \S+ \(/.test(message), 'one line, no stack');
    assert.ok(!/eyJ|DPoP [\w-]{16,}/.test(message), 'no proof and no token');
    assert.ok(!message.includes(app.privateKey.slice(10, 40)), 'no key');
    const reads = fake.requests.filter((r) => r.endpoint === 'logs');
    // Each request: the first try and 3 nonce rounds; the SDK's own retry after a 401 never starts them over.
    assert.ok(reads.length > 0 && reads.length % 4 === 0 && reads.length <= 4 * 4, `${reads.length} API requests`);
    assert.ok(reads.every((r) => r.status === 401));
    assert.deepEqual(fake.requests.filter((r) => r.endpoint === 'token').map((r) => r.status), [400, 200]);
  });

  for (const [name, header] of [['600 characters', 'n'.repeat(600)], ['a quote and a backslash', 'nonce"or\\this']] as const) {
    it(`does not take a DPoP-Nonce of ${name}: the 401 ends the count as any refusal does`, async () => {
      const app = makeOAuthClient();
      const fake = await orgWith(app, { requireDpop: true }, { apiDpopNonce: { header } });
      await assert.rejects(countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now }), (e: Error) => {
        assert.equal(e.name, 'OktaAuthError');
        assert.match(e.message, /^127\.0\.0\.1:\d+ rejected the service app's access token \(HTTP 401 E0000011: .*\) \(request id [\w-]+\)/);
        assert.ok(!e.message.includes(header), 'the header is not repeated');
        return true;
      });
      // The first try and the SDK's one retry after a 401; no nonce round.
      assert.deepEqual(fake.requests.filter((r) => r.endpoint === 'logs').map((r) => r.status), [401, 401]);
    });
  }

  it('says which scope to grant when a DPoP app lacks okta.logs.read, with the request id', async () => {
    const app = makeOAuthClient();
    const fake = await orgWith(app, { requireDpop: true, scopes: ['okta.users.read'] });
    await assert.rejects(checkCredential(fake.url, auth(app)), (e: Error) => {
      assert.equal(e.name, 'OktaAuthError');
      assert.match(e.message, /refused the scope \(invalid_scope: .*\).*grant the service app okta\.logs\.read/);
      return true;
    });
  });

  it('refuses an EC key before any request, giving the SDK\'s RS256-only DPoP proof as the reason', async () => {
    const app = makeOAuthClient({ alg: 'ES256' });
    const fake = await orgWith(app, { requireDpop: true });
    await assert.rejects(countMau({ orgUrl: fake.url, auth: auth(app), month: MONTH, now }), /is EC: give the service app an RSA key \(the Okta SDK signs the proof of possession \(DPoP\) on every token request with RS256 only\)/);
    assert.equal(fake.stats.requests, 0);
  });
});
