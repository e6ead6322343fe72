import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as okta from '@okta/okta-sdk-nodejs';
import { createOktaClient, type OktaSdkClient } from '../../src/core/oktaClient';
import { makeOAuthClient, startFakeOrg } from '../fake-org';

/**
 * The core builds the SDK's `Http`, `OAuth` and `RequestExecutor` itself instead of `new okta.Client()`
 * (which also loads ~90 generated APIs). These tests hold that wiring to what `Client` does, so an SDK
 * update that changes it fails here.
 */
describe('the SDK client the core builds', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sdkClient = (config: Record<string, unknown>) =>
    // `userAgent` is read by the SDK's config loader but missing from its type.
    new okta.Client({ orgUrl: url, requestExecutor: new okta.RequestExecutor(), cacheMiddleware: null, userAgent: 'okta-mau', ...config } as ConstructorParameters<typeof okta.Client>[0]) as unknown as OktaSdkClient & {
      http: { defaultHeaders: Record<string, string>; cacheMiddleware?: unknown; requestExecutor: object };
    };

  async function headersSent(client: OktaSdkClient): Promise<IncomingHttpHeaders> {
    seen.length = 0;
    const res = await client.http.http(`${url}/api/v1/logs?limit=1`, { method: 'get', headers: { Accept: 'application/json' } });
    assert.equal(await res.text(), '[]');
    assert.equal(seen.length, 1);
    const { host: _host, ...headers } = seen[0];
    return headers;
  }

  it('sends exactly the headers the SDK client sends with an API token, and keeps its cache off', async () => {
    const ours = createOktaClient(url, { mode: 'SSWS', token: '00abc' }) as ReturnType<typeof sdkClient>;
    const theirs = sdkClient({ authorizationMode: 'SSWS', token: '00abc' });
    assert.deepEqual(ours.http.defaultHeaders, theirs.http.defaultHeaders);
    assert.equal(ours.http.cacheMiddleware, undefined);
    assert.equal(theirs.http.cacheMiddleware, undefined);
    assert.equal(ours.http.requestExecutor.constructor, theirs.http.requestExecutor.constructor);
    assert.deepEqual(await headersSent(ours), await headersSent(theirs));
    assert.equal(seen[0].authorization, 'SSWS 00abc');
  });

  it('signs in with a private key through the SDK OAuth code, as the SDK client does', async () => {
    const app = makeOAuthClient({ format: 'pem' });
    const org = await startFakeOrg({ oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'] }] });
    try {
      const config = { clientId: app.clientId, scopes: ['okta.logs.read'], privateKey: app.privateKey, keyId: app.keyId };
      const ours = createOktaClient(org.url, { mode: 'PrivateKey', ...config });
      const theirs = new okta.Client({ orgUrl: org.url, authorizationMode: 'PrivateKey', requestExecutor: new okta.RequestExecutor(), cacheMiddleware: null, ...config });
      assert.equal(ours.oauth?.constructor, (theirs as unknown as OktaSdkClient).oauth?.constructor);
      for (const client of [ours, theirs as unknown as OktaSdkClient]) {
        const res = await client.http.http(`${org.url}/api/v1/logs?limit=1`, { method: 'get', headers: { Accept: 'application/json' } });
        assert.equal(res.status, 200);
      }
      const bearer = org.requests.filter((r) => r.endpoint === 'logs' && r.auth === 'Bearer' && r.status === 200);
      assert.equal(bearer.length, 2);
    } finally {
      await org.close();
    }
  });

  // The SDK internals the core's token guard (src/core/sdkGuards.ts) works around or relies on. If an
  // SDK update changes one of these, this fails and the guard must be revisited.
  describe('SDK 8.1.0 token handling the core depends on', () => {
    const sdkOAuthClient = (orgUrl: string, app: ReturnType<typeof makeOAuthClient>) =>
      new okta.Client({ orgUrl, authorizationMode: 'PrivateKey', requestExecutor: new okta.RequestExecutor(), cacheMiddleware: null, clientId: app.clientId, scopes: ['okta.logs.read'], privateKey: app.privateKey, keyId: app.keyId }) as unknown as {
        oauth: { accessToken: unknown; isDPoP: boolean; getAccessToken(): Promise<unknown> };
      };

    it('caches an error answer of the token endpoint as if it were the token (its errorFilter is undefined)', async () => {
      const app = makeOAuthClient();
      const org = await startFakeOrg({ oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.users.read'] }] });
      try {
        const token = await sdkOAuthClient(org.url, app).oauth.getAccessToken();
        assert.equal((token as { error?: string }).error, 'invalid_scope');
      } finally {
        await org.close();
      }
    });

    it('answers use_dpop_nonce by asking again with the nonce, recursively, and then sends DPoP proofs', async () => {
      const app = makeOAuthClient();
      const org = await startFakeOrg({ oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'], requireDpop: true }] });
      try {
        const client = sdkOAuthClient(org.url, app);
        const token = (await client.oauth.getAccessToken()) as { token_type?: string };
        assert.equal(token.token_type, 'DPoP');
        assert.equal(client.oauth.isDPoP, true);
        assert.deepEqual(org.requests.filter((r) => r.endpoint === 'token').map((r) => r.status), [400, 200]);
      } finally {
        await org.close();
      }
    });
  });

  it('loads neither the SDK entry point nor its generated APIs and models', () => {
    const script = `
      require('./src/core/oktaClient').createOktaClient('http://127.0.0.1:9', { mode: 'SSWS', token: '00abc' });
      const loaded = Object.keys(require.cache).filter((f) => f.includes('okta-sdk-nodejs'));
      console.log(JSON.stringify({ sdk: loaded.length, generated: loaded.filter((f) => /generated.(apis|models)/.test(f)).length, index: loaded.some((f) => f.endsWith('src/index.js')) }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    const loaded = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { sdk: number; generated: number; index: boolean };
    assert.ok(loaded.sdk > 0, 'the SDK parts were loaded');
    assert.equal(loaded.generated, 0);
    assert.equal(loaded.index, false);
  });
});
