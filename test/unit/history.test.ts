import { strict as assert } from 'node:assert';
import { newVersusReturning, activityExtremes, monthSeries, previousMonth } from '../../src/core/history';
import type { UserActivity } from '../../src/core/types';

const user = (id: string, sessions: number, activeDays = 1): UserActivity => ({
  id, login: `${id}@example.com`, displayName: id, sessions, activeDays, firstSeen: '2026-10-01T00:00:00.000Z', lastSeen: '2026-10-02T00:00:00.000Z',
});

describe('history', () => {
  it('names the previous month, across a year boundary', () => {
    assert.equal(previousMonth('2026-11'), '2026-10');
    assert.equal(previousMonth('2026-01'), '2025-12');
  });

  it('splits users into new and returning against the previous month, and counts the lapsed', () => {
    const r = newVersusReturning(
      { month: '2026-11', users: [user('a', 3), user('b', 2), user('c', 1)] },
      { month: '2026-10', users: [user('b', 9), user('d', 1)] },
    );
    assert.deepEqual(r, { newUsers: 2, returning: 1, lapsed: 1, previousMonth: '2026-10' });
  });

  it('picks the most and least active users', () => {
    const users = [user('a', 9), user('b', 5, 3), user('c', 5, 1), user('d', 1)];
    const { most, least } = activityExtremes(users, 2);
    assert.deepEqual(most.map((u) => u.id), ['a', 'b']);
    assert.deepEqual(least.map((u) => u.id), ['d', 'c']);
  });

  it('picks the same users as sorting everyone would, ties broken by login then id', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...user(`u${(i * 7919) % 5000}`, 1 + ((i * 31) % 7), 1 + (i % 3)), login: `l${i % 50}` }));
    const sorted = [...many].sort((a, b) => b.sessions - a.sessions || b.activeDays - a.activeDays || (a.login < b.login ? -1 : a.login > b.login ? 1 : 0) || (a.id < b.id ? -1 : 1));
    const { most, least } = activityExtremes(many, 10);
    assert.deepEqual(most, sorted.slice(0, 10));
    assert.deepEqual(least, sorted.slice(-10).reverse());
    assert.deepEqual(activityExtremes(many.slice(0, 3), 10).most, sorted.filter((u) => many.slice(0, 3).includes(u)));
  });

  it('orders month summaries oldest first', () => {
    const s = monthSeries([
      { month: '2026-11', mau: 3, complete: true, countedAt: 'x' },
      { month: '2026-09', mau: 1, complete: false, countedAt: 'y' },
    ]);
    assert.deepEqual(s.map((m) => m.month), ['2026-09', '2026-11']);
  });
});
