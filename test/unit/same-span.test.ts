import { strict as assert } from 'node:assert';
import { compareWithMonthBefore, sameSpanBefore } from '../../src/core/history';
import type { UserActivity } from '../../src/core/types';

const user = (id: string, firstSeen: string): UserActivity => ({
  id, login: `${id}@example.com`, displayName: id, sessions: 1, activeDays: 1, firstSeen, lastSeen: firstSeen,
});

const november = {
  month: '2026-11',
  since: '2026-11-01T00:00:00.000Z',
  until: '2026-12-01T00:00:00.000Z',
  fetchedUntil: '2026-12-01T00:00:00.000Z',
  users: [
    user('a', '2026-11-01T08:00:00.000Z'),
    user('b', '2026-11-02T13:59:59.999Z'),
    user('c', '2026-11-02T14:00:00.000Z'),
    user('d', '2026-11-20T09:00:00.000Z'),
  ],
};

describe('a running month against the same span of the month before', () => {
  const december = {
    since: '2026-12-01T00:00:00.000Z',
    until: '2027-01-01T00:00:00.000Z',
    fetchedUntil: '2026-12-02T14:00:00.000Z',
    users: [user('a', '2026-12-01T09:00:00.000Z'), user('x', '2026-12-02T10:00:00.000Z')],
  };

  it('reads the month before up to the same instant after its start, exclusive', () => {
    const r = sameSpanBefore(december, november);
    assert.ok(r);
    assert.equal(r.upTo, '2026-11-02T14:00:00.000Z');
    assert.equal(r.mau, 2); // a and b; c first signed in exactly at the span's end
    assert.deepEqual({ newUsers: r.newUsers, returning: r.returning, lapsed: r.lapsed, previousMonth: r.previousMonth }, { newUsers: 1, returning: 1, lapsed: 1, previousMonth: '2026-11' });
  });

  it('has nothing to say of a month that has ended (the whole months compare)', () => {
    assert.equal(sameSpanBefore({ ...december, fetchedUntil: december.until }, november), undefined);
    assert.equal(sameSpanBefore({ ...december, fetchedUntil: undefined }, november), undefined);
  });

  it('has nothing to say when the month before was not counted that far', () => {
    assert.equal(sameSpanBefore(december, { ...november, fetchedUntil: '2026-11-02T00:00:00.000Z' }), undefined);
  });

  it('ends with the month before when the span is longer than it (March 31 against February)', () => {
    const february = { month: '2027-02', since: '2027-02-01T00:00:00.000Z', until: '2027-03-01T00:00:00.000Z', users: [user('f', '2027-02-28T23:00:00.000Z')] };
    const march = { since: '2027-03-01T00:00:00.000Z', until: '2027-04-01T00:00:00.000Z', fetchedUntil: '2027-03-31T12:00:00.000Z', users: [user('f', '2027-03-03T00:00:00.000Z')] };
    const r = sameSpanBefore(march, february);
    assert.equal(r?.upTo, '2027-03-01T00:00:00.000Z');
    assert.equal(r?.mau, 1);
    assert.equal(r?.returning, 1);
  });
});

describe('a month against the month before, like for like', () => {
  const dec = (fetchedUntil: string, ids: string[]) => ({
    month: '2026-12',
    since: '2026-12-01T00:00:00.000Z',
    until: '2027-01-01T00:00:00.000Z',
    fetchedUntil,
    mau: ids.length,
    users: ids.map((id) => user(id, '2026-12-01T09:00:00.000Z')),
  });
  const nov = { ...november, mau: november.users.length };

  it('sets a month counted to date against the same span of the month before, never the whole of it', () => {
    const c = compareWithMonthBefore(dec('2026-12-02T14:00:00.000Z', ['a', 'x']), nov);
    assert.equal(c.kind, 'sameSpan');
    assert.ok(c.kind === 'sameSpan');
    // November had 4 users, but only a and b by Nov 2 14:00: the two days are compared with two days.
    assert.deepEqual([c.mau, c.upTo, c.newUsers, c.returning, c.lapsed, c.previousMonth], [2, '2026-11-02T14:00:00.000Z', 1, 1, 1, '2026-11']);
  });

  it('sets whole months side by side once the month has ended', () => {
    const c = compareWithMonthBefore(dec('2027-01-01T00:00:00.000Z', ['a', 'x']), nov);
    assert.deepEqual(c, { kind: 'month', mau: 4, newUsers: 1, returning: 1, lapsed: 3, previousMonth: '2026-11' });
  });

  it('gives no figures when the month before was counted only part of the way', () => {
    // November counted to Nov 20 only: a whole December would be set against 20 days.
    const novToDate = { ...nov, fetchedUntil: '2026-11-20T08:00:00.000Z' };
    assert.deepEqual(compareWithMonthBefore(dec('2027-01-01T00:00:00.000Z', ['a']), novToDate), { kind: 'short', previousMonth: '2026-11', upTo: '2026-11-20T08:00:00.000Z' });
    // December to Dec 2 14:00 needs November to Nov 2 14:00; it reaches only Nov 2 00:00.
    const novShort = { ...nov, fetchedUntil: '2026-11-02T00:00:00.000Z' };
    assert.deepEqual(compareWithMonthBefore(dec('2026-12-02T14:00:00.000Z', ['a']), novShort), { kind: 'short', previousMonth: '2026-11', upTo: '2026-11-02T00:00:00.000Z' });
  });

  it('still compares a running month when the month before was counted to date, as long as it reaches the span', () => {
    const novToDate = { ...nov, fetchedUntil: '2026-11-20T08:00:00.000Z' };
    assert.equal(compareWithMonthBefore(dec('2026-12-02T14:00:00.000Z', ['a']), novToDate).kind, 'sameSpan');
  });
});
