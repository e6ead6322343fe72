import assert from 'node:assert/strict';
import {
  dormantUsers,
  generateMonth,
  generateUsers,
  groundTruth,
  inactiveInMonth,
  monthBounds,
  USER_STATUSES,
  type LogEvent,
  type OktaUser,
  type UserStatus,
} from '../fake-org';

/**
 * The generated users agree with the generated sign-ins, and the users' ground truth (inactive in a
 * month, dormant for N days) says what its definition says. Checked here against the events
 * directly, not against the generator's own bookkeeping.
 */
const BILLABLE: UserStatus[] = ['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY'];
// Two months, as a product test that counts a month against the one before would build them.
const october = generateMonth({ month: '2026-10', seed: 73, users: 400, sessions: 1800 });
const november = generateMonth({ month: '2026-11', seed: 74, users: 300, sessions: 1200 });
const events: LogEvent[] = [...october.events, ...november.events];
const users = generateUsers(events, { seed: 73, hostileNames: 5 });
const byId = new Map(users.map((u) => [u.id, u]));

/** Latest successful sign-in per User actor, read off the events the plainest way. */
function latestSignIns(list: readonly LogEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of list) {
    if (e.eventType !== 'user.session.start' || e.outcome?.result !== 'SUCCESS' || e.actor.type !== 'User') continue;
    if (e.published > (out.get(e.actor.id) ?? '')) out.set(e.actor.id, e.published);
  }
  return out;
}

describe('fake org: generated users agree with the sign-ins', () => {
  it('makes every User actor of the events a user, the actor of every counted sign-in included', () => {
    for (const e of events) if (e.actor.type === 'User' && e.actor.id !== 'unknown') assert.ok(byId.has(e.actor.id), `${e.actor.id} signs in but is no user`);
    for (const id of Object.keys(october.truth.users)) assert.ok(byId.has(id));
    const foreign = new Set(events.map((e) => e.actor.id));
    assert.ok(users.filter((u) => !foreign.has(u.id)).length >= 16, 'and some users have no event at all');
  });

  it('gives each user who signed in their latest successful sign-in as lastLogin, and their login from the events', () => {
    const latest = latestSignIns(events);
    for (const [id, at] of latest) assert.equal(byId.get(id)!.lastLogin, at, id);
    for (const e of events) if (e.actor.type === 'User' && e.actor.id !== 'unknown' && latest.has(e.actor.id)) assert.equal(byId.get(e.actor.id)!.profile.login, e.actor.alternateId);
    // Users who never signed in during the events: an older sign-in, before the first month, or none.
    const firstMonth = monthBounds('2026-10').since;
    for (const u of users) {
      if (latest.has(u.id)) continue;
      assert.ok(u.lastLogin === null || Date.parse(u.lastLogin) < firstMonth, `${u.id} has lastLogin ${u.lastLogin}`);
    }
  });

  it('keeps each user\'s timestamps in lifecycle order, STAGED and PROVISIONED never signed in', () => {
    const asOf = Math.max(...events.map((e) => Date.parse(e.published))) + 86_400_000;
    const ms = (t: string | null) => (t === null ? null : Date.parse(t));
    for (const u of users) {
      const created = ms(u.created)!;
      for (const t of [u.activated, u.statusChanged, u.lastLogin, u.passwordChanged, u.lastUpdated]) assert.ok(t === null || (ms(t)! >= created && ms(t)! <= asOf), `${u.id}: ${t} outside ${u.created}..asOf`);
      if (u.activated && u.lastLogin) assert.ok(u.activated < u.lastLogin, `${u.id} signed in before it was activated`);
      if (u.status === 'STAGED') assert.equal(u.activated, null);
      if (u.status === 'STAGED' || u.status === 'PROVISIONED') assert.equal(u.lastLogin, null, `${u.id} is ${u.status} but signed in`);
      if (['LOCKED_OUT', 'SUSPENDED', 'DEPROVISIONED', 'PASSWORD_EXPIRED', 'RECOVERY'].includes(u.status) && u.lastLogin) assert.ok(u.statusChanged! > u.lastLogin, `${u.id} became ${u.status} after signing in`);
      assert.ok(u.lastUpdated >= (u.statusChanged ?? u.created));
    }
    const signers = users.filter((u) => latestSignIns(events).has(u.id));
    for (const s of ['LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY', 'SUSPENDED', 'DEPROVISIONED'] as const) assert.ok(signers.some((u) => u.status === s), `no ${s} user among those who signed in`);
    for (const s of USER_STATUSES) assert.ok(users.some((u) => u.status === s && !latestSignIns(events).has(u.id)), `no ${s} user among those who never did`);
  });

  it('is deterministic for a seed, and another seed gives other users', () => {
    assert.deepEqual(generateUsers(events, { seed: 73, hostileNames: 5 }), users);
    const other = generateUsers(events, { seed: 74 });
    assert.notDeepEqual(other.map((u) => [u.id, u.status, u.created]), users.map((u) => [u.id, u.status, u.created]));
  });

  it('puts hostile names into the profiles of the first dormant users, whose logins are all new', () => {
    const plain = /^[a-z]+\.[a-z]+\d*@example\.com$/;
    const hostile = users.filter((u) => !plain.test(u.profile.login));
    assert.equal(hostile.length, 5);
    assert.ok(hostile.every((u) => u.status === 'ACTIVE' && u.profile.displayName !== null));
    assert.ok(hostile.every((u) => (u.profile.firstName ?? '').length <= 50 && (u.profile.lastName ?? '').length <= 50));
    // Logins come from the events; two months generated with different seeds can share one, but a
    // user without events never takes a login that is already there.
    const actors = new Set(events.map((e) => e.actor.id));
    const fromEvents = new Set(users.filter((u) => actors.has(u.id)).map((u) => u.profile.login.toLowerCase()));
    const dormant = users.filter((u) => !actors.has(u.id)).map((u) => u.profile.login.toLowerCase());
    assert.equal(new Set(dormant).size, dormant.length);
    assert.ok(dormant.every((l) => !fromEvents.has(l)));
  });
});

