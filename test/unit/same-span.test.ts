import { strict as assert } from 'node:assert';
import { sameSpanBefore } from '../../src/core/history';
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
