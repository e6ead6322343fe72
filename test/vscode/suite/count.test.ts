// Counting through the commands: the result matches the fake org's ground truth, progress reads
// like the notification, cancellation stops the requests and keeps the last result.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, groundTruth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, collecting, countMonth, currentMonth, extensionApi, previousMonth, readText, resetExtension, waitFor, withCountedOrg } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

const PROGRESS_LINE = /^page [\d,]+ · [\d,]+ events · [\d,]+ users · \d{1,3}% of [A-Z][a-z]+$/;

describe('counting MAUs', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 11, users: 300, sessions: 2400 });

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generated.events, latencyMs: 20 });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(orgId);
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('counts a past month to exactly the ground-truth MAU and saves it', async () => {
    const { result, progress, errors } = await collecting(api, () => countMonth(month));
    assert.deepEqual(errors, []);
    assert.ok(result);
    assert.equal(result.mau, generated.truth.mau);
    assert.equal(result.events, generated.truth.events);
    assert.equal(result.complete, true);
    const byId = new Map(result.users.map((u) => [u.id, u]));
    for (const [id, truth] of Object.entries(generated.truth.users)) {
      assert.equal(byId.get(id)?.sessions, truth.sessions, `sessions of ${truth.login}`);
    }
    const saved = JSON.parse(await readText(vscode.Uri.joinPath(api.resultsUri, orgId, `${month}.json`)));
    assert.equal(saved.report.mau, generated.truth.mau);
    assert.deepEqual(progress[0] && [progress[0].phase, progress[0].month], ['started', month]);
    assert.equal(progress.at(-1)?.phase, 'finished');
  });

  it('reports progress as "page N · E events · U users · P% of <Month>"', async () => {
    const { progress } = await collecting(api, () => countMonth(month));
    const lines = progress.filter((p) => p.phase === 'progress').map((p) => p.message);
    assert.ok(lines.length > 0, 'no progress was reported');
    for (const line of lines) assert.match(line, PROGRESS_LINE);
    const monthName = new Date(`${month}-01T00:00:00Z`).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
    assert.ok(lines.at(-1)!.endsWith(`100% of ${monthName}`), `last progress line: ${lines.at(-1)}`);
  });

  it('says it is waiting for the rate limit while Okta answers 429', async () => {
    org.injectFault({ kind: 'rateLimit', resetInMs: 2000, endpoint: 'logs' });
    const { result, progress } = await collecting(api, () => countMonth(month));
    assert.equal(result?.mau, generated.truth.mau);
    assert.ok(
      progress.some((p) => /^waiting for rate limit \(\d+ s\)$/.test(p.message)),
      `no rate-limit message among: ${[...new Set(progress.map((p) => p.message))].join(' | ')}`,
    );
  });

  it('shows the current month in the status bar as the ground-truth MAU', async () => {
    const now = Date.now();
    // Only what already happened: a count of the current month reads up to now.
    const current = generateMonth({ month: currentMonth(), seed: 5, users: 120, sessions: 900 }).events;
    // The past month's generator also puts edge events just after its end, i.e. in this month.
    const served = [...generated.events, ...current].filter((e) => Date.parse(e.published) < now - 60_000);
    const truth = groundTruth(served, { since: `${currentMonth()}-01T00:00:00Z`, until: new Date(now) });
    org.setEvents(served);
    const report = await vscode.commands.executeCommand<{ mau: number } | undefined>('oktaMau.countMaus');
    assert.equal(report?.mau, truth.mau);
    // Early in a month the question is last month's final count and this month so far: both show.
    const short = (m: string) => new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
    assert.equal(
      await api.statusBarText(),
      `$(person) ${short(month)} ${generated.truth.mau.toLocaleString('en-US')} · ${short(currentMonth())} ${truth.mau.toLocaleString('en-US')} so far`,
    );
    await vscode.workspace.getConfiguration('oktaMau').update('statusBar.enabled', false, vscode.ConfigurationTarget.Global);
    assert.equal(await api.statusBarText(), undefined, 'the status bar item is still shown when disabled');
    await vscode.workspace.getConfiguration('oktaMau').update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
  });
});

// A second org whose requests can be made to hang: faults left unconsumed die with it.
describe('cancelling and overlapping counts', () => {
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 12, users: 150, sessions: 900 });
  const fixture = withCountedOrg(month, generated.events);

  it('runs one count per org: a second start while one runs starts no requests of its own', async () => {
    const { api, org, orgId } = fixture;
    org.injectFault({ kind: 'hang', ms: 1500, endpoint: 'logs', times: 4 });
    const { result, progress } = await collecting(api, async () => {
      const first = vscode.commands.executeCommand<{ mau: number } | undefined>('oktaMau.countMausForMonth', { month, orgId });
      await waitFor('the first count to run', () => org.stats.inFlight > 0);
      // Answered with "Show Progress / Cancel It", which nobody clicks here.
      void vscode.commands.executeCommand('oktaMau.countMausForMonth', { month, orgId });
      return first;
    });
    assert.equal(result?.mau, generated.truth.mau);
    assert.equal(progress.filter((p) => p.phase === 'started').length, 1);
  });
  it('cancelling stops the requests, shows no error and keeps the last complete result', async () => {
    const { api, org, orgId } = fixture;
    const file = vscode.Uri.joinPath(api.resultsUri, orgId, `${month}.json`);
    const before = await readText(file);
    org.injectFault({ kind: 'hang', ms: 30_000, endpoint: 'logs', times: 50 });
    let cancelledAt = 0;
    const { result, errors } = await collecting(api, async () => {
      const started = new Promise<void>((resolve) => {
        const sub = api.onDidReportProgress((e) => e.phase === 'started' && (sub.dispose(), resolve()));
      });
      const running = vscode.commands.executeCommand('oktaMau.countMausForMonth', { month, orgId });
      await started;
      await waitFor('a request in flight', () => org.stats.inFlight > 0);
      cancelledAt = Date.now();
      assert.equal(await vscode.commands.executeCommand('oktaMau.cancelCount', { orgId }), true);
      return running;
    });
    // The server holds each request for 30 s; only an aborted request lets the command end sooner.
    assert.ok(Date.now() - cancelledAt < 5000, `the count ended ${Date.now() - cancelledAt} ms after the cancel`);
    assert.equal(result, undefined);
    assert.deepEqual(errors, []);
    assert.equal(await readText(file), before, 'the cached result changed');
    const requestsAtCancel = org.stats.requests;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(org.stats.requests, requestsAtCancel, 'requests continued after the cancel');
  });

});
