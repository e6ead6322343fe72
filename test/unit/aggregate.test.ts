import { strict as assert } from 'node:assert';
import { ActivityAggregator, isoTime, sortInTurns } from '../../src/core/aggregate';
import { createSource, MALFORMED, validateEventTypes, type EventSource, type SignIn } from '../../src/core/sources';

/** A counted sign-in from an event the test knows to be readable. */
function signIn(source: EventSource, event: unknown): SignIn {
  const s = source.toSignIn(event);
  if (!s || s === MALFORMED) throw new Error('not a counted sign-in');
  return s;
}

const monthStart = Date.parse('2026-10-01T00:00:00Z');
const logEvent = (o: { uuid: string; at: string; id?: string; result?: string; type?: string; eventType?: string; ip?: string }) => ({
  uuid: o.uuid,
  published: o.at,
  eventType: o.eventType ?? 'user.session.start',
  outcome: { result: o.result ?? 'SUCCESS', reason: null },
  actor: { id: o.id ?? '00u1', type: o.type ?? 'User', alternateId: 'ada@example.com', displayName: 'Ada Lovelace' },
  client: { ipAddress: o.ip ?? '192.0.2.1', device: 'Computer', userAgent: { browser: 'CHROME', os: 'Mac OS X' }, geographicalContext: { country: 'United Kingdom', city: 'London' } },
});

describe('System Log source', () => {
  const source = createSource('logs', ['user.session.start']);

  it('asks the server for successful sign-ins of real users only, over a bounded range', () => {
    const url = new URL(source.firstPageUrl('https://acme.okta.com', new Date(monthStart), new Date('2026-11-01T00:00:00Z')));
    assert.equal(url.pathname, '/api/v1/logs');
    assert.equal(url.searchParams.get('since'), '2026-10-01T00:00:00.000Z');
    assert.equal(url.searchParams.get('until'), '2026-11-01T00:00:00.000Z');
    assert.equal(url.searchParams.get('limit'), '1000');
    assert.equal(url.searchParams.get('filter'), '(eventType eq "user.session.start") and outcome.result eq "SUCCESS" and actor.type eq "User"');
  });

  it('drops failed sign-ins, non-user actors and other event types even if the server sends them', () => {
    assert.equal(source.toSignIn(logEvent({ uuid: 'a', at: '2026-10-02T00:00:00Z', result: 'FAILURE' })), undefined);
    assert.equal(source.toSignIn(logEvent({ uuid: 'b', at: '2026-10-02T00:00:00Z', type: 'PublicClientApp' })), undefined);
    assert.equal(source.toSignIn(logEvent({ uuid: 'c', at: '2026-10-02T00:00:00Z', eventType: 'user.session.end' })), undefined);
    assert.equal(source.toSignIn({ nonsense: true }), undefined);
  });

  it('owns up to sign-ins it cannot read instead of dropping them without a trace', () => {
    const good = logEvent({ uuid: 'm', at: '2026-10-02T00:00:00Z' });
    assert.equal(source.toSignIn({ ...good, uuid: undefined }), MALFORMED);
    assert.equal(source.toSignIn({ ...good, published: 'yesterday' }), MALFORMED);
    assert.equal(source.toSignIn({ ...good, actor: { ...good.actor, id: 42 } }), MALFORMED);
    assert.equal(source.toSignIn({ ...good, actor: { ...good.actor, id: '' } }), MALFORMED);
    assert.equal(source.toSignIn(null), MALFORMED);
    // A failure or another type is left out by rule, readable or not.
    assert.equal(source.toSignIn({ ...good, uuid: undefined, outcome: { result: 'FAILURE', reason: null } }), undefined);
    const legacy = createSource('events', ['user.session.start']);
    assert.equal(legacy.toSignIn({ eventId: 'x', published: '2026-10-03T00:00:00Z', action: { objectType: 'core.user_auth.login_success' }, actors: [{ objectType: 'User' }] }), MALFORMED);
    const s = source.toSignIn(logEvent({ uuid: 'd', at: '2026-10-02T00:00:00Z' }));
    assert.deepEqual(s, {
      uuid: 'd',
      published: Date.parse('2026-10-02T00:00:00Z'),
      userId: '00u1',
      login: 'ada@example.com',
      displayName: 'Ada Lovelace',
      client: { ipAddress: '192.0.2.1', country: 'United Kingdom', city: 'London', browser: 'CHROME', os: 'Mac OS X', device: 'Computer' },
    });
  });

  it('counts any configured event type, such as SSO or OAuth token grants', () => {
    const sso = createSource('logs', ['user.authentication.sso', 'app.oauth2.as.token.grant.access_token']);
    assert.ok(sso.toSignIn(logEvent({ uuid: 'e', at: '2026-10-02T00:00:00Z', eventType: 'user.authentication.sso' })));
    assert.equal(sso.toSignIn(logEvent({ uuid: 'f', at: '2026-10-02T00:00:00Z' })), undefined);
  });

  it('refuses event types that would break the filter, and event types with the legacy source', () => {
    assert.throws(() => validateEventTypes(['user.session.start" or eventType pr "x']), /not a System Log event type/);
    assert.throws(() => validateEventTypes([' ']), /At least one event type/);
    assert.throws(() => createSource('events', ['user.authentication.sso']), /System Log only/);
  });
});

describe('Events API source', () => {
  const source = createSource('events', ['user.session.start']);
  it('filters login successes with strict time bounds that still include the first instant', () => {
    const url = new URL(source.firstPageUrl('https://acme.okta.com', new Date(monthStart), new Date('2026-11-01T00:00:00Z')));
    assert.equal(url.pathname, '/api/v1/events');
    assert.equal(
      url.searchParams.get('filter'),
      'action.objectType eq "core.user_auth.login_success" and published gt "2026-09-30T23:59:59.999Z" and published lt "2026-11-01T00:00:00.000Z"',
    );
  });
  it('reads the user and the client from the actors', () => {
    const s = signIn(source, {
      eventId: 'tev1',
      published: '2026-10-03T04:05:06.000Z',
      action: { objectType: 'core.user_auth.login_success' },
      actors: [
        { id: '00u9', objectType: 'User', login: 'bob@example.com', displayName: 'Bob' },
        { id: 'Mozilla/5.0', objectType: 'Client', displayName: 'CHROME', ipAddress: '198.51.100.7' },
      ],
    });
    assert.equal(s?.userId, '00u9');
    assert.equal(s?.login, 'bob@example.com');
    assert.equal(s?.client?.ipAddress, '198.51.100.7');
    assert.equal(source.toSignIn({ eventId: 'x', published: '2026-10-03T00:00:00Z', action: { objectType: 'core.user_auth.login_failed' }, actors: [] }), undefined);
  });
});

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
