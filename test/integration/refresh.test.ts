import { strict as assert } from 'node:assert';
import { countMau, type MauReport } from '../../src/core';
import { startFakeOrg, generateMonth, groundTruth, type FakeOrg, type LogEvent } from '../fake-org';

const MONTH = '2026-11';
const at = (iso: string) => Date.parse(iso);

describe('incremental refresh of the current month', function () {
  this.timeout(60_000);
  const gen = generateMonth({ month: MONTH, seed: 23, users: 400, sessions: 6000 });
  const t1 = at('2026-11-15T00:00:00Z');
  const t2 = at('2026-11-16T00:00:00Z');
  const served = (e: LogEvent, upTo: number) => Date.parse(e.published) < upTo;
  // Sign-ins published just before t1 that reach the API only after the first count: the System Log's late events.
  const lateEvents = gen.events
    .filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User')
    .slice(0, 6)
    .map((e, i) => ({ ...e, uuid: `late-${i}-${e.uuid}`, published: new Date(t1 - (i + 1) * 40_000).toISOString() }));
  const late = new Set(lateEvents.map((e) => e.uuid));
  gen.events.push(...lateEvents);
  let org: FakeOrg;

  beforeEach(async () => {
    org = await startFakeOrg({ events: gen.events.filter((e) => served(e, t1) && !late.has(e.uuid)) });
  });
  afterEach(() => org.close());

  const count = (nowMs: number, resumeFrom?: MauReport) =>
    countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now: () => new Date(nowMs), resumeFrom });

  it('fetches only what was published since, picks up late events in the overlap, and equals a full count', async () => {
    assert.ok(late.size > 0, 'the month has events near t1 to publish late');
    const first = await count(t1);
    assert.equal(first.fetchedUntil, new Date(t1).toISOString());
    assert.equal(first.incremental, false);

    org.appendEvents(gen.events.filter((e) => late.has(e.uuid) || (Date.parse(e.published) >= t1 && served(e, t2))));
    const before = org.requests.length;
    const refreshed = await count(t2, first);
    const refreshRequests = org.requests.length - before;
    assert.equal(refreshed.incremental, true);
    assert.ok(org.requests.slice(before).every((r) => r.query.since === undefined || r.query.since >= new Date(t1 - 10 * 60_000).toISOString()), 'nothing before the overlap is fetched again');

    const truth = groundTruth(gen.events, { since: at('2026-11-01T00:00:00Z'), until: t2 });
    assert.equal(refreshed.mau, truth.mau);
    assert.equal(first.events + late.size + gen.events.filter((e) => { const p = Date.parse(e.published); return p >= t1 && p < t2 && e.outcome?.result === 'SUCCESS' && e.eventType === 'user.session.start' && e.actor.type === 'User'; }).length, refreshed.events);
    assert.equal(refreshed.mau, truth.mau);
    assert.equal(refreshed.events, truth.events);
    for (const u of refreshed.users) {
      const t = truth.users[u.id];
      assert.deepEqual([u.sessions, u.activeDays, u.firstSeen, u.lastSeen], [t.sessions, t.activeDays, t.firstSeen, t.lastSeen], u.id);
    }

    const beforeFull = org.requests.length;
    const full = await count(t2);
    const fullRequests = org.requests.length - beforeFull;
    assert.deepEqual(refreshed.users.map((u) => [u.id, u.sessions, u.activeDays, u.lastSeen]), full.users.map((u) => [u.id, u.sessions, u.activeDays, u.lastSeen]));
    assert.deepEqual(refreshed.dailyActiveUsers, full.dailyActiveUsers);
    assert.ok(refreshRequests < fullRequests, `refresh made ${refreshRequests} requests, a full count ${fullRequests}`);
  });

  it('refreshing twice in a row counts nothing twice', async () => {
    org.appendEvents(gen.events.filter((e) => late.has(e.uuid) || (Date.parse(e.published) >= t1 && served(e, t2))));
    const a = await count(t2 - 3 * 3_600_000);
    const b = await count(t2 - 3_600_000, a);
    const c = await count(t2 - 3_599_000, b); // within the overlap of the previous refresh
    assert.equal(b.fetchedUntil, new Date(t2 - 3_600_000).toISOString());
    const full = await count(t2 - 3_599_000);
    assert.equal(c.events, full.events);
    assert.deepEqual(c.users.map((u) => [u.id, u.sessions]), full.users.map((u) => [u.id, u.sessions]));
  });

  it('stays complete when a refresh of a complete count fetches only retained days', async () => {
    const first = await count(t1);
    const late = await countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now: () => new Date(t1 + 82 * 86_400_000), resumeFrom: first });
    assert.equal(first.complete, true);
    assert.equal(late.incremental, true);
    assert.equal(late.complete, true, 'the month start is past retention now, but it was counted while retained');
    const fresh = await countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now: () => new Date(t1 + 82 * 86_400_000) });
    assert.equal(fresh.complete, false);
  });

  it('falls back to a full count when the earlier report is of another month', async () => {
    const logs: string[] = [];
    const first = await count(t1);
    const other = { ...first, month: '2026-10' };
    const again = await countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now: () => new Date(t1), resumeFrom: other, log: (l) => logs.push(l) });
    assert.equal(again.incremental, false);
    assert.equal(again.mau, first.mau);
    assert.ok(logs.some((l) => /Counting the whole month: the earlier count is of 2026-10/.test(l)));
  });
});
