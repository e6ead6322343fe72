import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createOktaClient } from '../../src/core/oktaClient';
import { generateMonth, makeOAuthClient, signClientAssertion, startFakeOrg, type FakeOrg, type TestOAuthClient } from '../fake-org';

/**
 * DPoP (RFC 9449) as Okta serves it. Proofs are built here by hand with node:crypto, independently of
 * the fake's own verifier, so that each rule is pinned by what goes over the wire.
 */

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const events = generateMonth({ month: '2026-10', seed: 5, users: 4, sessions: 6 }).events;

interface ProofKey {
  privateKey: KeyObject;
  jwk: JsonWebKey;
  alg: 'RS256' | 'ES256';
}

function proofKey(alg: 'RS256' | 'ES256' = 'RS256'): ProofKey {
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: pair.privateKey, jwk: pair.publicKey.export({ format: 'jwk' }) as JsonWebKey, alg };
}

/** A signed proof; `claims` and `header` override the defaults, and an `undefined` value drops a member. */
function proof(key: ProofKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = JSON.stringify({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk, ...header });
  const c = JSON.stringify({ iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...claims });
  const input = `${Buffer.from(h).toString('base64url')}.${Buffer.from(c).toString('base64url')}`;
  const sig = sign('sha256', Buffer.from(input), key.alg === 'ES256' ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' } : key.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // an empty body stays {}
  }
  return { status: res.status, headers: res.headers, text, json };
}

