import { strict as assert } from 'node:assert';
import { monthOverMonth, type MonthOverMonthReport } from '../../src/core/history';
import { countedUpTo, coveredPercent, coveredUntil, dateTimeLabel, dayLabel, formatNumber, monthLabel, monthState, REPORT_LOCALE } from '../../src/core/reportFacts';
import type { UserActivity } from '../../src/core/types';

const user = (id: string): UserActivity => ({
  id, login: `${id}@example.com`, displayName: id, sessions: 1, activeDays: 1, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z',
});

function report(month: string, ids: string[], o: Partial<MonthOverMonthReport> = {}): MonthOverMonthReport {
  const [y, m] = month.split('-').map(Number);
  return {
    month, mau: ids.length, complete: true, until: new Date(Date.UTC(y, m, 1)).toISOString(),
    countedAt: `${month}-28T10:00:00.000Z`, users: ids.map(user), ...o,
  };
}

describe('countedUpTo', () => {
  const until = '2026-12-01T00:00:00.000Z';

  it('names where the events end for a month counted while it was running', () => {
    assert.equal(countedUpTo({ until, fetchedUntil: '2026-11-22T04:02:00.000Z' }), '2026-11-22T04:02:00.000Z');
  });

  it('is undefined for a month counted after it ended, and for a report without fetchedUntil', () => {
    assert.equal(countedUpTo({ until, fetchedUntil: until }), undefined);
    assert.equal(countedUpTo({ until }), undefined);
    assert.equal(countedUpTo({ until, fetchedUntil: '' }), undefined);
  });

  it('compares instants as times, not as text', () => {
    // As text "2026-12-01T00:30:00+01:00" sorts after the month's end; as a time it is half an hour before it.
    assert.equal(countedUpTo({ until, fetchedUntil: '2026-12-01T00:30:00+01:00' }), '2026-12-01T00:30:00+01:00');
    assert.equal(countedUpTo({ until, fetchedUntil: '2026-12-01T00:00:00Z' }), undefined);
  });
});

describe('coveredUntil', () => {
  const until = '2026-12-01T00:00:00.000Z';

  it('is where a count\'s events end: fetchedUntil, whether the month was running or had ended', () => {
    assert.equal(coveredUntil({ until, fetchedUntil: '2026-11-22T04:02:00.000Z' }), '2026-11-22T04:02:00.000Z');
    assert.equal(coveredUntil({ until, fetchedUntil: until }), until);
  });

  it('is the month\'s end for a report from before fetchedUntil existed', () => {
    assert.equal(coveredUntil({ until }), until);
  });

  it('agrees with countedUpTo wherever a month was counted to date', () => {
    const running = { until, fetchedUntil: '2026-11-22T04:02:00.000Z' };
    assert.equal(countedUpTo(running), coveredUntil(running));
  });
});

describe('coveredPercent', () => {
  it('shows whole percents, rounded down so 100 means the month is done', () => {
    assert.equal(coveredPercent(0), 0);
    assert.equal(coveredPercent(0.466), 46);
    assert.equal(coveredPercent(0.999), 99);
    assert.equal(coveredPercent(1), 100);
  });

  it('keeps a fraction outside 0–1 inside 0–100', () => {
    assert.equal(coveredPercent(-0.2), 0);
    assert.equal(coveredPercent(1.5), 100);
  });
});

describe('formatNumber', () => {
  it('groups digits as the locale does', () => {
    assert.equal(formatNumber(1234567, 'en-US'), '1,234,567');
    assert.equal(formatNumber(1234567, 'de'), '1.234.567');
    assert.equal(formatNumber(-1200, 'en'), '-1,200');
  });

  it('writes plain-text reports as toLocaleString(en-US) always has', () => {
    assert.equal(REPORT_LOCALE, 'en-US');
    for (const v of [0, 7, 999, 1000, 12345, 1234567.891, -42000]) assert.equal(formatNumber(v, REPORT_LOCALE), v.toLocaleString('en-US'));
  });
});

