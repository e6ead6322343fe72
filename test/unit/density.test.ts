import assert from 'node:assert/strict';
import { DensityProfile } from '../../src/core/density';

const HOUR = 3_600_000;
/** Monday 2026-10-05 00:00 UTC. */
const MONDAY = Date.UTC(2026, 9, 5);

describe('DensityProfile', () => {
  /** A week read completely: `perHour` events in each weekday hour from 09:00 to 17:00, none otherwise. */
  function officeWeek(profile: DensityProfile, weekStart: number, perHour: number): void {
    for (let day = 0; day < 5; day++) {
      for (let hour = 9; hour < 17; hour++) {
        const start = weekStart + day * 24 * HOUR + hour * HOUR;
        for (let i = 0; i < perHour; i++) profile.add(start + Math.floor((i * HOUR) / perHour));
      }
    }
    profile.cover(weekStart, weekStart + 7 * 24 * HOUR);
  }

  it('predicts office hours from the weeks read, not the average', () => {
    const profile = new DensityProfile();
    officeWeek(profile, MONDAY, 100);
    const nextWeek = MONDAY + 7 * 24 * HOUR;
    // Tuesday 10:00–12:00 holds 200 events; Saturday none; a night none.
    assert.equal(Math.round(profile.expected(nextWeek + 24 * HOUR + 10 * HOUR, nextWeek + 24 * HOUR + 12 * HOUR)), 200);
    assert.equal(Math.round(profile.expected(nextWeek + 5 * 24 * HOUR, nextWeek + 6 * 24 * HOUR)), 0);
    assert.equal(Math.round(profile.expected(nextWeek + 20 * HOUR, nextWeek + 32 * HOUR)), 0);
    assert.equal(Math.round(profile.expected(nextWeek, nextWeek + 7 * 24 * HOUR)), 4000);
  });

  it('finds the time that halves a range by events, not by hours', () => {
    const profile = new DensityProfile();
    officeWeek(profile, MONDAY, 100);
    const nextWeek = MONDAY + 7 * 24 * HOUR;
    // Half of next week's 4,000 events: Wednesday at 13:00.
    const half = profile.timeAt(nextWeek, nextWeek + 7 * 24 * HOUR, 2000);
    assert.equal(new Date(half).toISOString(), '2026-10-14T13:00:00.000Z');
  });

  it('uses the average for hours not read yet, and predicts nothing before any page', () => {
    const empty = new DensityProfile();
    assert.equal(empty.expected(MONDAY, MONDAY + HOUR), 0);
    const profile = new DensityProfile();
    for (let i = 0; i < 60; i++) profile.add(MONDAY + i * 60_000);
    profile.cover(MONDAY, MONDAY + HOUR);
    // One event a minute in the hour read; the same assumed for a Sunday never seen.
    assert.equal(Math.round(profile.expected(MONDAY - 24 * HOUR, MONDAY - 23 * HOUR)), 60);
  });
});
