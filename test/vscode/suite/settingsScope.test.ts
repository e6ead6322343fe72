// Settings that spend the org's rate limit or change what a count means are the admin's own: a
// repository's .vscode/settings.json cannot start counts, spend the reserve or change the event types,
// and counts under different event types are saved apart, so one never overwrites another.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { definitionSuffix } from '../../../src/core/definition';
import { CUSTOMER_IDENTITY_EVENT_TYPES, generateMonth, groundTruth, monthBounds, startFakeOrg } from '../../fake-org';
import type { OktaMauApi, ProgressEvent } from '../../../src/extension/api';
import type { MauReport } from '../../../src/core/types';
import { addOrg, countMonth, currentMonth, EXTENSION_ID, extensionApi, logText, monthNode, previousMonth, readText, resetExtension, sleep, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

/** The settings a workspace must not drive. */
const GUARDED = ['oktaMau.definition', 'oktaMau.activeEventTypes', 'oktaMau.rateLimitReservePercent', 'oktaMau.autoRefreshMinutes', 'oktaMau.incrementalRefresh', 'oktaMau.dormantDays', 'oktaMau.licensedStatuses'];
const SSO_TYPES = ['user.session.start', 'user.authentication.sso'];

describe('settings a workspace cannot set', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = currentMonth();
  const past = previousMonth();
  const now = Date.now();
  const current = generateMonth({ month, seed: 91, users: 40, sessions: 200 }).events.filter((e) => Date.parse(e.published) < now - 60_000);
  const earlier = generateMonth({ month: past, seed: 92, users: 60, sessions: 400 });
  const events = [...current, ...earlier.events];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const settingsFile = folder && vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
  let previousSettings: Uint8Array | undefined;
  const config = () => vscode.workspace.getConfiguration('oktaMau');
  const tabSize = () => vscode.workspace.getConfiguration('editor').inspect<number>('tabSize')?.workspaceValue;
  const file = (name: string) => vscode.Uri.joinPath(api.resultsUri, orgId, name);
  const countCurrent = () => vscode.commands.executeCommand<MauReport | undefined>('oktaMau.countMaus', { orgId });

  /** What a cloned repository's .vscode/settings.json holds; `editor.tabSize` shows when VS Code has read it. */
  async function writeWorkspaceSettings(values: Record<string, unknown>): Promise<void> {
    await vscode.workspace.fs.writeFile(settingsFile!, Buffer.from(JSON.stringify(values, null, 2)));
    await waitFor('VS Code to read the workspace settings', () => tabSize() === values['editor.tabSize'] || undefined);
  }

  before(async () => {
    assert.ok(settingsFile, 'the test window has no workspace folder');
    previousSettings = await vscode.workspace.fs.readFile(settingsFile).then(
      (b) => b,
      () => undefined,
    );
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(orgId);
  });

  async function restoreWorkspaceSettings(): Promise<void> {
    if (!settingsFile || tabSize() !== 7) return;
    if (previousSettings) await vscode.workspace.fs.writeFile(settingsFile, previousSettings);
    else await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await waitFor('VS Code to drop the test workspace settings', () => tabSize() !== 7 || undefined);
  }

  after(async () => {
    await restoreWorkspaceSettings();
    await config().update('activeEventTypes', undefined, vscode.ConfigurationTarget.Global);
    await config().update('definition', undefined, vscode.ConfigurationTarget.Global);
    await resetExtension(api);
    await org?.close();
  });

  it('declares those settings application-scoped, so VS Code refuses workspace values, and bounds every number', async () => {
    const properties = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties as Record<string, { scope?: string; type: string; minimum?: number; maximum?: number }>;
    for (const key of GUARDED) {
      assert.equal(properties[key]?.scope, 'application', `${key} is not application-scoped`);
      await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration().update(key, properties[key]?.type === 'boolean' ? false : 1, vscode.ConfigurationTarget.Workspace)), `${key} can be written to the workspace`);
    }
    for (const [key, p] of Object.entries(properties)) {
      if (p.type !== 'number' && p.type !== 'integer') continue;
      assert.ok(typeof p.minimum === 'number' && typeof p.maximum === 'number', `${key} has no minimum or maximum`);
    }
    assert.ok(properties['oktaMau.autoRefreshMinutes']!.maximum! * 60_000 < 2 ** 31, 'the longest auto-refresh interval overflows a timer');
  });

  it('ignores workspace values of them: no background count, no other event types, no full recount, the reserve kept', async () => {
    const first = await countCurrent();
    assert.ok(first?.checkpoint, 'the first count of the current month has no checkpoint to refresh from');
    await writeWorkspaceSettings({
      'oktaMau.autoRefreshMinutes': 0.02, // every 1.2 s, if it applied
      'oktaMau.rateLimitReservePercent': 0,
      'oktaMau.incrementalRefresh': false,
      'oktaMau.activeEventTypes': ['user.authentication.sso'],
      'editor.tabSize': 7,
    });
    const started: ProgressEvent[] = [];
    const subscription = api.onDidReportProgress((e) => e.phase === 'started' && started.push(e));
    const requestsBefore = org.requests.length;
    try {
      await sleep(3000);
      assert.deepEqual(started, [], 'a workspace setting started a background count');
      assert.equal(org.requests.length, requestsBefore, 'a workspace setting made requests to the org');

      const startsBefore = (await logText(api)).split('\n').filter((l) => l.includes(' started (')).length;
      const refreshed = await countCurrent();
      assert.equal(refreshed?.incremental, true, 'the workspace turned incremental refresh off');
      assert.deepEqual(refreshed?.eventTypes, ['user.session.start'], 'the workspace changed the event types');
      const startLine = await waitFor('the log to record the recount', async () => (await logText(api)).split('\n').filter((l) => l.includes(' started ('))[startsBefore]);
      assert.match(startLine, /\(foreground, refresh from .*; events: user\.session\.start; reserve 20%\)/);
      const names = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(api.resultsUri, orgId))).map(([n]) => n);
      assert.deepEqual(names.filter((n) => n.startsWith(month)), [`${month}.json`]);
    } finally {
      subscription.dispose();
      await restoreWorkspaceSettings();
    }
  });

  it('saves a count under other event types beside the default one, and shows the results of the current definition', async () => {
    const byDefault = await countMonth(past, orgId);
    assert.ok(byDefault);
    const defaultFile = await readText(file(`${past}.json`));
    await config().update('activeEventTypes', SSO_TYPES, vscode.ConfigurationTarget.Global);
    const withSso = await countMonth(past, orgId);
    const truth = groundTruth(events, { ...monthBounds(past), eventTypes: SSO_TYPES });
    assert.equal(withSso?.mau, truth.mau);
    assert.equal(withSso?.events, truth.events);
    assert.notEqual(withSso?.events, byDefault.events, 'the fake org has no SSO events to tell the definitions apart');

    assert.equal(await readText(file(`${past}.json`)), defaultFile, 'the count under other event types replaced the default one');
    const ssoFile = `${past}${definitionSuffix({ source: 'logs', eventTypes: SSO_TYPES })}.json`;
    assert.deepEqual(JSON.parse(await readText(file(ssoFile))).report.eventTypes, SSO_TYPES);

    const shown = async () => String((api.treeItem(await monthNode(api, orgId, past)).tooltip as vscode.MarkdownString).value);
    assert.ok((await shown()).includes(`\n\n${truth.events.toLocaleString('en-US')} sign-in events`), 'the tree does not show the count under the current event types');
    assert.equal((await api.dashboard.model(orgId, past))?.selected?.events, truth.events);

    await config().update('activeEventTypes', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the tree to show the default definition again', async () => (await shown()).includes(`\n\n${byDefault.events.toLocaleString('en-US')} sign-in events`) || undefined);
    assert.equal((await api.dashboard.model(orgId, past))?.selected?.events, byDefault.events);
    assert.equal(await readText(file(`${past}.json`)), defaultFile);
  });

  it('counts under the Customer Identity definition when it is picked, as the ground truth has it, names it everywhere, and keeps each definition\'s count', async () => {
    // A second org whose month has OAuth token grants: users active through grants alone count only under Customer Identity.
    const generated = generateMonth({ month: past, seed: 93, users: 50, sessions: 300, tokenGrants: { grants: 120, onlyUsers: 12 } });
    const grants = await startFakeOrg({ events: generated.events });
    try {
      const grantsOrg = (await addOrg(grants.url, { mode: 'SSWS', token: grants.token }))!;
      const signIns = await countMonth(past, grantsOrg);
      assert.equal(signIns?.mau, generated.truths['sign-ins'].mau);
      await config().update('definition', 'customer-identity', vscode.ConfigurationTarget.Global);
      const billed = await countMonth(past, grantsOrg);
      const truth = generated.truths['customer-identity'];
      assert.equal(billed?.mau, truth.mau);
      assert.ok(truth.mau > generated.truths['sign-ins'].mau, 'the fixture has users active through token grants alone');
      const name = "Customer Identity (Okta's MAU billing)";
      const tooltip = async () => String((api.treeItem(await monthNode(api, grantsOrg, past)).tooltip as vscode.MarkdownString).value);
      await waitFor('the tree to show the Customer Identity count', async () => (await tooltip()).includes(`${truth.mau.toLocaleString('en-US')} MAU`) || undefined);
      assert.match(await tooltip(), /Definition\\?: Customer Identity \\?\(Okta\\?'s MAU billing\\?\)/);
      assert.equal((await api.dashboard.model(grantsOrg, past))?.selected?.definition, name);
      assert.equal((await api.dashboard.model(grantsOrg, past))?.selected?.mau, truth.mau);
      // Back to sign-ins: its own count is still there, untouched.
      await config().update('definition', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the tree to show the sign-ins count again', async () => /Definition\\?: Sign\\?-ins/.test(await tooltip()) || undefined);
      assert.equal((await api.dashboard.model(grantsOrg, past))?.selected?.mau, signIns?.mau);
      assert.ok(await readText(vscode.Uri.joinPath(api.resultsUri, grantsOrg, `${past}${definitionSuffix({ source: 'logs', eventTypes: [...CUSTOMER_IDENTITY_EVENT_TYPES] })}.json`)));
    } finally {
      await config().update('definition', undefined, vscode.ConfigurationTarget.Global);
      await grants.close();
    }
  });

  it('keeps counting the event types listed before there was a definition setting', async () => {
    await config().update('activeEventTypes', SSO_TYPES, vscode.ConfigurationTarget.Global);
    try {
      const report = await countMonth(past, orgId);
      assert.deepEqual(report?.eventTypes, SSO_TYPES);
      await config().update('definition', 'sign-ins', vscode.ConfigurationTarget.Global);
      assert.deepEqual((await countMonth(past, orgId))?.eventTypes, ['user.session.start'], 'an explicit definition wins over the list');
    } finally {
      await config().update('definition', undefined, vscode.ConfigurationTarget.Global);
      await config().update('activeEventTypes', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
