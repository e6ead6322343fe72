import assert from 'node:assert/strict';
import { generateMonth, getAll, getPage, startFakeOrg, urlWith, type FakeOrg, type LegacyEvent } from '../fake-org';

describe('fake org: legacy Events API', () => {
  let org: FakeOrg;
  const month = generateMonth({ month: '2026-10', seed: 21, users: 30, sessions: 90, failureRate: 0.2 });
  const auth = () => `SSWS ${org.token}`;
  const inOctober = 'published gt "2026-09-30T23:59:59.999Z" and published lt "2026-11-01T00:00:00.000Z"';
  before(async () => {
    // These tests page to the end with getAll, which stops only where next links do: ask for the
    // links that end with the data (the default, as Okta serves them, is fake-org-events-linking.test.ts).
    org = await startFakeOrg({ events: month.events, eventsLinking: 'untilEnd' });
  });
  after(() => org.close());

  it('maps successful sign-ins to core.user_auth.login_success with User and Client actors', async () => {
    const filter = `action.objectType eq "core.user_auth.login_success" and ${inOctober}`;
    const { items } = await getAll<LegacyEvent>(urlWith(org.url, '/api/v1/events', { filter, limit: 25 }), auth());
    const expected = month.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.published.startsWith('2026-10'));
    assert.equal(items.length, expected.length);
    const first = items[0];
    const source = expected[0];
    assert.equal(first.published, source.published);
    assert.equal(first.action.objectType, 'core.user_auth.login_success');
    assert.match(first.eventId, /^tev/);
    const user = first.actors.find((a) => a.objectType === 'User' || a.objectType === source.actor.type)!;
    assert.equal(user.id, source.actor.id);
    if (source.actor.type === 'User') assert.equal(user.login, source.actor.alternateId);
    const client = first.actors.find((a) => a.objectType === 'Client')!;
    assert.equal(client.id, source.client?.userAgent?.rawUserAgent);
    assert.equal(client.ipAddress, source.client?.ipAddress);
  });

  it('maps failed sign-ins to core.user_auth.login_failed', async () => {
    const { items } = await getAll<LegacyEvent>(urlWith(org.url, '/api/v1/events', { filter: `action.objectType eq "core.user_auth.login_failed" and ${inOctober}` }), auth());
    const failures = month.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'FAILURE');
    assert.ok(failures.length > 0);
    assert.equal(items.length, failures.length);
    assert.ok(items.some((e) => e.actors.some((a) => a.id === 'unknown')), 'unknown usernames appear as actor id "unknown"');
  });

  it('links next only while more remain, defaulting to 1000 per page', async () => {
    const all = await getPage(urlWith(org.url, '/api/v1/events', { filter: inOctober }), auth());
    assert.equal(all.next, undefined);
    const paged = await getAll<LegacyEvent>(urlWith(org.url, '/api/v1/events', { filter: inOctober, limit: 10 }), auth());
    assert.deepEqual(paged.items.map((e) => e.eventId), (all.json as LegacyEvent[]).map((e) => e.eventId));
    assert.equal(paged.pages[paged.pages.length - 1].next, undefined);
    const legacyTypes = new Set(paged.items.map((e) => e.action.objectType));
    assert.ok(legacyTypes.has('app.auth.sso'), 'other legacy event types map through');
  });

  it('honours startDate and refuses it with filter or after', async () => {
    const page = await getPage(urlWith(org.url, '/api/v1/events', { startDate: '2026-10-15T00:00:00.000Z', limit: 1000 }), auth());
    const items = page.json as LegacyEvent[];
    assert.ok(items.length > 0);
    assert.ok(items.every((e) => e.published >= '2026-10-15T00:00:00.000Z'));
    const both = await getPage(urlWith(org.url, '/api/v1/events', { startDate: '2026-10-15T00:00:00.000Z', filter: inOctober }), auth());
    assert.equal(both.status, 400);
    assert.equal((both.json as { errorCode: string }).errorCode, 'E0000001');
    const tooMany = await getPage(urlWith(org.url, '/api/v1/events', { limit: 1001 }), auth());
    assert.equal(tooMany.status, 400);
  });
});
