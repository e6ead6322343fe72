import assert from 'node:assert/strict';
import * as okta from '@okta/okta-sdk-nodejs';
import { generateMonth, makeOAuthClient, startFakeOrg, type FakeOrg, type TestOAuthClient } from '../fake-org';

/**
 * The real `@okta/okta-sdk-nodejs` against the fake org over HTTP: if the SDK can sign in and page
 * through the System Log here, the product's integration tests exercise the SDK's real code paths.
 */
describe('fake org: the real Okta SDK', function () {
  this.timeout(30_000);
  let org: FakeOrg;
  const month = generateMonth({ month: '2026-10', seed: 17, users: 25, sessions: 70 });
  const jwkClient = makeOAuthClient({ format: 'jwk' });
  const pemClient = makeOAuthClient({ format: 'pem' });
  const query = { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', filter: 'eventType eq "user.session.start" and outcome.result eq "SUCCESS"', limit: 20 };
  const expected = month.events.filter((e) => e.published.startsWith('2026-10') && e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS');

  before(async () => {
    org = await startFakeOrg({
      events: month.events,
      oauthClients: [jwkClient, pemClient].map((c) => ({ clientId: c.clientId, publicKey: c.publicKey, scopes: ['okta.logs.read'] })),
    });
  });
  after(() => org.close());

  async function collect(client: okta.Client): Promise<string[]> {
    const uuids: string[] = [];
    const collection = await client.systemLogApi.listLogEvents(query);
    for await (const ev of collection) if (ev) uuids.push(ev.uuid as string);
    return uuids;
  }

  const privateKeyClient = (c: TestOAuthClient, withKeyId: boolean) =>
    new okta.Client({
      orgUrl: org.url,
      authorizationMode: 'PrivateKey',
      clientId: c.clientId,
      scopes: ['okta.logs.read'],
      privateKey: c.privateKey,
      ...(withKeyId ? { keyId: c.keyId } : {}),
      cacheMiddleware: null,
    });

  it('signs in with a JWK private key and pages through every matching event', async () => {
    const uuids = await collect(privateKeyClient(jwkClient, false));
    assert.deepEqual(uuids, expected.map((e) => e.uuid));
    const tokenCalls = org.requests.filter((r) => r.endpoint === 'token');
    assert.equal(tokenCalls.length, 1);
    assert.equal(tokenCalls[0].status, 200);
    const pages = org.requests.filter((r) => r.endpoint === 'logs');
    assert.equal(pages.length, Math.ceil(expected.length / 20));
    assert.ok(pages.every((r) => r.auth === 'Bearer' && r.status === 200));
  });

  it('signs in with a PEM private key and keyId', async () => {
    const uuids = await collect(privateKeyClient(pemClient, true));
    assert.equal(uuids.length, expected.length);
  });

  it('reads with an SSWS token, and the SDK surfaces a 401 for a wrong one', async () => {
    const good = new okta.Client({ orgUrl: org.url, authorizationMode: 'SSWS', token: org.token, cacheMiddleware: null });
    assert.equal((await collect(good)).length, expected.length);
    const bad = new okta.Client({ orgUrl: org.url, authorizationMode: 'SSWS', token: 'not-a-token', cacheMiddleware: null });
    await assert.rejects(collect(bad), (err: { status?: number; errorCode?: string }) => err.status === 401 && err.errorCode === 'E0000011');
  });
});
