import assert from 'node:assert/strict';
import { generateMonth, getPage, makeOAuthClient, signClientAssertion, startFakeOrg, urlWith, type FakeOrg, type TestOAuthClient } from '../fake-org';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function requestToken(org: FakeOrg, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${org.url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('fake org: SSWS tokens', () => {
  let org: FakeOrg;
  const events = generateMonth({ month: '2026-10', seed: 3, users: 5, sessions: 5 }).events;
  const logs = () => urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' });
  before(async () => {
    org = await startFakeOrg({ events, tokens: ['good-token', 'second-token'] });
  });
  after(() => org.close());

  it('accepts a valid token and exposes the first one', async () => {
    assert.equal(org.token, 'good-token');
    assert.equal((await getPage(logs(), 'SSWS good-token')).status, 200);
  });

  it('answers 401 E0000011 to a missing, wrong or revoked token', async () => {
    for (const authz of [undefined, 'SSWS nope', 'Bearer nope', 'Basic Zm9vOmJhcg==']) {
      const page = await getPage(logs(), authz);
      assert.equal(page.status, 401, String(authz));
      assert.equal((page.json as { errorCode: string }).errorCode, 'E0000011');
    }
    org.revokeToken('second-token');
    const revoked = await getPage(logs(), 'SSWS second-token');
    assert.equal(revoked.status, 401);
    assert.equal((await getPage(logs(), 'SSWS good-token')).status, 200);
  });

  it('logs the auth scheme of each request but never the credential', async () => {
    await getPage(logs(), 'SSWS good-token');
    const last = org.requests[org.requests.length - 1];
    assert.equal(last.auth, 'SSWS');
    assert.equal(last.status, 200);
    assert.ok(!JSON.stringify(org.requests).includes('good-token'));
  });

  it('answers 404 E0000007 to unknown paths', async () => {
    const page = await getPage(`${org.url}/api/v1/apps`, 'SSWS good-token');
    assert.equal(page.status, 404);
    assert.equal((page.json as { errorCode: string }).errorCode, 'E0000007');
  });
});

describe('fake org: OAuth 2.0 client credentials with a private-key JWT', () => {
  let org: FakeOrg;
  const rsa = makeOAuthClient({ format: 'jwk' });
  const ec = makeOAuthClient({ format: 'pem', alg: 'ES256' });
  const noLogs = makeOAuthClient({ format: 'pem' });
  const stranger = makeOAuthClient({ format: 'jwk' });
  const aud = () => `${org.url}/oauth2/v1/token`;
  const form = (client: TestOAuthClient, over: Partial<Parameters<typeof signClientAssertion>[0]> = {}, scope = 'okta.logs.read') => ({
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: signClientAssertion({ clientId: client.clientId, privateKey: client.privateKey, audience: aud(), kid: client.keyId, ...over }),
  });

  before(async () => {
    org = await startFakeOrg({
      events: generateMonth({ month: '2026-10', seed: 4, users: 5, sessions: 5 }).events,
      oauthClients: [
        { clientId: rsa.clientId, publicKey: rsa.publicKey, scopes: ['okta.logs.read', 'okta.users.read'] },
        { clientId: ec.clientId, publicKey: ec.publicKey, scopes: ['okta.logs.read'] },
        { clientId: noLogs.clientId, publicKey: noLogs.publicKey, scopes: ['okta.users.read'] },
      ],
    });
  });
  after(() => org.close());

  it('issues a Bearer token for a good RS256 assertion, and the token reads the System Log', async () => {
    const { status, body } = await requestToken(org, form(rsa));
    assert.equal(status, 200);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'okta.logs.read');
    const page = await getPage(urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z' }), `Bearer ${String(body.access_token)}`);
    assert.equal(page.status, 200);
    assert.equal(org.requests[org.requests.length - 1].auth, 'Bearer');
    assert.equal(org.stats.tokenRequests, 1);
  });

  it('accepts an ES256 assertion signed with a PEM key', async () => {
    const { status, body } = await requestToken(org, form(ec));
    assert.equal(status, 200, JSON.stringify(body));
  });

  it('refuses an assertion signed with another key as invalid_client', async () => {
    const forged = form(rsa, { privateKey: stranger.privateKey });
    const { status, body } = await requestToken(org, forged);
    assert.equal(status, 401);
    assert.equal(body.error, 'invalid_client');
    assert.match(String(body.error_description), /signature/);
  });

  it('refuses a wrong audience, an expired assertion, a replayed jti and an unknown client', async () => {
    const wrongAud = await requestToken(org, form(rsa, { audience: `${org.url}/oauth2/default/v1/token` }));
    assert.equal(wrongAud.status, 401);
    assert.match(String(wrongAud.body.error_description), /audience/);
    const expired = await requestToken(org, form(rsa, { expiresIn: -5 }));
    assert.equal(expired.status, 401);
    assert.match(String(expired.body.error_description), /expired/);
    const once = form(rsa, { jti: 'fixed-jti-1' });
    assert.equal((await requestToken(org, once)).status, 200);
    const replay = await requestToken(org, once);
    assert.equal(replay.status, 401);
    assert.match(String(replay.body.error_description), /already been used/);
    const unknown = await requestToken(org, form(stranger));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_client');
    const mismatched = await requestToken(org, form(rsa, { issuer: ec.clientId }));
    assert.equal(mismatched.status, 401);
  });

  it('refuses scopes the app was not granted as invalid_scope, and other grants and assertion types', async () => {
    const scope = await requestToken(org, form(ec, {}, 'okta.logs.read okta.users.manage'));
    assert.equal(scope.status, 400);
    assert.equal(scope.body.error, 'invalid_scope');
    const grant = await requestToken(org, { ...form(rsa), grant_type: 'password' });
    assert.equal(grant.body.error, 'unsupported_grant_type');
    const type = await requestToken(org, { ...form(rsa), client_assertion_type: 'basic' });
    assert.equal(type.body.error, 'invalid_request');
  });

  it('answers 403 E0000006 to a Bearer token without okta.logs.read, and 401 once revoked', async () => {
    const { body } = await requestToken(org, form(noLogs, {}, 'okta.users.read'));
    const url = urlWith(org.url, '/api/v1/logs', { since: '2026-10-01T00:00:00.000Z' });
    const denied = await getPage(url, `Bearer ${String(body.access_token)}`);
    assert.equal(denied.status, 403);
    assert.equal((denied.json as { errorCode: string }).errorCode, 'E0000006');
    assert.match(denied.headers.get('www-authenticate') ?? '', /insufficient_scope/);

    const good = await requestToken(org, form(rsa));
    const token = String(good.body.access_token);
    assert.equal((await getPage(url, `Bearer ${token}`)).status, 200);
    org.revokeToken(token);
    const revoked = await getPage(url, `Bearer ${token}`);
    assert.equal(revoked.status, 401);
    assert.equal((revoked.json as { errorCode: string }).errorCode, 'E0000011');
  });
});
