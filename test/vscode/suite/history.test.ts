// History: every saved month stays in the tree, newest first, also after it has left the System
// Log's 90-day retention; a month counted when it was already beyond retention shows as partial,
// with the reason in its tooltip.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { retainedMonths } from '../../../src/core/month';
import { generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, countMonth, extensionApi, monthNode, previousMonth, resetExtension } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

function monthsBack(n: number, now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
}

describe('history of counted months', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const recent = previousMonth();
  const old = monthsBack(5);
  const older = monthsBack(7);
  const generated = [recent, old, older].map((month, i) => generateMonth({ month, seed: 70 + i, users: 30 + 10 * i, sessions: 200 }));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generated.flatMap((g) => g.events) });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    for (const month of [older, recent, old]) assert.ok(await countMonth(month, orgId), `counting ${month} failed`);
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('lists every saved month newest first, including months outside the retention', async () => {
    assert.ok(!retainedMonths(new Date()).includes(old), `${old} is still inside the retention; the test needs an older month`);
    const orgNode = (await api.treeChildren()).find((n) => n.orgId === orgId)!;
    const months = (await api.treeChildren(orgNode)).flatMap((n) => (n.kind === 'month' ? [n.month] : []));
    assert.deepEqual(months, [recent, old, older]);
  });

  it('marks a month counted beyond the retention as partial and gives the reason in its tooltip', async () => {
    const item = api.treeItem(await monthNode(api, orgId, old));
    assert.match(String(item.description), /^[\d,]+ MAU · partial · counted /);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    // The reason is shown as text: Markdown-escaped in the tooltip's source.
    const shown = tooltip.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    assert.match(shown, new RegExp(`Partial: the System Log keeps 90 days, and all of ${old} is older than that`));
    const complete = api.treeItem(await monthNode(api, orgId, recent));
    assert.match(String(complete.description), /· complete ·/);
    assert.ok(!(complete.tooltip as vscode.MarkdownString).value.includes('Partial'));
  });

  it('keeps the old months after a restart, with the counts they had', async () => {
    const before = await Promise.all([recent, old, older].map(async (m) => api.treeItem(await monthNode(api, orgId, m)).description));
    api.reloadResults();
    const after = await Promise.all([recent, old, older].map(async (m) => api.treeItem(await monthNode(api, orgId, m)).description));
    assert.deepEqual(after, before);
    assert.match(String(after[0]), new RegExp(`^${generated[0]!.truth.mau} MAU`));
  });
});
