import assert from 'node:assert/strict';
import { generateMonth, generateMonthStore, groundTruth, type LogEvent } from '../fake-org';

describe('fake org: generator and ground truth', () => {
  const opts = { month: '2026-10', seed: 42, users: 300, sessions: 1500 };
  const a = generateMonth(opts);
  const inMonth = (e: LogEvent) => e.published >= '2026-10-01T00:00:00.000Z' && e.published < '2026-11-01T00:00:00.000Z';

  it('is deterministic for a seed and differs across seeds', () => {
    const b = generateMonth(opts);
    assert.deepEqual(b.events, a.events);
    const c = generateMonth({ ...opts, seed: 43 });
    assert.notDeepEqual(c.events.map((e) => e.uuid), a.events.map((e) => e.uuid));
  });

  it('gives every requested user a successful sign-in, so mau equals users and events equal sessions', () => {
    assert.equal(a.truth.mau, 300);
    assert.equal(a.truth.events, 1500);
    assert.equal(Object.keys(a.truth.users).length, 300);
  });

  it('produces Okta-shaped ids, logins and unique uuids', () => {
    const users = a.events.filter((e) => e.actor.type === 'User' && e.actor.id !== 'unknown');
    assert.ok(users.every((e) => /^00u[0-9A-Za-z]{17}$/.test(e.actor.id)));
    assert.ok(users.every((e) => /^[a-z]+\.[a-z]+\d*@example\.com$/.test(e.actor.alternateId ?? '')));
    assert.ok(a.events.every((e) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(e.uuid)));
    assert.equal(new Set(a.events.map((e) => e.uuid)).size, a.events.length);
    const logins = new Map<string, string>();
    for (const e of users) {
      const prev = logins.get(e.actor.alternateId!);
      assert.ok(prev === undefined || prev === e.actor.id, 'one login per user id');
      logins.set(e.actor.alternateId!, e.actor.id);
    }
  });

  it('serialises events at 1–2.5 KB with the full Okta shape', () => {
    const sizes = a.events.map((e) => JSON.stringify(e).length);
    assert.ok(Math.min(...sizes) > 1000 && Math.max(...sizes) < 2600, `sizes ${Math.min(...sizes)}–${Math.max(...sizes)}`);
    const e = a.events.find((x) => x.eventType === 'user.session.start')!;
    for (const key of ['actor', 'client', 'authenticationContext', 'outcome', 'securityContext', 'debugContext', 'transaction', 'request', 'target', 'legacyEventType', 'severity', 'displayMessage', 'version']) {
      assert.ok(key in e, key);
    }
    assert.ok(e.client?.geographicalContext?.geolocation);
    assert.ok(e.client?.userAgent?.rawUserAgent);
  });

  it('includes the traps: failures, unknown usernames, non-User actors, other event types', () => {
    const failures = a.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'FAILURE');
    assert.ok(failures.length >= 100);
    assert.deepEqual(new Set(failures.map((e) => e.outcome?.reason)), new Set(['INVALID_CREDENTIALS', 'VERIFICATION_ERROR', 'LOCKED_OUT']));
    assert.ok(failures.some((e) => e.actor.id === 'unknown' && e.actor.alternateId));
    // Users whose only sign-ins in the month failed: counting failures would inflate the MAU.
    const succeeded = new Set(a.events.filter((e) => inMonth(e) && e.outcome?.result === 'SUCCESS' && e.eventType === 'user.session.start').map((e) => e.actor.id));
    assert.ok(failures.some((e) => e.actor.id !== 'unknown' && !succeeded.has(e.actor.id)));
    const nonUser = a.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type !== 'User');
    assert.ok(nonUser.length >= 1);
    const types = new Set(a.events.map((e) => e.eventType));
    for (const t of ['user.authentication.sso', 'policy.evaluate_sign_on', 'user.session.end', 'app.oauth2.as.token.grant.access_token']) assert.ok(types.has(t), t);
  });

  it('puts counted events on both bounds and uncounted ones just outside', () => {
    const at = (iso: string) => a.events.filter((e) => e.published === iso && e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS');
    assert.equal(at('2026-10-01T00:00:00.000Z').length, 1);
    assert.equal(at('2026-10-31T23:59:59.999Z').length, 1);
    assert.equal(at('2026-11-01T00:00:00.000Z').length, 1);
    assert.equal(at('2026-09-30T23:59:59.999Z').length, 1);
    // Each bound user is active only on that bound, so an off-by-one window changes the MAU.
    const shiftedSince = groundTruth(a.events, { since: '2026-10-01T00:00:00.001Z', until: '2026-11-01T00:00:00.000Z' });
    const shiftedUntil = groundTruth(a.events, { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.001Z' });
    const lastDayDropped = groundTruth(a.events, { since: '2026-10-01T00:00:00.000Z', until: '2026-10-31T00:00:00.000Z' });
    assert.equal(shiftedSince.mau, 299);
    assert.equal(shiftedUntil.mau, 301);
    assert.ok(lastDayDropped.mau < 300);
  });

  it('spreads sessions Zipf-like and on weekdays more than weekends', () => {
    const sessions = Object.values(a.truth.users).map((u) => u.sessions).sort((x, y) => y - x);
    assert.ok(sessions[0] >= 10 * sessions[Math.floor(sessions.length / 2)], `top ${sessions[0]} vs median ${sessions[Math.floor(sessions.length / 2)]}`);
    const signIns = a.events.filter((e) => inMonth(e) && e.eventType === 'user.session.start');
    const weekend = signIns.filter((e) => [0, 6].includes(new Date(e.published).getUTCDay())).length;
    assert.ok(weekend / signIns.length < 0.2, `weekend share ${weekend / signIns.length}`);
  });

  it('computes the truth naively: success, User actor, in window, de-duplicated by uuid', () => {
    const e = a.events.find((x) => inMonth(x) && x.eventType === 'user.session.start' && x.outcome?.result === 'SUCCESS' && x.actor.type === 'User')!;
    const window = { since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' };
    const once = groundTruth([e], window);
    assert.equal(once.mau, 1);
    assert.deepEqual(groundTruth([e, { ...e }], window), once);
    assert.equal(groundTruth([{ ...e, outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' } }], window).mau, 0);
    assert.equal(groundTruth([{ ...e, actor: { ...e.actor, type: 'PublicClientApp' } }], window).mau, 0);
    assert.equal(groundTruth([e], { ...window, eventTypes: ['user.authentication.sso'] }).mau, 0);
    const u = once.users[e.actor.id];
    assert.deepEqual(u, { login: e.actor.alternateId, displayName: e.actor.displayName, sessions: 1, activeDays: 1, firstSeen: e.published, lastSeen: e.published });
  });

  it('renders compact records to the same JSON as the event objects', () => {
    const store = generateMonthStore({ month: '2026-10', seed: 8, users: 200, sessions: 600, otherEventsRate: 1, failureRate: 0.3 });
    assert.ok(store.size > 1000);
    for (let i = 0; i < store.size; i++) assert.equal(store.json(i), JSON.stringify(store.event(i)));
  });

  it('rejects a malformed month', () => {
    assert.throws(() => generateMonth({ month: '2026-13', seed: 1, users: 1, sessions: 1 }), /YYYY-MM/);
  });
});
