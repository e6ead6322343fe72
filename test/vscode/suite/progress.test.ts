// One progress everywhere: during a count with the dashboard open, the tree's org row, the status
// bar and the dashboard's live progress show the same page, users and percent at the same moment,
// because all of them redraw from the count service's one throttled progress event.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { coveredPercent } from '../../../src/core/reportFacts';
import type { ProgressEvent } from '../../../src/extension/api';
import type { LiveCount, ToWebview } from '../../../src/extension/dashboard/protocol';
import { PROGRESS_INTERVAL_MS } from '../../../src/extension/progressThrottle';
import { generateMonth } from '../../fake-org';
import { previousMonth, sleep, waitFor, withCountedOrg } from './helpers';

interface Sample {
  event: ProgressEvent;
  row: string;
  statusBar: string | undefined;
  live: LiveCount | undefined;
}

describe('one progress everywhere', () => {
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 91, users: 600, sessions: 40_000 });
  const fixture = withCountedOrg(month, generated.events);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the same numbers in the tree, the status bar and the dashboard while a count runs', async () => {
    const { api, org, orgId } = fixture;
    const events: ProgressEvent[] = [];
    const progressAt: number[] = [];
    const live: LiveCount[] = [];
    let lastLive: LiveCount | undefined;
    // How many times the tree had redrawn the org's row when each progress event reached this listener.
    let rowRedraws = 0;
    const rowRedrawsAtProgress: number[] = [];
    const subs = [
      api.onDidChangeTree((node) => {
        if (node?.kind === 'org' && node.orgId === orgId) rowRedraws++;
      }),
      api.onDidReportProgress((e) => {
        if (e.orgId !== orgId) return;
        events.push(e);
        if (e.phase !== 'progress') return;
        progressAt.push(Date.now());
        rowRedrawsAtProgress.push(rowRedraws);
      }),
      api.dashboard.onDidPost((m: ToWebview) => {
        if (m.type !== 'progress' || !m.live) return;
        live.push(m.live);
        lastLive = m.live;
      }),
    ];
    const samples: Sample[] = [];
    try {
      const posted: ToWebview[] = [];
      const sub = api.dashboard.onDidPost((m) => posted.push(m));
      await vscode.commands.executeCommand('oktaMau.showDashboard', { orgId, month });
      await waitFor('the dashboard to show the org', () => posted.some((m) => m.type === 'model' && m.model.orgId === orgId), 30_000);
      sub.dispose();

      assert.ok((await api.treeChildren()).some((n) => n.kind === 'org' && n.orgId === orgId), 'the org is not in the tree');
      // Slow pages: the count runs for several throttle intervals.
      org.configure({ latencyMs: 300 });
      let finished = false;
      const running = Promise.resolve(vscode.commands.executeCommand<{ mau: number } | undefined>('oktaMau.recountFromScratch', { orgId, month })).finally(() => {
        finished = true;
      });
      let sampled = 0;
      while (!finished) {
        const seen = events.length;
        const last = events.at(-1);
        if (seen === sampled || last?.phase !== 'progress') {
          await sleep(10);
          continue;
        }
        // Read every surface now; a sample during which another event arrived is not one moment.
        const orgNode = (await api.treeChildren()).find((n) => n.kind === 'org' && n.orgId === orgId);
        assert.ok(orgNode, 'the org is not in the tree');
        const description = api.treeItem(orgNode).description;
        const statusBar = await api.statusBarText();
        const liveNow = lastLive;
        if (events.length === seen) samples.push({ event: last, row: typeof description === 'string' ? description : '', statusBar, live: liveNow });
        sampled = seen;
      }
      const report = await running;
      assert.equal(report?.mau, generated.truth.mau);
    } finally {
      for (const s of subs) s.dispose();
      org.configure({ latencyMs: 0 });
    }

    const progress = events.filter((e) => e.phase === 'progress');
    assert.ok(samples.length >= 3, `only ${samples.length} quiet moment(s) in ${progress.length} progress event(s): the count was too short to compare`);
    for (const { event, row, statusBar, live: shown } of samples) {
      const p = event.progress;
      assert.ok(p && event.percent !== undefined, `a progress event without numbers: ${event.message}`);
      assert.equal(event.percent, coveredPercent(p.covered));
      // The tree's org row: the same line, never "starting…" once progress exists.
      assert.ok(row.includes(event.message), `tree row "${row}" does not show "${event.message}"`);
      assert.doesNotMatch(row, /starting/);
      const [, page, , , percent] = /page ([\d,]+) · ([\d,]+) events · ([\d,]+) users · (\d+)% of/.exec(row) ?? [];
      assert.equal(Number(page?.replace(/,/g, '')), p.pages, `tree row "${row}"`);
      assert.equal(Number(percent), event.percent, `tree row "${row}"`);
      // The status bar: the same percent.
      assert.equal(statusBar, `$(sync~spin) Okta MAU ${event.percent}%`);
      // The dashboard: the same numbers, posted from the same event.
      assert.ok(shown, 'no live progress reached the dashboard');
      assert.deepEqual([shown.month, shown.pages, shown.events, shown.users, coveredPercent(shown.covered)], [event.month, p.pages, p.events, p.users, event.percent]);
    }

    // Every progress event redrew the tree's org row and reached the dashboard, in order, with its
    // numbers, in the same turn: no surface drops, delays or adds updates of its own.
    assert.deepEqual(rowRedrawsAtProgress, progress.map((_, i) => i + 1));
    assert.deepEqual(
      live.map((l) => [l.pages, l.events, l.users, l.covered]),
      progress.map((e) => [e.progress?.pages, e.progress?.events, e.progress?.users, e.progress?.covered]),
    );
    // At most one progress event per interval; only the newest numbers, sent just before 'finished', may come sooner.
    for (let i = 1; i < progressAt.length - 1; i++) {
      const gap = progressAt[i]! - progressAt[i - 1]!;
      assert.ok(gap >= PROGRESS_INTERVAL_MS - 25, `progress events ${gap} ms apart`);
    }
    assert.equal(events.at(-1)?.phase, 'finished');
  });
});
