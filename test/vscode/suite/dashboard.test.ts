// The MAU dashboard: the data the extension sends to the webview, checked against the fake org's
// ground truth (MAU per month, daily actives, new versus returning, most and least active), the
// panel itself (one per window, its script running under the CSP), and live updates during a count.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, groundTruth, monthBounds, startFakeOrg, type GroundTruth, type LogEvent } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import type { DashboardModel, ToWebview } from '../../../src/extension/dashboard/protocol';
import { addOrg, countMonth, extensionApi, previousMonth, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

const inMonth = (e: LogEvent, month: string) => {
  const { since, until } = monthBounds(month);
  const at = Date.parse(e.published);
  return at >= since && at < until;
};
const isSignIn = (e: LogEvent) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User';

/** Distinct users per UTC day of the month, straight from the events. */
function dailyTruth(events: LogEvent[], month: string): number[] {
  const { since, until } = monthBounds(month);
  const days = Math.round((until - since) / 86_400_000);
  const perDay = Array.from({ length: days }, () => new Set<string>());
  const seen = new Set<string>();
  for (const e of events) {
    const at = Date.parse(e.published);
    if (at < since || at >= until || !isSignIn(e) || seen.has(e.uuid)) continue;
    seen.add(e.uuid);
    perDay[Math.floor((at - since) / 86_400_000)]!.add(e.actor.id);
  }
  return perDay.map((s) => s.size);
}

/** Most sessions first, then most active days, then login: the order the dashboard promises. */
function byActivity(truth: GroundTruth): { id: string; sessions: number; activeDays: number }[] {
  return Object.entries(truth.users)
    .map(([id, u]) => ({ id, login: u.login, sessions: u.sessions, activeDays: u.activeDays }))
    .sort((a, b) => b.sessions - a.sessions || b.activeDays - a.activeDays || a.login.localeCompare(b.login));
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('oktaMau.dashboard'));
}

