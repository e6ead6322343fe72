import { strict as assert } from 'node:assert';
import { monthWindow, retainedMonths, currentMonth, retentionHorizon, RETENTION_DAYS } from '../../src/core/month';

const now = new Date('2026-11-22T10:00:00Z');

describe('monthWindow', () => {
  it('spans the first instant of the month to the first instant of the next, in UTC', () => {
    const w = monthWindow('2026-10', now);
    assert.equal(w.since.toISOString(), '2026-10-01T00:00:00.000Z');
    assert.equal(w.until.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(w.days, 31);
  });

  it('keeps the last day of the month (the reference recipe drops it)', () => {
    const w = monthWindow('2026-09', now);
    assert.ok(w.until.getTime() > Date.parse('2026-09-30T23:59:59.999Z'));
    assert.equal(w.days, 30);
  });

  it('rolls December over into January of the next year', () => {
    const w = monthWindow('2025-12', new Date('2026-01-05T00:00:00Z'));
    assert.equal(w.until.toISOString(), '2026-01-01T00:00:00.000Z');
  });

  it('handles February in leap and common years', () => {
    assert.equal(monthWindow('2024-02', now).days, 29);
    assert.equal(monthWindow('2026-02', now).days, 28);
  });

  it('defaults to the current UTC month, even just after midnight UTC on the 1st', () => {
    assert.equal(monthWindow(undefined, now).month, '2026-11');
    assert.equal(currentMonth(new Date('2026-12-01T00:00:00.000Z')), '2026-12');
    assert.equal(currentMonth(new Date('2026-11-30T23:59:59.999Z')), '2026-11');
  });

  it('reports a month that starts more than 90 days ago as partial, with the reason', () => {
    const w = monthWindow('2026-08', now);
    assert.equal(w.complete, false);
    assert.match(w.partialReason ?? '', /90 days: events before 2026-08-24 are gone/);
    assert.equal(monthWindow('2026-09', now).complete, true);
  });

  for (const bad of ['2026-13', '2026-00', '26-10', '2026/10', '2026-1', 'october', '']) {
    it(`rejects the malformed month "${bad}" with a message naming the format`, () => {
      assert.throws(() => monthWindow(bad, now), (e: Error) => e.name === 'InvalidInputError' && /YYYY-MM/.test(e.message));
    });
  }

  it('rejects a month that has not started', () => {
    assert.throws(() => monthWindow('2026-12', now), /has not started yet/);
  });
});

describe('retainedMonths', () => {
  it('lists the current month and those still (partly) within the 90-day retention, newest first', () => {
    assert.deepEqual(retainedMonths(now), ['2026-11', '2026-10', '2026-09', '2026-08']);
  });
});

describe('retentionHorizon', () => {
  it('is exactly 90 days of milliseconds before now, whatever the time of day', () => {
    assert.equal(RETENTION_DAYS, 90);
    assert.equal(retentionHorizon(now).toISOString(), '2026-08-24T10:00:00.000Z');
    assert.equal(retentionHorizon(new Date('2026-03-01T00:00:00.001Z')).toISOString(), '2025-12-01T00:00:00.001Z');
  });
});
