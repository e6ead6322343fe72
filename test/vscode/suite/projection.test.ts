// Where the running month will end, on the status bar's tooltip, the tree's month row and the
// dashboard (its figures, the dashed curve and its record on the org's own months), from the org's
// two earlier months saved in full; "no projection yet" while the month is under a day old, or when
// the calendar puts the month before last partly beyond the System Log's 90 days. Then the
// dashboard's All orgs view: every org's count of one month and their total.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monthWindow } from '../../../src/core';
import { generateMonth, groundTruth, monthBounds, startFakeOrg, type LogEvent } from '../../fake-org';
import * as vscode from 'vscode';
import type { OktaMauApi } from '../../../src/extension/api';
import { addOrg, countMonth, currentMonth, extensionApi, label, monthNode, previousMonth, resetExtension } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

describe('the running month projected to its end', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const now = Date.now();
  const month = currentMonth();
  const previous = previousMonth();
  const earlier = previousMonth(new Date(`${previous}-15T00:00:00Z`));
  const { since, until } = monthBounds(month);
  const cutoff = now - 60_000;
  // This month's sign-ins as they would be by now: the part of a generated month up to the same fraction.
  const fraction = (cutoff - since) / (until - since);
  const thisMonth: LogEvent[] = generateMonth({ month, seed: 43, users: 200, sessions: 1600 }).events.filter((e) => {
    const at = Date.parse(e.published);
    return at >= since && at < since + (until - since) * fraction && at < cutoff;
  });
  const served = [
    ...generateMonth({ month: earlier, seed: 41, users: 200, sessions: 1600 }).events,
    ...generateMonth({ month: previous, seed: 42, users: 200, sessions: 1600 }).events,
    ...thisMonth,
  ].filter((e) => Date.parse(e.published) < cutoff);

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: served });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    for (const m of [earlier, previous, month]) assert.ok(await countMonth(m, orgId), `counting ${m}`);
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('says on the status bar and the month row where the month will end, or why not yet', async () => {
    const tooltip = (await api.statusBarTooltip()) ?? '';
    const row = String(api.treeItem(await monthNode(api, orgId, month)).description);
    if (now - since < 86_400_000) {
      // Under a day of the month: too little of it to project from.
      assert.match(tooltip, /No projection yet/);
      assert.ok(!row.includes('≈'), row);
      return;
    }
    if (!monthWindow(earlier, new Date()).complete) {
      // Late in some months the month before last starts more than 90 days ago: one complete month is too few.
      assert.match(tooltip, /needs 2 earlier months counted in full/);
      return;
    }
    const projected = /Projected: ≈ ([\d,]+) by [A-Z][a-z]{2} \d{1,2} \(([\d,]+)–([\d,]+)\)/.exec(tooltip);
    assert.ok(projected, tooltip);
    const [estimate, low, high] = projected.slice(1).map((v) => Number(v.replace(/,/g, '')));
    const soFar = Number(/^([\d,]+) MAU so far/.exec(row)?.[1]?.replace(/,/g, ''));
    assert.ok(soFar <= low && low <= estimate && estimate <= high, `${soFar} ≤ ${low} ≤ ${estimate} ≤ ${high}`);
    assert.ok(row.includes(`≈ ${estimate.toLocaleString('en-US')} by `), `the row and the tooltip agree: ${row}`);
    assert.ok(label(api.treeItem(await monthNode(api, orgId, month))).length > 0);
  });

  it('says the same in an exported JSON of the running month, and nothing of it for an ended month', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-mau-proj-export-'));
    try {
      const exported = async (m: string) => {
        const file = join(dir, `${m}.json`);
        await vscode.commands.executeCommand('oktaMau.exportReport', { orgId, month: m, what: 'active', uri: file, format: 'json' });
        return JSON.parse(readFileSync(file, 'utf8')) as { projection?: { estimate?: number; low?: number; high?: number; by?: string; none?: string } };
      };
      const running = await exported(month);
      const tooltip = (await api.statusBarTooltip()) ?? '';
      const projected = /Projected: ≈ ([\d,]+) by [A-Z][a-z]{2} \d{1,2} \(([\d,]+)–([\d,]+)\)/.exec(tooltip);
      if (projected) {
        const [estimate, low, high] = projected.slice(1).map((v) => Number(v.replace(/,/g, '')));
        assert.deepEqual([running.projection?.estimate, running.projection?.low, running.projection?.high], [estimate, low, high], tooltip);
        assert.equal(running.projection?.by, new Date(until - 1).toISOString().slice(0, 10));
      } else {
        assert.ok(running.projection?.none, `no projection, and the JSON says why: ${JSON.stringify(running.projection)}`);
      }
      assert.equal((await exported(previous)).projection, undefined, 'an ended month has no projection');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the running month on the dashboard, and every org at once', () => {
  let api: OktaMauApi;
  const orgs: FakeOrg[] = [];
  const ids: string[] = [];
  const month = currentMonth();
  const previous = previousMonth();
  const earlier = previousMonth(new Date(`${previous}-15T00:00:00Z`));
  const cutoff = Date.now() - 60_000;
  const { since, until } = monthBounds(month);
  const fraction = (cutoff - since) / (until - since);
  const orgEvents = (seed: number, users: number): LogEvent[] =>
    [
      ...generateMonth({ month: earlier, seed, users, sessions: users * 8 }).events,
      ...generateMonth({ month: previous, seed: seed + 1, users, sessions: users * 8 }).events,
      ...generateMonth({ month, seed: seed + 2, users, sessions: users * 8 }).events.filter((e) => Date.parse(e.published) < since + (until - since) * fraction),
    ].filter((e) => Date.parse(e.published) < cutoff);
  const served = [orgEvents(51, 150), orgEvents(61, 90)];

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    for (const events of served) {
      const org = await startFakeOrg({ events });
      orgs.push(org);
      ids.push((await addOrg(org.url, { mode: 'SSWS', token: org.token }))!);
    }
    for (const m of [earlier, previous, month]) assert.ok(await countMonth(m, ids[0]), `counting ${m}`);
    assert.ok(await countMonth(previous, ids[1]), `counting ${previous} of the second org`);
  });

  after(async () => {
    await resetExtension(api);
    for (const org of orgs) await org.close();
  });

  it('projects the running month with the status bar\'s figures, a dashed curve that ends on them, and says how it did on the org\'s months', async () => {
    const model = await api.dashboard.model(ids[0], month);
    const s = model?.selected;
    assert.equal(s?.month, month);
    assert.equal(s?.cumulative.at(-1)?.users, s?.mau, 'the day-by-day curve ends on the count');
    const p = s?.projection;
    if (Date.now() - since < 86_400_000 || !monthWindow(earlier, new Date()).complete) {
      assert.equal(p?.kind, 'unavailable');
      return;
    }
    assert.equal(p?.kind, 'projected');
    if (p?.kind !== 'projected') return;
    await vscode.commands.executeCommand('oktaMau.switchOrg', { orgId: ids[0] });
    const tooltip = (await api.statusBarTooltip()) ?? '';
    assert.ok(tooltip.includes(`≈ ${p.estimate.toLocaleString('en-US')} by `) && tooltip.includes(`(${p.low.toLocaleString('en-US')}–${p.high.toLocaleString('en-US')})`), `the dashboard and the status bar agree: ${tooltip}`);
    assert.deepEqual(p.basedOn, [earlier, previous]);
    assert.deepEqual([p.curve.at(-1)?.estimate, p.curve.at(-1)?.low, p.curve.at(-1)?.high], [p.estimate, p.low, p.high]);
    assert.equal(p.curve.at(-1)?.date, new Date(until - 86_400_000).toISOString().slice(0, 10), 'to the month\'s last day');
    // Two earlier months: none of them has two complete months before it to be tested on.
    assert.ok('reason' in p.backtest && /needs 3 months counted in full/.test(p.backtest.reason), JSON.stringify(p.backtest));
  });

  it('shows every org\'s count of a month and their total, as the ground truth has them', async () => {
    const window = monthBounds(previous);
    const truths = served.map((events) => groundTruth(events, window).mau);
    const model = await api.dashboard.model('all', previous);
    const all = model?.allOrgs;
    assert.ok(all, 'the All orgs view');
    assert.equal(all.month, previous);
    assert.deepEqual(all.orgs.map((o) => o.mau), truths);
    assert.equal(all.total, truths[0] + truths[1]);
    assert.equal(all.counted, 2);
    assert.ok(all.months.includes(month) && all.months.includes(earlier), all.months.join());
    const running = await api.dashboard.model('all', month);
    assert.deepEqual(running?.allOrgs?.orgs.map((o) => o.mau === undefined), [false, true], 'the second org has no count of this month');
    assert.equal(running?.allOrgs?.counted, 1);
    assert.equal(running?.allOrgs?.mayBeLow, true, 'a month still running adds what it counted so far');
    assert.deepEqual(model?.orgs.map((o) => o.id), ids);
  });
});
