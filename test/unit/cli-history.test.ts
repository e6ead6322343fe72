/**
 * `okta-mau history` and the core agree on how far a count of the running month reached: the CLI's
 * "to <instant>" is the report's `fetchedUntil`, the same instant the extension's tree shows
 * (`countedUpTo`). The report comes from the real core counting the fake org, not from a fixture.
 */
import assert from 'node:assert/strict';
import { countMau } from '../../src/core';
import { countedUpTo } from '../../src/core/reportFacts';
import { formatHistory, historyRows } from '../../src/cli/history';
import { generateMonth, startFakeOrg, type FakeOrg } from '../fake-org';

describe('okta-mau history of a count of the running month', function () {
  this.timeout(60_000);
  let org: FakeOrg | undefined;
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  it('prints "to" the instant the report was counted up to, even when the count ran later by the clock', async () => {
    // A month after the real clock: the report's countedAt (the real clock) lies before its fetchedUntil
    // (the count's clock), so a listing that mixed the two would show countedAt.
    const month = '2030-11';
    const now = Date.parse('2030-11-15T08:41:27.500Z');
    const gen = generateMonth({ month, seed: 41, users: 12, sessions: 60 });
    org = await startFakeOrg({ events: gen.events.filter((e) => Date.parse(e.published) < now) });
    const report = await countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month, now: () => new Date(now) });

    assert.equal(report.fetchedUntil, '2030-11-15T08:41:27.500Z', 'the core covers up to its "now", never past it');
    assert.equal(countedUpTo(report), report.fetchedUntil, 'what the extension shows');
    const [row] = historyRows([report]);
    assert.equal(row.toDate, true);
    assert.equal(row.fetchedUntil, report.fetchedUntil);
    const table = formatHistory(report.orgUrl, [row], 'table');
    assert.match(table, /^2030-11 +\d+ +to 2030-11-15 08:41 UTC +\d{4}-\d\d-\d\d \d\d:\d\d UTC +full$/m);
  });
});
