// oktaMau.autoRefreshMinutes: background recounts of the active org's current month, shown in
// the status bar; 0 turns them off.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, groundTruth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi, ProgressEvent } from '../../../src/extension/api';
import { addOrg, currentMonth, extensionApi, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

describe('background refresh', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  const events: ProgressEvent[] = [];
  let subscription: vscode.Disposable;
  const now = Date.now();
  const served = generateMonth({ month: currentMonth(), seed: 51, users: 80, sessions: 400 }).events.filter((e) => Date.parse(e.published) < now - 60_000);
  const truth = groundTruth(served, { since: `${currentMonth()}-01T00:00:00Z`, until: new Date(now) });
  const config = () => vscode.workspace.getConfiguration('oktaMau');

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    // Slow answers keep the background count running long enough to look at the status bar.
    org = await startFakeOrg({ events: served, latencyMs: 300 });
    assert.ok(await addOrg(org.url, { mode: 'SSWS', token: org.token }));
    subscription = api.onDidReportProgress((e) => events.push(e));
  });

  after(async () => {
    subscription?.dispose();
    await config().update('autoRefreshMinutes', undefined, vscode.ConfigurationTarget.Global);
    await resetExtension(api);
    await org?.close();
  });

  it('recounts the current month in the background with a spinner in the status bar', async () => {
    assert.equal(await api.statusBarText(), '$(person) Count MAU');
    await config().update('autoRefreshMinutes', 0.02, vscode.ConfigurationTarget.Global); // every 1.2 s
    await waitFor('a background count to start', () => events.some((e) => e.phase === 'started' && e.background));
    assert.match((await api.statusBarText()) ?? '', /^\$\(sync~spin\) Okta MAU/);
    await waitFor('the background count to finish', () => events.some((e) => e.phase === 'finished' && e.background), 30_000);
    // The current month, counted while it runs: a number so far.
    assert.equal(await api.statusBarText(), `$(person) ${truth.mau.toLocaleString('en-US')} MAU so far`);
  });

  it('stops when the setting goes back to 0', async () => {
    await config().update('autoRefreshMinutes', 0, vscode.ConfigurationTarget.Global);
    await waitFor('the running count to end', async () => !(await api.statusBarText())?.includes('sync~spin'), 30_000);
    const before = events.filter((e) => e.phase === 'started').length;
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(events.filter((e) => e.phase === 'started').length, before);
  });

  it('keeps a huge interval from overflowing the timer into a count every millisecond', async () => {
    const before = events.filter((e) => e.phase === 'started').length;
    const requests = org.requests.length;
    // 50,000 minutes is 3e9 ms, past the 2^31 - 1 ms a Node timer holds: unclamped, it fires after 1 ms, again and again.
    await config().update('autoRefreshMinutes', 50_000, vscode.ConfigurationTarget.Global);
    try {
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(events.filter((e) => e.phase === 'started').length, before, 'background counts started');
      assert.equal(org.requests.length, requests, 'the org got requests');
    } finally {
      await config().update('autoRefreshMinutes', 0, vscode.ConfigurationTarget.Global);
    }
  });
});