describe('the MAU dashboard', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = previousMonth();
  const prior = previousMonth(new Date(`${month}-15T00:00:00Z`));
  const earlier = generateMonth({ month: prior, seed: 81, users: 90, sessions: 500 });
  const later = generateMonth({ month, seed: 82, users: 120, sessions: 900 });
  // 40 of the earlier month's users come back: sign-ins of theirs, moved into the later month.
  const comeBack = [...new Map(earlier.events.filter((e) => isSignIn(e) && inMonth(e, prior)).map((e) => [e.actor.id, e])).values()]
    .slice(0, 40)
    .map((e, i) => ({ ...e, uuid: `back-${i}`, published: new Date(monthBounds(month).since + (i + 1) * 3_600_000 * 7).toISOString() }));
  const events = [...earlier.events, ...later.events, ...comeBack];
  const truth = groundTruth(events, monthBounds(month));
  const truthBefore = groundTruth(events, monthBounds(prior));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events, latencyMs: 30 });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetExtension(api);
    await org?.close();
  });

  it('says the previous month is not counted when only one month is saved', async () => {
    assert.ok(await countMonth(month, orgId));
    const model = (await api.dashboard.model(orgId))!;
    assert.equal(model.selected?.month, month);
    assert.deepEqual(model.selected?.comparison, { counted: false, previousMonth: prior });
  });

  it('builds MAU per month, daily actives and new versus returning from the saved counts', async () => {
    assert.ok(await countMonth(prior, orgId));
    const model = (await api.dashboard.model(orgId, month)) as DashboardModel;
    assert.deepEqual(
      model.months.map((m) => [m.month, m.mau, m.complete]),
      [
        [prior, truthBefore.mau, true],
        [month, truth.mau, true],
      ],
    );
    const s = model.selected!;
    assert.equal(s.mau, truth.mau);
    assert.equal(s.events, truth.events);
    assert.deepEqual(s.daily.map((d) => d.users), dailyTruth(events, month));
    assert.equal(s.daily[0]?.date, `${month}-01`);
    const returning = Object.keys(truth.users).filter((id) => id in truthBefore.users).length;
    assert.ok(returning >= 40, `only ${returning} returning users in the fixture`);
    assert.deepEqual(s.comparison, { counted: true, previousMonth: prior, newUsers: truth.mau - returning, returning, lapsed: truthBefore.mau - returning });
  });

  it('lists the 10 most and 10 least active users of the month', async () => {
    const s = (await api.dashboard.model(orgId, month))!.selected!;
    const ranked = byActivity(truth);
    const shape = (u: { sessions: number; activeDays: number }) => [u.sessions, u.activeDays];
    assert.equal(s.most.length, 10);
    assert.deepEqual(s.most.map(shape), ranked.slice(0, 10).map(shape));
    assert.deepEqual(s.least.map(shape), ranked.slice(-10).reverse().map(shape));
    for (const u of [...s.most, ...s.least]) {
      assert.equal(truth.users[u.id]?.sessions, u.sessions, `${u.login}`);
      assert.equal(truth.users[u.id]?.login, u.login);
    }
  });

  it('opens one webview panel, whose script starts and receives the model', async () => {
    const posted: ToWebview[] = [];
    const sub = api.dashboard.onDidPost((m) => posted.push(m));
    try {
      const model = await vscode.commands.executeCommand<DashboardModel>('oktaMau.showDashboard', { orgId, month });
      assert.equal(model.selected?.month, month);
      assert.equal(api.dashboard.isOpen(), true);
      assert.equal(dashboardTabs().length, 1);
      // Only a script that loaded under the panel's CSP says "ready", which is what makes the extension post.
      const shown = await waitFor('the webview to ask for its data', () => posted.find((m) => m.type === 'model'), 30_000);
      assert.equal(shown.type === 'model' && shown.model.selected?.mau, truth.mau);
      assert.ok(posted.some((m) => m.type === 'init' && m.strings.title === 'Okta MAU Dashboard'));
      await vscode.commands.executeCommand('oktaMau.showDashboard');
      assert.equal(dashboardTabs().length, 1, 'a second panel was opened');
    } finally {
      sub.dispose();
    }
  });

  it('updates live while a count runs and shows the new result when it ends', async () => {
    const posted: ToWebview[] = [];
    const sub = api.dashboard.onDidPost((m) => posted.push(m));
    const phases: string[] = [];
    const sub2 = api.onDidReportProgress((e) => phases.push(e.phase));
    try {
      org.injectFault({ kind: 'hang', ms: 400, endpoint: 'logs', times: 6 });
      const report = await vscode.commands.executeCommand<{ mau: number }>('oktaMau.recountFromScratch', { orgId, month });
      assert.equal(report.mau, truth.mau);
      // The panel posts after looking the org up, which may finish just after the count does.
      const livePosts = () => posted.flatMap((m) => (m.type === 'progress' && m.live ? [m.live] : []));
      await waitFor('live progress to reach the dashboard', () => (livePosts().length > 0 ? true : undefined), 5_000).catch(() => undefined);
      const progress = livePosts();
      assert.ok(progress.length > 0, `no live progress reached the dashboard (posted: ${posted.map((m) => m.type).join(', ')}; count events: ${phases.join(', ')})`);
      assert.ok(progress.every((p) => p.month === month && p.users <= truth.mau && p.covered >= 0 && p.covered <= 1));
      // After the last progress message: a model without a running count, holding the saved result.
      const final = await waitFor('the final model', () => {
        const lastProgress = posted.map((m) => m.type).lastIndexOf('progress');
        return posted.slice(lastProgress + 1).find((m): m is Extract<ToWebview, { type: 'model' }> => m.type === 'model' && m.model.live === undefined);
      }, 10_000);
      assert.equal(final.model.months.find((m) => m.month === month)?.mau, truth.mau);
      assert.equal(final.model.selected?.mau, truth.mau);
    } finally {
      sub.dispose();
      sub2.dispose();
    }
  });

  it('closes like any editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the panel to close', () => !api.dashboard.isOpen());
    assert.equal(dashboardTabs().length, 0);
  });
});
