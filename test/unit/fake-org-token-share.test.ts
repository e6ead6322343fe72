import assert from 'node:assert/strict';
import { getPage, makeOAuthClient, signClientAssertion, startFakeOrg, urlWith, type FakeOrg } from '../fake-org';

// Long enough that a test's few requests fit in one window on a busy machine.
const WINDOW_MS = 3000;

/** Start just after a window boundary, so a test's few requests share one window. */
async function atWindowStart(): Promise<void> {
  await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS) + 20));
}

describe('fake org: per-token rate ceiling and other clients', function () {
  // Waits for real window boundaries.
  this.timeout(20_000);
  let org: FakeOrg;
  const logs = () => urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z' });
  const headers = (p: { headers: Headers }) => [p.headers.get('x-rate-limit-limit'), p.headers.get('x-rate-limit-remaining')];
  afterEach(() => org?.close());

  it('stops one token at its share with 429 E0000047 while the bucket still has room, and reports the bucket by default', async () => {
    org = await startFakeOrg({ tokens: ['token-a', 'token-b'], rateLimit: { limit: 10, windowMs: WINDOW_MS, tokenShare: 0.5 } });
    await atWindowStart();
    const seen: (string | null)[][] = [];
    for (let i = 0; i < 5; i++) {
      const page = await getPage(logs(), 'SSWS token-a');
      assert.equal(page.status, 200);
      seen.push(headers(page));
    }
    assert.deepEqual(seen, [['10', '9'], ['10', '8'], ['10', '7'], ['10', '6'], ['10', '5']]);
    const limited = await getPage(logs(), 'SSWS token-a');
    assert.equal(limited.status, 429);
    assert.equal((limited.json as { errorCode: string }).errorCode, 'E0000047');
    // The nasty case a client must handle: a 429 whose headers say there is room left.
    assert.deepEqual(headers(limited), ['10', '4']);
    const other = await getPage(logs(), 'SSWS token-b');
    assert.equal(other.status, 200, 'another token still has its own share');
    assert.equal(org.stats.tooManyRequests, 1);
    assert.deepEqual(org.requests.map((r) => r.limitedBy ?? '-'), ['-', '-', '-', '-', '-', 'token', '-']);
    const window = org.stats.rateWindows.find((w) => w.endpoint === '/api/v1/logs')!;
    assert.equal(window.requests, 7);
    assert.equal(window.tooManyRequests, 1);
    assert.ok(!JSON.stringify(org.stats).includes('token-a'), 'stats never hold a credential');
  });

  it("reports the token's own share with headers: 'token'", async () => {
    org = await startFakeOrg({ tokens: ['token-a'], rateLimit: { limit: 10, windowMs: WINDOW_MS, tokenShare: 0.5, headers: 'token' } });
    await atWindowStart();
    const seen: (string | null)[][] = [];
    for (let i = 0; i < 6; i++) seen.push(headers(await getPage(logs(), 'SSWS token-a')));
    assert.deepEqual(seen, [['5', '4'], ['5', '3'], ['5', '2'], ['5', '1'], ['5', '0'], ['5', '0']]);
    assert.equal(org.requests[5].status, 429);
  });

  it("takes otherClients off the bucket, not off the token's share", async () => {
    org = await startFakeOrg({ tokens: ['token-a'], rateLimit: { limit: 10, windowMs: WINDOW_MS, tokenShare: 0.5, otherClients: 7 } });
    await atWindowStart();
    const statuses: number[] = [];
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await getPage(logs(), 'SSWS token-a');
      statuses.push(page.status);
      remaining.push(page.headers.get('x-rate-limit-remaining'));
    }
    // The token has used 4 of its 5, but the others' 7 leave the bucket only 3.
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.deepEqual(remaining, ['2', '1', '0', '0']);
    assert.equal(org.requests[3].limitedBy, 'bucket');
    const window = org.stats.rateWindows[0];
    assert.deepEqual({ requests: window.requests, lowestRemaining: window.lowestRemaining, tooManyRequests: window.tooManyRequests }, { requests: 4, lowestRemaining: 0, tooManyRequests: 1 });
  });

  it('counts a Bearer access token on its own, so two tokens of one app each get the share', async () => {
    const app = makeOAuthClient({ format: 'jwk' });
    org = await startFakeOrg({ oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'] }], rateLimit: { limit: 4, windowMs: WINDOW_MS, tokenShare: 0.5 } });
    const accessToken = async () => {
      const res = await fetch(`${org.url}/oauth2/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'okta.logs.read',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: signClientAssertion({ clientId: app.clientId, privateKey: app.privateKey, audience: `${org.url}/oauth2/v1/token`, kid: app.keyId }),
        }).toString(),
      });
      return String(((await res.json()) as { access_token: string }).access_token);
    };
    const [first, second] = [await accessToken(), await accessToken()];
    await atWindowStart();
    const statuses = [];
    for (const t of [first, first, first, second]) statuses.push((await getPage(logs(), `Bearer ${t}`)).status);
    assert.deepEqual(statuses, [200, 200, 429, 200]);
  });

  it('refuses a share outside (0, 1]', async () => {
    await assert.rejects(startFakeOrg({ rateLimit: { limit: 10, windowMs: WINDOW_MS, tokenShare: 0 } }), /tokenShare/);
  });
});
