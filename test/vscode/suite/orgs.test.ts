// Adding, switching and removing orgs through the real commands, against the fake Okta org.
import * as assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateMonth, makeOAuthClient, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, collecting, countMonth, extensionApi, previousMonth, readText, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

describe('orgs and credentials', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let other: FakeOrg;

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    const { events } = generateMonth({ month: previousMonth(), seed: 7, users: 20, sessions: 60 });
    org = await startFakeOrg({ events });
    other = await startFakeOrg({ events });
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
    await other?.close();
  });

  it('refuses a wrong API token with the core 401 message and stores nothing', async () => {
    const { result, errors } = await collecting(api, () => addOrg(org.url, { mode: 'SSWS', token: 'not-the-right-token-0000' }));
    assert.equal(result, undefined);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^127\.0\.0\.1:\d+ rejected the API token \(HTTP 401 E0000011: Invalid token provided\) \(request id [\w-]+\)/);
    assert.ok(!errors[0].includes('not-the-right-token-0000'), 'the error message repeats the token');
    assert.deepEqual(await api.orgs(), []);
  });

  it('refuses an org URL with a path before any request', async () => {
    const before = org.stats.requests;
    const { result, errors } = await collecting(api, () => addOrg(`${org.url}/admin/dashboard`, { mode: 'SSWS', token: org.token }));
    assert.equal(result, undefined);
    assert.match(errors[0] ?? '', /must not have a path/);
    assert.equal(org.stats.requests, before);
    assert.deepEqual(await api.orgs(), []);
  });

  it('refuses an EC key (-----BEGIN EC PRIVATE KEY-----) before any request, naming RS256 as the reason, and stores nothing', async () => {
    const ec = makeOAuthClient({ format: 'pem', alg: 'ES256' });
    const sec1 = createPrivateKey(ec.privateKey).export({ type: 'sec1', format: 'pem' }).toString();
    assert.match(sec1, /^-----BEGIN EC PRIVATE KEY-----/);
    const before = org.stats.requests;
    const { result, errors } = await collecting(api, () => addOrg(org.url, { mode: 'PrivateKey', clientId: ec.clientId, privateKey: sec1, keyId: ec.keyId }));
    assert.equal(result, undefined);
    assert.equal(errors.length, 1);
    assert.equal(errors[0], 'The key type is EC; use an RSA private key (the Okta SDK signs the proof of possession (DPoP) on every token request with RS256 only).');
    assert.equal(org.stats.requests, before);
    assert.deepEqual(await api.orgs(), []);
  });

  it('stores a working API token after checking it, and makes that org active', async () => {
    const id = await addOrg(`${org.url}/`, { mode: 'SSWS', token: org.token });
    assert.ok(id);
    const orgs = await api.orgs();
    assert.deepEqual(orgs, [{ id, orgUrl: org.url, authMode: 'SSWS', active: true }]);
    assert.ok(org.requests.some((r) => r.endpoint === 'logs' && r.status === 200 && r.auth === 'SSWS'), 'no credential check reached the org');
  });

  it('adding the same org again replaces its credential instead of listing it twice', async () => {
    const again = await addOrg(org.url, { mode: 'SSWS', token: org.token });
    assert.equal((await api.orgs()).length, 1);
    assert.equal((await api.orgs())[0]?.id, again);
  });

  it('keeps several orgs, one active, and switches between them', async () => {
    const first = (await api.orgs())[0]!.id;
    const second = await addOrg(other.url, { mode: 'SSWS', token: other.token });
    assert.ok(second);
    assert.deepEqual((await api.orgs()).map((o) => [o.orgUrl, o.active]), [
      [org.url, false],
      [other.url, true],
    ]);
    await vscode.commands.executeCommand('oktaMau.switchOrg', { orgId: first });
    assert.equal((await api.orgs()).find((o) => o.active)?.id, first);
  });

  it('writes neither the org URL nor the token to settings.json or the results folder', async () => {
    const month = previousMonth();
    const report = await countMonth(month);
    assert.ok(report, 'the count did not finish');
    const userDir = vscode.Uri.joinPath(api.resultsUri, '..', '..', '..');
    assert.equal(path.basename(userDir.fsPath), 'User', `unexpected globalStorage layout: ${api.resultsUri.fsPath}`);
    const settings = await readText(vscode.Uri.joinPath(userDir, 'settings.json')).catch(() => '');
    for (const secret of [org.token, other.token, org.url, other.url]) assert.ok(!settings.includes(secret), 'settings.json holds an org URL or a token');
    const orgId = (await api.orgs()).find((o) => o.active)!.id;
    const saved = await readText(vscode.Uri.joinPath(api.resultsUri, orgId, `${month}.json`));
    assert.equal(JSON.parse(saved).report.mau, report.mau);
    assert.ok(!saved.includes(org.token) && !saved.includes(org.url), 'the saved result holds the org URL or the token');
  });

  it('Update Credential with a revoked token keeps the stored one and offers to try again', async () => {
    const active = (await api.orgs()).find((o) => o.active)!;
    const { result, errors } = await collecting(api, () =>
      vscode.commands.executeCommand('oktaMau.updateCredential', { orgId: active.id, auth: { mode: 'SSWS', token: 'revoked-token-1234567' } }),
    );
    assert.equal(result, undefined);
    assert.match(errors[0] ?? '', /\(HTTP 401 /);
    // The stored credential still works: a count succeeds.
    assert.ok(await countMonth(previousMonth()));
  });

  it('Remove Org deletes its credential and its cached results', async () => {
    const active = (await api.orgs()).find((o) => o.active)!;
    const folder = vscode.Uri.joinPath(api.resultsUri, active.id);
    await vscode.workspace.fs.stat(folder); // counted above, so the folder exists
    await vscode.commands.executeCommand('oktaMau.removeOrg', { orgId: active.id, confirm: false });
    assert.deepEqual((await api.orgs()).map((o) => o.orgUrl), [other.url]);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(folder)), 'the results folder survived');
    const remaining = await api.orgs();
    assert.equal(remaining[0]?.active, true, 'the remaining org did not become active');
  });
});

