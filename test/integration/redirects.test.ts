/**
 * No credential ever follows a redirect, and nothing from another origin is ever counted: the API
 * requests and the OAuth token request alike, to another port on the org's host, another host, or the
 * same URL. The fake org's foreign servers record whatever reaches them (never a value).
 */
import { strict as assert } from 'node:assert';
import { countMau, type AuthConfig } from '../../src/core';
import { generateMonth, makeOAuthClient, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, runCli } from './cli-harness';

const MONTH = '2026-10';
const now = () => new Date('2026-11-22T12:00:00Z');
const fastRetry = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };

describe('redirects (real SDK over HTTP)', function () {
  this.timeout(60_000);
  const gen = generateMonth({ month: MONTH, seed: 41, users: 100, sessions: 3000 });
  const app = makeOAuthClient();
  let org: FakeOrg;
  beforeEach(async () => {
    org = await startFakeOrg({ events: gen.events, oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'], requireDpop: true }] });
  });
  afterEach(async () => org.close());

  const sswsAuth = (): AuthConfig => ({ mode: 'SSWS', token: org.token });
  const oauthAuth = (): AuthConfig => ({ mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId });

  const cases = [
    { endpoint: 'logs' as const, to: 'otherPort' as const, status: 307 as const, auth: sswsAuth, afterOnly: false },
    { endpoint: 'logs' as const, to: 'otherHost' as const, status: 302 as const, auth: sswsAuth, afterOnly: true },
    { endpoint: 'logs' as const, to: 'otherPort' as const, status: 308 as const, auth: oauthAuth, afterOnly: true },
    { endpoint: 'logs' as const, to: 'samePath' as const, status: 301 as const, auth: sswsAuth, afterOnly: false },
    { endpoint: 'token' as const, to: 'otherHost' as const, status: 307 as const, auth: oauthAuth, afterOnly: false },
    { endpoint: 'token' as const, to: 'otherPort' as const, status: 302 as const, auth: oauthAuth, afterOnly: false },
  ];
  for (const c of cases) {
    const who = c.auth === sswsAuth ? 'an API token' : 'a DPoP service app';
    it(`refuses a ${c.status} of ${c.endpoint === 'token' ? 'the token endpoint' : c.afterOnly ? 'a later page' : 'the first page'} to ${c.to} with ${who}: nothing reaches it, nothing from it counts`, async () => {
      org.injectFault({ kind: 'redirect', status: c.status, to: c.to, endpoint: c.endpoint, afterOnly: c.afterOnly, times: 100 });
      await assert.rejects(countMau({ orgUrl: org.url, auth: c.auth(), month: MONTH, now, retry: fastRetry }), (e: Error) => {
        assert.equal(e.name, 'OktaApiError');
        const where = c.to === 'samePath' ? '/api/v1/logs on the same origin' : 'http://127\\.0\\.0\\.\\d:\\d+';
        assert.match(e.message, new RegExp(`^127\\.0\\.0\\.1:\\d+ answered HTTP ${c.status}, a redirect to ${where}; redirects are never followed, so no credential went there`));
        return true;
      });
      assert.deepEqual(org.foreignHits, [], 'no request, header, proof or client assertion reached another origin');
      const redirected = org.requests.filter((r) => r.fault === 'redirect');
      assert.equal(redirected.length, 1, 'the redirect ended the count at once, and was not asked for again');
    });
  }

  it('okta-mau fails with exit 4 and one line naming where the redirect pointed', async () => {
    buildCli();
    const month = lastCompleteMonth();
    org.injectFault({ kind: 'redirect', status: 307, to: 'otherHost', endpoint: 'logs', times: 100 });
    const r = await runCli(['count', '--org-url', org.url, '--month', month], cliEnv({ OKTA_API_TOKEN: org.token }));
    assert.equal(r.code, 4);
    assert.match(r.stderr, /^okta-mau: 127\.0\.0\.1:\d+ answered HTTP 307, a redirect to http:\/\/127\.0\.0\.2:\d+; redirects are never followed/);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
    assert.ok(!r.stderr.includes(org.token));
    assert.deepEqual(org.foreignHits, []);
  });
});
