// Adding an org and updating its credential: every failure names what failed (the org's host, Okta's
// reason) and what to do, and stores nothing. The messages a person reads after Try Again and after a
// successful update are notifications, which only the workbench shows: test/vscode/ui/layout.ui.ts
// clicks through those (the URL kept after Try Again, "credential for <host> updated").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closedPortUrl, generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, collecting, countMonth, extensionApi, previousMonth, resetExtension } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('org story: errors name what failed and what to do', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  const month = previousMonth();

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generateMonth({ month, seed: 64, users: 15, sessions: 40 }).events });
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('names the host it could not reach when adding an org, says to check the URL and the network, and stores nothing', async () => {
    const url = await closedPortUrl();
    const host = new URL(url).host;
    const { result, errors } = await collecting(api, () => addOrg(url, { mode: 'SSWS', token: 'a-token-for-nobody-0000' }));
    assert.equal(result, undefined);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, new RegExp(`^could not reach ${escape(host)}: connection refused \\(ECONNREFUSED\\); gave up on .+; check the org URL and the network, then try again$`));
    assert.ok(!errors[0]!.includes('a-token-for-nobody-0000'), 'the error repeats the token');
    assert.deepEqual(await api.orgs(), []);
  });

  it('names the org that refused a wrong token, in Okta\'s words with what to do, and stores nothing', async () => {
    const host = new URL(org.url).host;
    const { result, errors } = await collecting(api, () => addOrg(org.url, { mode: 'SSWS', token: 'not-the-right-token-0000' }));
    assert.equal(result, undefined);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, new RegExp(`^${escape(host)} rejected the API token \\(HTTP 401 .*\\): it is wrong, expired or revoked; create a new token under Security › API › Tokens and update the credential$`));
    assert.deepEqual(await api.orgs(), []);
  });

  it('names the host when the org fails Update Credential\'s check, says what to do, and keeps the stored credential', async () => {
    const id = await addOrg(org.url, { mode: 'SSWS', token: org.token });
    assert.ok(id);
    const host = new URL(org.url).host;
    // Okta answers 503 to the check and its retries (three attempts).
    org.injectFault({ kind: 'status', status: 503, endpoint: 'logs', times: 3 });
    const { result, errors } = await collecting(api, () =>
      vscode.commands.executeCommand('oktaMau.updateCredential', { orgId: id, auth: { mode: 'SSWS', token: org.token } }),
    );
    assert.equal(org.pendingFaults(), 0, 'the check stopped before its retries');
    assert.equal(result, undefined);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, new RegExp(`^${escape(host)} answered HTTP 503.*; gave up on .+ after 3 attempts; check the network, then try again$`));
    assert.ok(await countMonth(month, id), 'the stored credential no longer works');
  });

  it('Update Credential with a working credential stores it and returns the org id', async () => {
    const id = (await api.orgs())[0]!.id;
    const { result, errors } = await collecting(api, () => vscode.commands.executeCommand('oktaMau.updateCredential', { orgId: id, auth: { mode: 'SSWS', token: org.token } }));
    assert.deepEqual(errors, []);
    assert.equal(result, id);
    assert.deepEqual((await api.orgs()).map((o) => [o.id, o.active]), [[id, true]]);
  });
});