describe('OAuth service app credentials', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 8, users: 25, sessions: 90 });
  const pemApp = makeOAuthClient({ format: 'pem' });
  const jwkApp = makeOAuthClient({ format: 'jwk' });
  const noScopeApp = makeOAuthClient({ format: 'jwk' });

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({
      events: generated.events,
      oauthClients: [
        { clientId: pemApp.clientId, publicKey: pemApp.publicKey, scopes: ['okta.logs.read'] },
        { clientId: jwkApp.clientId, publicKey: jwkApp.publicKey, scopes: ['okta.logs.read'] },
        { clientId: noScopeApp.clientId, publicKey: noScopeApp.publicKey, scopes: ['okta.users.read'] },
      ],
    });
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('counts with a PEM key and its key id, and never logs the key', async () => {
    const id = await addOrg(org.url, { mode: 'PrivateKey', clientId: pemApp.clientId, privateKey: pemApp.privateKey, keyId: pemApp.keyId });
    assert.ok(id);
    assert.equal((await api.orgs())[0]?.authMode, 'PrivateKey');
    assert.equal((await countMonth(month))?.mau, generated.truth.mau);
    const keyLines = pemApp.privateKey.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'));
    const log = await waitFor('the log file', () => readText(vscode.Uri.joinPath(api.logUri, 'Okta MAU.log')).catch(() => undefined));
    for (const line of keyLines) assert.ok(!log.includes(line), 'the log holds part of the private key');
  });

  it('counts with a JWK that carries its own kid', async () => {
    assert.ok(await addOrg(org.url, { mode: 'PrivateKey', clientId: jwkApp.clientId, privateKey: jwkApp.privateKey }));
    assert.equal((await countMonth(month))?.mau, generated.truth.mau);
  });

  it('refuses an app Okta will not issue an okta.logs.read token to, and keeps the working credential', async () => {
    const { result, errors } = await collecting(api, () =>
      vscode.commands.executeCommand('oktaMau.updateCredential', { auth: { mode: 'PrivateKey', clientId: noScopeApp.clientId, privateKey: noScopeApp.privateKey } }),
    );
    assert.equal(result, undefined);
    assert.match(errors[0] ?? '', /^127\.0\.0\.1:\d+ refused the scope \(invalid_scope: .*\).*: grant the service app okta\.logs\.read/);
    assert.equal((await countMonth(month))?.mau, generated.truth.mau);
  });
});