describe('monthLabel', () => {
  it('names the month alone, or with its year, in full', () => {
    assert.equal(monthLabel('2026-10', 'en', 'long'), 'October');
    assert.equal(monthLabel('2026-10', 'en', 'long-year'), 'October 2026');
    assert.equal(monthLabel('2026-10', 'de', 'long-year'), 'Oktober 2026');
  });

  it('shortens the month for chart axes but keeps the year in full, so it never reads as a day', () => {
    assert.equal(monthLabel('2026-10', 'en', 'short-year'), 'Oct 2026');
    assert.equal(monthLabel('2025-01', 'en-US', 'short-year'), 'Jan 2025');
    for (const locale of ['en', 'de', 'fr', 'ja']) assert.match(monthLabel('2026-10', locale, 'short-year'), /2026/, locale);
  });

  it('names the first and the last month of a year as the calendar months they are (UTC, not shifted a month)', () => {
    assert.equal(monthLabel('2026-01', 'en', 'long-year'), 'January 2026');
    assert.equal(monthLabel('2026-12', 'en', 'long-year'), 'December 2026');
  });

  it('names the month alone and short where space is scarce (the status bar)', () => {
    assert.equal(monthLabel('2026-11', 'en', 'short'), 'Nov');
    assert.equal(monthLabel('2026-12', 'en', 'short'), 'Dec');
    assert.equal(monthLabel('2026-03', 'de', 'short'), 'Mär');
  });

  it('keeps each locale and style apart once its format is built', () => {
    assert.equal(monthLabel('2026-03', 'en', 'long'), 'March');
    assert.equal(monthLabel('2026-03', 'de', 'long'), 'März');
    assert.equal(monthLabel('2026-03', 'en', 'long'), 'March');
    assert.equal(monthLabel('2026-03', 'en', 'short-year'), 'Mar 2026');
  });
});

describe('monthOverMonth', () => {
  const rows = monthOverMonth([
    report('2026-03', ['a', 'b', 'c', 'd']),
    report('2026-01', ['a', 'b', 'z'], { complete: false, partialReason: 'retention' }),
    report('2026-02', ['a', 'c', 'y'], { incremental: true, fetchedUntil: '2026-02-20T10:15:00.000Z' }),
  ]);

  it('lists the months oldest first, each compared with the month before', () => {
    assert.deepEqual(
      rows.map((r) => [r.month, r.mau, r.change, r.newUsers, r.returning, r.lapsed]),
      [
        ['2026-01', 3, null, null, null, null],
        ['2026-02', 3, 0, 2, 1, 2],
        ['2026-03', 4, 1, 2, 2, 1],
      ],
    );
  });

  it('carries each count\'s own facts: completeness, how far it got, when and how it was counted', () => {
    assert.deepEqual(rows[0], {
      month: '2026-01', mau: 3, complete: false, partialReason: 'retention', toDate: false, fetchedUntil: '2026-02-01T00:00:00.000Z',
      countedAt: '2026-01-28T10:00:00.000Z', incremental: false, change: null, newUsers: null, returning: null, lapsed: null,
    });
    assert.deepEqual([rows[1].toDate, rows[1].fetchedUntil, rows[1].incremental], [true, '2026-02-20T10:15:00.000Z', true]);
    assert.equal('partialReason' in rows[2], false);
  });

  it('leaves the comparison empty when the month before is not among the reports', () => {
    const gap = monthOverMonth([report('2026-01', ['a']), report('2026-03', ['a', 'b'])]);
    assert.deepEqual(gap.map((r) => [r.change, r.newUsers]), [[null, null], [null, null]]);
  });

  it('compares across a year boundary', () => {
    const rows = monthOverMonth([report('2026-01', ['a', 'b']), report('2025-12', ['a'])]);
    assert.deepEqual(rows.map((r) => [r.month, r.change, r.newUsers, r.returning, r.lapsed]), [['2025-12', null, null, null, null], ['2026-01', 1, 1, 1, 0]]);
  });

  it('skips the user split when not asked for, and still gives the change', () => {
    const bars = monthOverMonth([report('2026-01', ['a']), report('2026-02', ['a', 'b'])], { compareUsers: false });
    assert.deepEqual(bars.map((r) => [r.change, r.newUsers, r.returning, r.lapsed]), [[null, null, null, null], [1, null, null, null]]);
  });

  it('keeps one row per month', () => {
    const rows = monthOverMonth([report('2026-01', ['a']), report('2026-01', ['a', 'b'])]);
    assert.deepEqual(rows.map((r) => [r.month, r.mau]), [['2026-01', 2]]);
  });
});

