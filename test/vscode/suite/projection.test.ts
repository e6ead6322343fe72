// Where the running month will end, on the status bar's tooltip and the tree's month row, from the
// org's two earlier months saved in full; "no projection yet" while the month is under a day old.
import * as assert from 'node:assert/strict';
import { generateMonth, monthBounds, startFakeOrg, type LogEvent } from '../../fake-org';
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
    const projected = /Projected: ≈ ([\d,]+) by [A-Z][a-z]{2} \d{1,2} \(([\d,]+)–([\d,]+)\)/.exec(tooltip);
    assert.ok(projected, tooltip);
    const [estimate, low, high] = projected.slice(1).map((v) => Number(v.replace(/,/g, '')));
    const soFar = Number(/^([\d,]+) MAU so far/.exec(row)?.[1]?.replace(/,/g, ''));
    assert.ok(soFar <= low && low <= estimate && estimate <= high, `${soFar} ≤ ${low} ≤ ${estimate} ≤ ${high}`);
    assert.ok(row.includes(`≈ ${estimate.toLocaleString('en-US')} by `), `the row and the tooltip agree: ${row}`);
    assert.ok(label(api.treeItem(await monthNode(api, orgId, month))).length > 0);
  });
});