describe('fake org: users ground truth', () => {
  const sinceOct = monthBounds('2026-10').since;
  const untilOct = monthBounds('2026-10').until;

  it('lists users in the given statuses without a successful sign-in in the month', () => {
    const inactive = inactiveInMonth(users, events, { month: '2026-10', statuses: BILLABLE });
    const active = new Set(Object.keys(groundTruth(events, { since: sinceOct, until: untilOct }).users));
    const signedIn = (u: OktaUser) => events.some((e) => e.actor.id === u.id && e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User' && Date.parse(e.published) >= sinceOct && Date.parse(e.published) < untilOct);
    assert.deepEqual(inactive, users.filter((u) => BILLABLE.includes(u.status) && !signedIn(u)).map((u) => u.id).sort());
    assert.ok(inactive.every((id) => !active.has(id)));
    // November's users who did not sign in during October are inactive in October, not in November.
    const novemberOnly = Object.keys(november.truth.users).filter((id) => !active.has(id) && BILLABLE.includes(byId.get(id)!.status));
    assert.ok(novemberOnly.length > 100);
    assert.ok(novemberOnly.every((id) => inactive.includes(id)));
    assert.ok(novemberOnly.every((id) => !inactiveInMonth(users, events, { month: '2026-11', statuses: BILLABLE }).includes(id)));
  });

  it('counts a sign-in at the month\'s first instant and not one at the next month\'s', () => {
    const inactive = new Set(inactiveInMonth(users, events, { month: '2026-10', statuses: USER_STATUSES }));
    const atStart = october.events.find((e) => e.published === '2026-10-01T00:00:00.000Z' && e.outcome?.result === 'SUCCESS')!;
    const atNext = october.events.find((e) => e.published === '2026-11-01T00:00:00.000Z' && e.eventType === 'user.session.start')!;
    assert.ok(!inactive.has(atStart.actor.id));
    assert.ok(inactive.has(atNext.actor.id), 'a sign-in at November\'s first instant leaves its user inactive in October');
    assert.equal(inactiveInMonth(users, events, { since: sinceOct, until: untilOct, statuses: BILLABLE }).length, inactiveInMonth(users, events, { month: '2026-10', statuses: BILLABLE }).length);
  });

  it('finds users dormant for N days: lastLogin null or strictly before the cut-off', () => {
    const at = '2026-12-01T00:00:00.000Z';
    const dormant = dormantUsers(users, { days: 45, at, statuses: BILLABLE });
    const cutoff = Date.parse(at) - 45 * 86_400_000;
    assert.deepEqual(dormant, users.filter((u) => BILLABLE.includes(u.status) && (u.lastLogin === null || Date.parse(u.lastLogin) < cutoff)).map((u) => u.id).sort());
    assert.ok(dormant.some((id) => byId.get(id)!.lastLogin === null) && dormant.some((id) => byId.get(id)!.lastLogin !== null));
    const one = users.find((u) => u.status === 'ACTIVE' && u.lastLogin !== null)!;
    const exactly = Date.parse(one.lastLogin!) + 10 * 86_400_000;
    assert.ok(!dormantUsers([one], { days: 10, at: exactly, statuses: ['ACTIVE'] }).includes(one.id), 'a sign-in exactly at the cut-off is recent enough');
    assert.ok(dormantUsers([one], { days: 10, at: exactly + 1, statuses: ['ACTIVE'] }).includes(one.id));
    assert.deepEqual(dormantUsers([one], { days: 10, at: exactly + 1, statuses: ['SUSPENDED'] }), []);
  });
});