describe('fake org: DPoP', function () {
  this.timeout(20_000);
  let org: FakeOrg;
  const dpopApp = makeOAuthClient({ format: 'jwk' });
  const loopApp = makeOAuthClient({ format: 'jwk' });
  const plainApp = makeOAuthClient({ format: 'jwk' });
  const noLogsApp = makeOAuthClient({ format: 'jwk' });
  const key = proofKey();
  const tokenUrl = () => `${org.url}/oauth2/v1/token`;
  const logsUrl = () => `${org.url}/api/v1/logs`;

  before(async () => {
    org = await startFakeOrg({
      events,
      oauthClients: [
        { clientId: dpopApp.clientId, publicKey: dpopApp.publicKey, scopes: ['okta.logs.read'], requireDpop: true },
        { clientId: loopApp.clientId, publicKey: loopApp.publicKey, scopes: ['okta.logs.read'], requireDpop: true, dpopNonceLoop: true },
        { clientId: plainApp.clientId, publicKey: plainApp.publicKey, scopes: ['okta.logs.read'] },
        { clientId: noLogsApp.clientId, publicKey: noLogsApp.publicKey, scopes: ['okta.users.read'], requireDpop: true },
      ],
    });
  });
  after(() => org.close());

  async function requestToken(app: TestOAuthClient, dpop?: string, scope = 'okta.logs.read'): Promise<Answer> {
    const assertion = signClientAssertion({ clientId: app.clientId, privateKey: app.privateKey, audience: tokenUrl(), kid: app.keyId });
    const form = { grant_type: 'client_credentials', scope, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (dpop) headers.dpop = dpop;
    return answer(await fetch(tokenUrl(), { method: 'POST', headers, body: new URLSearchParams(form).toString() }));
  }

  const tokenProof = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, k = key) =>
    proof(k, { htm: 'POST', htu: tokenUrl(), ...claims }, header);

  /** The nonce dance: a proof without a nonce, then one with the nonce Okta named. */
  async function dpopToken(app = dpopApp, k = key, scope = 'okta.logs.read'): Promise<string> {
    const first = await requestToken(app, tokenProof({}, {}, k), scope);
    assert.equal(first.json.error, 'use_dpop_nonce', first.text);
    const second = await requestToken(app, tokenProof({ nonce: first.headers.get('dpop-nonce') }, {}, k), scope);
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.token_type, 'DPoP');
    return String(second.json.access_token);
  }

  async function callApi(token: string, dpop: string | undefined, opts: { scheme?: string; url?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `${opts.scheme ?? 'DPoP'} ${token}`, accept: 'application/json' };
    if (dpop) headers.dpop = dpop;
    return answer(await fetch(opts.url ?? `${logsUrl()}?since=2026-10-01T00:00:00.000Z&limit=2`, { headers }));
  }

  const apiProof = (token: string, claims: Record<string, unknown> = {}, k = key) => proof(k, { htm: 'GET', htu: logsUrl(), ath: ath(token), ...claims });

  function assertProofRefused(a: Answer, description: RegExp): void {
    assert.equal(a.status, 400, a.text);
    assert.equal(a.text, '');
    const challenge = a.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", /);
    assert.match(challenge, /error="invalid_dpop_proof"/);
    assert.match(challenge, description);
  }

  describe('the token endpoint', () => {
    it('refuses a token request without a DPoP header with invalid_dpop_proof', async () => {
      const a = await requestToken(dpopApp);
      assert.equal(a.status, 400);
      assert.deepEqual(a.json, { error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT header is missing.' });
    });

    it('asks for a nonce with use_dpop_nonce and a DPoP-Nonce header, then issues a DPoP token', async () => {
      const before = org.stats.tokenRequests;
      const first = await requestToken(dpopApp, tokenProof());
      assert.equal(first.status, 400);
      assert.deepEqual(first.json, { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' });
      const nonce = first.headers.get('dpop-nonce');
      assert.ok(nonce && nonce.length >= 16);
      const madeUp = await requestToken(dpopApp, tokenProof({ nonce: 'not-one-of-ours' }));
      assert.equal(madeUp.json.error, 'use_dpop_nonce');
      assert.equal(madeUp.headers.get('dpop-nonce'), nonce, 'the nonce stays the same until it rotates');
      const second = await requestToken(dpopApp, tokenProof({ nonce }));
      assert.equal(second.status, 200, second.text);
      assert.equal(second.json.token_type, 'DPoP');
      assert.equal(second.json.expires_in, 3600);
      assert.equal(second.json.scope, 'okta.logs.read');
      assert.equal(org.stats.tokenRequests - before, 3);
    });

    it('accepts an ES256 proof key', async () => {
      const token = await dpopToken(dpopApp, proofKey('ES256'));
      assert.ok(token);
    });

    it('refuses a malformed or wrong proof with a specific invalid_dpop_proof description', async () => {
      const nonce = (await requestToken(dpopApp, tokenProof())).headers.get('dpop-nonce');
      const nowS = Math.floor(Date.now() / 1000);
      const cases: [string, string, RegExp][] = [
        ['not a JWT', 'abc.def', /cannot be parsed/],
        ['typ JWT', tokenProof({ nonce }, { typ: 'JWT' }), /'typ'/],
        ['alg none', tokenProof({ nonce }, { alg: 'none' }), /'alg'/],
        ['private jwk', tokenProof({ nonce }, { jwk: key.privateKey.export({ format: 'jwk' }) }), /private/],
        ['another key signed it', tokenProof({ nonce }, { jwk: proofKey().jwk }), /signature/],
        ['htm post', tokenProof({ nonce, htm: 'post' }), /'htm'/],
        ['htu of another path', tokenProof({ nonce, htu: `${org.url}/oauth2/default/v1/token` }), /'htu'/],
        ['iat 400 s ago', tokenProof({ nonce, iat: nowS - 400 }), /'iat'.*past/],
        ['iat 120 s ahead', tokenProof({ nonce, iat: nowS + 120 }), /'iat'.*future/],
        ['no jti', tokenProof({ nonce, jti: undefined }), /'jti'/],
      ];
      for (const [name, dpop, description] of cases) {
        const a = await requestToken(dpopApp, dpop);
        assert.equal(a.status, 400, name);
        assert.equal(a.json.error, 'invalid_dpop_proof', `${name}: ${a.text}`);
        assert.match(String(a.json.error_description), description, name);
      }
      const once = tokenProof({ nonce });
      assert.equal((await requestToken(dpopApp, once)).status, 200);
      const replay = await requestToken(dpopApp, once);
      assert.deepEqual(replay.json, { error: 'invalid_dpop_proof', error_description: 'The DPoP proof JWT has already been used.' });
    });

    it('keeps answering use_dpop_nonce, with a new nonce each time, to an app with dpopNonceLoop', async () => {
      const before = org.stats.tokenRequests;
      let nonce: string | null = null;
      const seen = new Set<string>();
      for (let round = 0; round < 4; round++) {
        const a = await requestToken(loopApp, tokenProof(nonce ? { nonce } : {}));
        assert.equal(a.status, 400);
        assert.equal(a.json.error, 'use_dpop_nonce');
        nonce = a.headers.get('dpop-nonce');
        assert.ok(nonce && !seen.has(nonce));
        seen.add(nonce);
      }
      assert.equal(org.stats.tokenRequests - before, 4);
    });

    it('issues Bearer tokens to an app without requireDpop, with or without a proof', async () => {
      for (const dpop of [undefined, tokenProof(), 'garbage']) {
        const a = await requestToken(plainApp, dpop);
        assert.equal(a.status, 200, a.text);
        assert.equal(a.json.token_type, 'Bearer');
        assert.equal((await callApi(String(a.json.access_token), undefined, { scheme: 'Bearer' })).status, 200);
      }
    });
  });

  describe('the APIs', () => {
    let token: string;
    before(async () => {
      token = await dpopToken();
    });

    it('serves the System Log and the Events API to a DPoP token with a fresh proof each time', async () => {
      const page = await callApi(token, apiProof(token));
      assert.equal(page.status, 200, page.text);
      assert.equal(org.requests[org.requests.length - 1].auth, 'DPoP');
      const eventsUrl = `${org.url}/api/v1/events`;
      const legacy = await callApi(token, apiProof(token, { htu: eventsUrl }), { url: `${eventsUrl}?limit=1` });
      assert.equal(legacy.status, 200, legacy.text);
      // The same key in another JWK form (extra members, other order) has the same RFC 7638 thumbprint.
      const dressed = { ...key, jwk: { alg: 'RS256', use: 'sig', kid: 'k1', n: key.jwk.n, e: key.jwk.e, kty: 'RSA' } as JsonWebKey };
      assert.equal((await callApi(token, apiProof(token, {}, dressed))).status, 200);
    });

    it('refuses htm "get": the method must be the one on the wire, exactly', async () => {
      assertProofRefused(await callApi(token, apiProof(token, { htm: 'get' })), /error_description="'htm' claim in the DPoP proof JWT is invalid\."/);
    });

    it('refuses an htu of another path or origin, and ignores a query in htu', async () => {
      assertProofRefused(await callApi(token, apiProof(token, { htu: `${org.url}/api/v1/events` })), /'htu'/);
      assertProofRefused(await callApi(token, apiProof(token, { htu: logsUrl().replace('http:', 'https:') })), /'htu'/);
      assert.equal((await callApi(token, apiProof(token, { htu: `${logsUrl()}?limit=2` }))).status, 200);
    });

    it('refuses a missing or wrong ath', async () => {
      assertProofRefused(await callApi(token, apiProof(token, { ath: undefined })), /'ath' claim in the DPoP proof JWT is missing/);
      assertProofRefused(await callApi(token, apiProof(token, { ath: ath(`${token}x`) })), /'ath' claim in the DPoP proof JWT is invalid/);
    });

    it('refuses a stale or future iat', async () => {
      const nowS = Math.floor(Date.now() / 1000);
      assertProofRefused(await callApi(token, apiProof(token, { iat: nowS - 400 })), /'iat'.*past/);
      assertProofRefused(await callApi(token, apiProof(token, { iat: nowS + 120 })), /'iat'.*future/);
      assert.equal((await callApi(token, apiProof(token, { iat: nowS - 250 }))).status, 200);
    });

    it('refuses a replayed jti', async () => {
      const once = apiProof(token);
      assert.equal((await callApi(token, once)).status, 200);
      assertProofRefused(await callApi(token, once), /error_description="The DPoP proof JWT has already been used\."/);
    });

    it('refuses a proof by another key than the token is bound to, and a missing proof', async () => {
      assertProofRefused(await callApi(token, apiProof(token, {}, proofKey())), /not the key the access token is bound to/);
      assertProofRefused(await callApi(token, undefined), /The DPoP proof JWT header is missing/);
    });

    it('answers 401 to a DPoP token sent as Bearer and to a Bearer token sent as DPoP', async () => {
      const asBearer = await callApi(token, apiProof(token), { scheme: 'Bearer' });
      assert.equal(asBearer.status, 401);
      assert.equal(asBearer.json.errorCode, 'E0000011');
      assert.match(asBearer.headers.get('www-authenticate') ?? '', /^DPoP .*error="invalid_token"/);
      const bearer = String((await requestToken(plainApp)).json.access_token);
      const asDpop = await callApi(bearer, apiProof(bearer));
      assert.equal(asDpop.status, 401);
      assert.equal(asDpop.json.errorCode, 'E0000011');
      assert.match(asDpop.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    });

    it('answers 403 to a DPoP token without okta.logs.read', async () => {
      const other = await dpopToken(noLogsApp, key, 'okta.users.read');
      const a = await callApi(other, apiProof(other));
      assert.equal(a.status, 403);
      assert.equal(a.json.errorCode, 'E0000006');
      assert.match(a.headers.get('www-authenticate') ?? '', /^DPoP .*error="insufficient_scope"/);
    });
  });

  describe('knobs', () => {
    let short: FakeOrg;
    afterEach(() => short?.close());

    it('expires tokens after tokenLifetimeS with 401 E0000011 and a DPoP invalid_token challenge', async () => {
      short = await startFakeOrg({ events, tokenLifetimeS: 0.5, oauthClients: [{ clientId: dpopApp.clientId, publicKey: dpopApp.publicKey, scopes: ['okta.logs.read'], requireDpop: true }] });
      const saved = org;
      org = short;
      try {
        const token = await dpopToken();
        assert.equal((await callApi(token, apiProof(token))).status, 200);
        await new Promise((r) => setTimeout(r, 550));
        const expired = await callApi(token, apiProof(token));
        assert.equal(expired.status, 401);
        assert.equal(expired.json.errorCode, 'E0000011');
        assert.match(expired.headers.get('www-authenticate') ?? '', /^DPoP .*error="invalid_token"/);
        assert.ok(await dpopToken(), 'a new token can be had');
      } finally {
        org = saved;
      }
    });

    it('honours a nonce for three dpopNonceRotateMs periods, then asks again', async () => {
      short = await startFakeOrg({ events, dpopNonceRotateMs: 100, oauthClients: [{ clientId: dpopApp.clientId, publicKey: dpopApp.publicKey, scopes: ['okta.logs.read'], requireDpop: true }] });
      const saved = org;
      org = short;
      try {
        const nonce = (await requestToken(dpopApp, tokenProof())).headers.get('dpop-nonce');
        await new Promise((r) => setTimeout(r, 150));
        assert.equal((await requestToken(dpopApp, tokenProof({ nonce }))).status, 200, 'a rotated-out nonce still works');
        await new Promise((r) => setTimeout(r, 200));
        const stale = await requestToken(dpopApp, tokenProof({ nonce }));
        assert.equal(stale.json.error, 'use_dpop_nonce');
        assert.notEqual(stale.headers.get('dpop-nonce'), nonce);
      } finally {
        org = saved;
      }
    });
  });

  describe('apiDpopNonce: the APIs asking for a nonce of their own', () => {
    let nonceOrg: FakeOrg | undefined;
    let saved: FakeOrg | undefined;
    afterEach(async () => {
      if (saved) org = saved;
      saved = undefined;
      await nonceOrg?.close();
      nonceOrg = undefined;
    });
    async function startWith(apiDpopNonce: { rotateEveryRequests?: number; loop?: boolean }): Promise<void> {
      saved = org;
      nonceOrg = await startFakeOrg({
        events,
        apiDpopNonce,
        oauthClients: [
          { clientId: dpopApp.clientId, publicKey: dpopApp.publicKey, scopes: ['okta.logs.read'], requireDpop: true },
          { clientId: plainApp.clientId, publicKey: plainApp.publicKey, scopes: ['okta.logs.read'] },
        ],
      });
      org = nonceOrg;
    }

    function assertNonceAsked(a: Answer): string {
      assert.equal(a.status, 401, a.text);
      assert.equal(a.json.errorCode, 'E0000011');
      const challenge = a.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /^DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", /);
      assert.match(challenge, /error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof\."/);
      const nonce = a.headers.get('dpop-nonce');
      assert.ok(nonce && /^[\w-]{16,}$/.test(nonce), `a DPoP-Nonce header: ${nonce}`);
      return nonce;
    }

    it('answers 401 use_dpop_nonce with a DPoP-Nonce to a proof without the current nonce, and rotates it', async () => {
      await startWith({ rotateEveryRequests: 2 });
      const token = await dpopToken();
      const first = assertNonceAsked(await callApi(token, apiProof(token)));
      assert.equal(assertNonceAsked(await callApi(token, apiProof(token, { nonce: 'not-one-of-ours' }))), first, 'the nonce stays until it rotates');
      const ok = await callApi(token, apiProof(token, { nonce: first }));
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.headers.get('dpop-nonce'), first, 'every answer names the current nonce');
      // The second request served with it rotates it: the answer names the next one.
      const rotated = await callApi(token, apiProof(token, { nonce: first }));
      assert.equal(rotated.status, 200, rotated.text);
      const second = rotated.headers.get('dpop-nonce');
      assert.ok(second && second !== first, 'a new nonce after rotateEveryRequests');
      assert.equal(assertNonceAsked(await callApi(token, apiProof(token, { nonce: first }))), second, 'a rotated-out nonce is stale');
      assert.equal((await callApi(token, apiProof(token, { nonce: second }))).status, 200);
    });

    it('checks the rest of the proof first, and leaves Bearer tokens and the token endpoint alone', async () => {
      await startWith({});
      const token = await dpopToken();
      const nonce = assertNonceAsked(await callApi(token, apiProof(token)));
      assertProofRefused(await callApi(token, apiProof(token, { nonce, htm: 'get' })), /'htm'/);
      assertProofRefused(await callApi(token, apiProof(token, { nonce, ath: undefined })), /'ath'/);
      const once = apiProof(token, { nonce });
      assert.equal((await callApi(token, once)).status, 200);
      assertProofRefused(await callApi(token, once), /already been used/);
      const bearer = await requestToken(plainApp);
      const page = await callApi(String(bearer.json.access_token), undefined, { scheme: 'Bearer' });
      assert.equal(page.status, 200, page.text);
      assert.equal(page.headers.get('dpop-nonce'), null);
      assert.deepEqual(org.requests.filter((r) => r.endpoint === 'token').map((r) => r.status), [400, 200, 200], 'the token endpoint keeps its own nonce dance');
    });

    it('with loop, asks every request again with a new nonce, the current one included', async () => {
      await startWith({ loop: true });
      const token = await dpopToken();
      const seen = new Set<string>();
      let nonce = assertNonceAsked(await callApi(token, apiProof(token)));
      seen.add(nonce);
      for (let round = 0; round < 3; round++) {
        nonce = assertNonceAsked(await callApi(token, apiProof(token, { nonce })));
        assert.ok(!seen.has(nonce), 'a new nonce each time');
        seen.add(nonce);
      }
    });

    it('refuses a rotateEveryRequests that is not a whole number of at least 1', async () => {
      await assert.rejects(startFakeOrg({ apiDpopNonce: { rotateEveryRequests: 0 } }), /rotateEveryRequests must be an integer >= 1/);
    });
  });

  describe('the real SDK through createOktaClient', () => {
    it('does the nonce dance and reads with DPoP; a lower-case method gets 400 invalid_dpop_proof', async () => {
      const app = makeOAuthClient({ format: 'jwk' });
      const sdkOrg = await startFakeOrg({ events, oauthClients: [{ clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read'], requireDpop: true }] });
      try {
        const client = createOktaClient(sdkOrg.url, { mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId });
        const url = `${sdkOrg.url}/api/v1/logs?limit=1`;
        const res = await client.http.http(url, { method: 'GET', headers: { Accept: 'application/json' } });
        assert.equal(res.status, 200);
        const tokenCalls = sdkOrg.requests.filter((r) => r.endpoint === 'token').map((r) => r.status);
        assert.deepEqual(tokenCalls, [400, 200]);
        const page = sdkOrg.requests.filter((r) => r.endpoint === 'logs');
        assert.deepEqual(page.map((r) => [r.auth, r.status]), [['DPoP', 200]]);

        // The SDK copies the caller's method string into htm; node-fetch sends it upper case.
        const err = await client.http.http(url, { method: 'get', headers: { Accept: 'application/json' } }).then(
          () => assert.fail('a proof with htm "get" was accepted'),
          (e: unknown) => e as { status?: number; headers?: { get(name: string): string | null } },
        );
        assert.equal(err.status, 400);
        assert.match(err.headers?.get('www-authenticate') ?? '', /error="invalid_dpop_proof", error_description="'htm' claim/);
        assert.equal(sdkOrg.requests[sdkOrg.requests.length - 1].method, 'GET');
      } finally {
        await sdkOrg.close();
      }
    });
  });
});
