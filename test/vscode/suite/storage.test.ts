// What survives a restart, and what never reaches disk: results are re-read from storage; the
// token appears in neither the log nor the messages, also when Okta refuses it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, collecting, countMonth, extensionApi, label, monthNode, previousMonth, readText, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

describe('storage and secrecy', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 41, users: 60, sessions: 300 });

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generated.events });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(await countMonth(month));
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('keeps results across a restart: the tree re-reads them from globalStorage', async () => {
    const before = api.treeItem(await monthNode(api, orgId, month)).description;
    api.reloadResults();
    const file = vscode.Uri.joinPath(api.resultsUri, orgId, `${month}.json`);
    assert.equal(JSON.parse(await readText(file)).report.mau, generated.truth.mau);
    const node = await monthNode(api, orgId, month);
    assert.equal(api.treeItem(node).description, before);
    assert.equal((await api.treeChildren(node)).filter((n) => n.kind === 'user').length, generated.truth.mau);
  });

  it('reads a large saved report back exactly as it was counted, its users a chunk at a time', async () => {
    const big = generateMonth({ month, seed: 43, users: 4500, sessions: 9000 });
    const bigOrg = await startFakeOrg({ events: big.events });
    try {
      const bigId = (await addOrg(bigOrg.url, { mode: 'SSWS', token: bigOrg.token }))!;
      assert.ok(await countMonth(month, bigId));
      const counted = await api.dashboard.model(bigId, month);
      const firstPage = (await api.treeChildren(await monthNode(api, bigId, month))).flatMap((n) => (n.kind === 'user' ? [n.user] : []));
      api.reloadResults();
      const file = JSON.parse(await readText(vscode.Uri.joinPath(api.resultsUri, bigId, `${month}.json`))) as { report: { users: unknown[] } };
      assert.equal(file.report.users.length, big.truth.mau);
      assert.deepEqual(await api.dashboard.model(bigId, month), counted);
      const reread = (await api.treeChildren(await monthNode(api, bigId, month))).flatMap((n) => (n.kind === 'user' ? [n.user] : []));
      assert.deepEqual(reread, firstPage);
      assert.deepEqual(reread, file.report.users.slice(0, reread.length));
      await vscode.commands.executeCommand('oktaMau.removeOrg', { orgId: bigId, confirm: false });
    } finally {
      await bigOrg.close();
    }
  });

  it('Clear Cached Results empties the tree but keeps the org', async () => {
    await vscode.commands.executeCommand('oktaMau.clearCache');
    assert.deepEqual(await api.treeChildren(), []);
    assert.equal((await api.orgs()).length, 1);
    assert.ok(await countMonth(month));
  });

  it('a revoked token gives one message naming the fix, and no token in it or in the log', async () => {
    org.revokeToken(org.token);
    const { result, errors } = await collecting(api, () => countMonth(month));
    assert.equal(result, undefined);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /rejected the API token \(HTTP 401 .*update the credential/);
    assert.ok(!errors[0]!.includes(org.token));
    const logFile = vscode.Uri.joinPath(api.logUri, 'Okta MAU.log');
    const log = await waitFor('the log to record the failure', async () => {
      const text = await readText(logFile).catch(() => '');
      return text.includes('(HTTP 401 ') ? text : undefined;
    });
    assert.match(log, /count .* started/);
    assert.ok(!log.includes(org.token), 'the log holds the token');
    assert.ok(!/SSWS [A-Za-z0-9]/.test(log), 'the log holds an Authorization header');
  });

  it('a failed count keeps the last good result', async () => {
    const node = await monthNode(api, orgId, month);
    assert.ok(label(api.treeItem(node)));
    assert.match(String(api.treeItem(node).description), new RegExp(`^${generated.truth.mau} MAU`));
  });
});
