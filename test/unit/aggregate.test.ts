import { strict as assert } from 'node:assert';
import { ActivityAggregator, isoTime, sortInTurns } from '../../src/core/aggregate';
import { createSource } from '../../src/core/sources';
import { logEvent, monthStart, signIn } from './sign-ins';

describe('ActivityAggregator', () => {
  it('counts sessions, distinct UTC days, first and last seen, and keeps the latest client', async () => {
    const agg = new ActivityAggregator(monthStart);
    const source = createSource('logs', ['user.session.start']);
    const add = (uuid: string, at: string, id = '00u1', ip = '192.0.2.1') => agg.add(signIn(source, logEvent({ uuid, at, id, ip })));
    add('1', '2026-10-05T23:59:59.999Z');
    add('2', '2026-10-01T00:00:00.000Z', '00u1', '192.0.2.9');
    add('3', '2026-10-05T00:00:00.000Z');
    add('4', '2026-10-31T23:59:59.999Z', '00u1', '203.0.113.5');
    add('5', '2026-10-10T12:00:00.000Z', '00u2');
    const { users, dailyActiveUsers: daily } = await agg.finish(31);
    const [ada, other] = users;
    assert.equal(ada.sessions, 4);
    assert.equal(ada.activeDays, 3);
    assert.equal(ada.firstSeen, '2026-10-01T00:00:00.000Z');
    assert.equal(ada.lastSeen, '2026-10-31T23:59:59.999Z');
    assert.equal(ada.lastClient?.ipAddress, '203.0.113.5');
    assert.equal(other.sessions, 1);
    assert.equal(daily[0], 1);
    assert.equal(daily[4], 1);
    assert.equal(daily[9], 1);
    assert.equal(daily[30], 1);
    assert.equal(daily.reduce((a, b) => a + b, 0), 4);
  });
});

describe('ActivityAggregator.finish', () => {
  it('orders users by sessions, then login and id in code-unit order, and empties itself', async () => {
    const agg = new ActivityAggregator(monthStart);
    const source = createSource('logs', ['user.session.start']);
    const add = (uuid: string, id: string, login: string) => {
      const e = logEvent({ uuid, at: '2026-10-03T00:00:00Z', id });
      e.actor.alternateId = login;
      agg.add(signIn(source, e));
    };
    add('1', 'u3', 'bob@example.com');
    add('2', 'u2', 'Zed@example.com');
    add('3', 'u1', 'amy@example.com');
    add('4', 'u1', 'amy@example.com');
    for (let i = 0; i < 12_000; i++) add(`x${i}`, `bulk${i}`, `bulk${i}@example.com`);
    const { users } = await agg.finish(31);
    assert.deepEqual(users.slice(0, 3).map((u) => u.login), ['amy@example.com', 'Zed@example.com', 'bob@example.com']);
    assert.equal(users.length, 12_003);
    assert.equal(agg.userCount, 0);
  });
});

describe('sortInTurns', () => {
  const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

  it('sorts like Array.prototype.sort, stable, at every size around its run and merge boundaries', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const n of [0, 1, 1999, 2000, 2001, 4000, 4001, 9999, 40_000]) {
      const rows = Array.from({ length: n }, (_, i) => ({ key: Math.floor(random() * (n / 3 + 1)), at: i }));
      const expected = [...rows].sort(byKey);
      assert.deepEqual(await sortInTurns([...rows], byKey), expected, `n = ${n}`);
    }
  });

  it('yields to the event loop while it sorts a large array', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ key: (i * 7919) % 40_000 }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sorted = await sortInTurns(rows, byKey);
    clearInterval(timer);
    assert.ok(ticks > 3, `timers ran ${ticks} times during the sort`);
    assert.deepEqual(sorted.map((r) => r.key).slice(0, 3), [0, 1, 2]);
  });
});

describe('isoTime', () => {
  it('formats exactly as Date.prototype.toISOString, across days, months, years and the edges of its range', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const times = [0, -1, 1, -86_400_000, 951_782_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(999, 11, 31), Date.UTC(10000, 0, 1), 1.5];
    for (let i = 0; i < 20_000; i++) times.push(Math.floor(Date.UTC(2026, 0, 1) + (random() - 0.5) * 4e11));
    for (const ms of times) assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  });
});