describe('a month state', () => {
  const base = { until: '2026-12-01T00:00:00.000Z', complete: true };
  it('is month-to-date while the count stopped before the month ended, whatever the clock says now', () => {
    assert.deepEqual(monthState({ ...base, fetchedUntil: '2026-11-02T14:00:00.000Z' }), { kind: 'toDate', upTo: '2026-11-02T14:00:00.000Z' });
  });
  it('is complete only for a whole ended month with nothing missing', () => {
    assert.deepEqual(monthState({ ...base, fetchedUntil: base.until }), { kind: 'complete' });
    assert.deepEqual(monthState(base), { kind: 'complete' });
  });
  it('is partial when part of the month had left retention, and says why', () => {
    assert.deepEqual(monthState({ ...base, complete: false, partialReason: 'beyond 90 days' }), { kind: 'partial', reason: 'beyond 90 days' });
  });
  it('names a UTC day, and the end of a range at midnight as the day before', () => {
    assert.equal(dayLabel('2026-12-02T14:00:00.000Z', 'en-US'), 'Dec 2');
    assert.equal(dayLabel('2026-12-02T23:59:59.000Z', 'en-US'), 'Dec 2');
    assert.equal(dayLabel('2026-12-03T00:00:00.000Z', 'en-US', true), 'Dec 2');
    assert.equal(dayLabel('2026-12-03T00:00:00.000Z', 'en-US'), 'Dec 3');
  });
});

describe('dateTimeLabel', () => {
  // ICU versions differ on the space before "PM" (a narrow no-break space in some): compare words.
  const label = (iso: string, locale: string, style: Parameters<typeof dateTimeLabel>[2]) => dateTimeLabel(iso, locale, style).replace(/\s/gu, ' ');
  const at = '2024-12-31T23:30:00.000Z';

  it('names an instant in each style, in the reader\'s language', () => {
    assert.equal(label(at, 'en', 'day'), 'Dec 31');
    assert.equal(label(at, 'en', 'weekday'), 'Tue, Dec 31');
    assert.equal(label(at, 'en', 'day-year'), 'Dec 31, 2024');
    assert.equal(label(at, 'en', 'day-time'), 'Dec 31, 11:30 PM');
    assert.equal(label(at, 'en', 'day-time-year'), 'Dec 31, 2024, 11:30 PM');
    assert.equal(label(at, 'de', 'day-time'), '31. Dez., 23:30');
    assert.equal(label(at, 'de', 'day-time-year'), '31. Dez. 2024, 23:30');
  });

  it('reads the instant on the UTC clock, never the machine\'s time zone', () => {
    // 23:30 UTC on New Year's Eve is already next year east of Greenwich.
    assert.equal(label('2024-12-31T23:30:00.000-05:00', 'en', 'day-time-year'), 'Jan 1, 2025, 4:30 AM');
    assert.equal(label('2026-12-01T00:05:00.000Z', 'en', 'day-time'), 'Dec 1, 12:05 AM');
  });

  it('names a day as dayLabel does', () => {
    assert.equal(dateTimeLabel('2026-12-02T14:00:00.000Z', 'en-US', 'day'), dayLabel('2026-12-02T14:00:00.000Z', 'en-US'));
  });

  it('gives back text that is not an instant as it is, rather than "Invalid Date" or a RangeError', () => {
    assert.equal(dateTimeLabel('', 'en', 'day-time'), '');
    assert.equal(dateTimeLabel('soon', 'en', 'day-year'), 'soon');
  });
});
