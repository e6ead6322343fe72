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
import { backtestOnHistory } from '../../src/core/projection';
import { generatedMonths, runBacktest, VARIED_MONTHS } from './projection-backtest';

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

describe('okta-mau history: the end-of-month projection tested on the org\'s months', function () {
  this.timeout(60_000);
  it('ends the table with the error by day of month, as the core measures it on those months', () => {
    const months = generatedMonths(VARIED_MONTHS);
    const backtest = backtestOnHistory(months);
    const table = formatHistory('https://acme.okta.com', [], 'table', undefined, backtest);
    assert.match(table, /The end-of-month projection, tested on 2026-03 to 2026-08 \(6 months\), each projected from the months before it:/);
    const reference = runBacktest(VARIED_MONTHS);
    for (const day of [1, 7, 28]) {
      const percent = ((reference.meanAbsErrorByDay.get(day) ?? NaN) * 100).toFixed(1);
      assert.match(table, new RegExp(`^  counted to day ${String(day).padStart(2)}: off by ${percent.replace('.', '\\.')}% on average; \\d of 6 ended inside its range$`, 'm'));
    }
    assert.equal(formatHistory('https://acme.okta.com', [], 'json', undefined, backtest), '[]\n', 'JSON keeps its shape');
  });

  it('says what testing it needs with fewer than three complete months', () => {
    const table = formatHistory('https://acme.okta.com', [], 'table', undefined, backtestOnHistory(generatedMonths(VARIED_MONTHS).slice(0, 2)));
    assert.match(table, /The end-of-month projection is not yet tested on these months: it needs 3 months counted in full/);
  });
});
