import assert from 'node:assert/strict';
import { compileFilter, FilterError, generateMonth, getAll, getPage, startFakeOrg, urlWith, type FakeOrg, type LogEvent } from '../fake-org';

const sample = {
  eventType: 'user.session.start',
  outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
  actor: { id: '00u1', type: 'User', alternateId: 'ada.lee@example.com', displayName: 'Ada Lee' },
  client: { ipAddress: '73.202.1.2' },
  target: [{ id: '0oa1', type: 'AppInstance' }, { id: '0ua9', type: 'AppUser' }],
  severity: 'WARN',
  legacyEventType: 'core.user_auth.login_failed',
  debugContext: { debugData: { risk: 3, threatSuspected: false } },
};

const matches = (filter: string) => compileFilter(filter).test(sample);

describe('fake org: SCIM filter grammar', () => {
  it('compares with eq ne co sw ew, ignoring case for strings', () => {
    assert.equal(matches('eventType eq "user.session.start"'), true);
    assert.equal(matches('eventType eq "USER.SESSION.START"'), true);
    assert.equal(matches('outcome.result eq "SUCCESS"'), false);
    assert.equal(matches('outcome.result ne "SUCCESS"'), true);
    assert.equal(matches('actor.alternateId co "lee@"'), true);
    assert.equal(matches('actor.alternateId sw "ada."'), true);
    assert.equal(matches('actor.alternateId ew "example.org"'), false);
    assert.equal(matches('client.ipAddress sw "73.202."'), true);
  });

  it('orders with gt ge lt le, numbers numerically and strings lexically', () => {
    assert.equal(matches('debugContext.debugData.risk gt 2'), true);
    assert.equal(matches('debugContext.debugData.risk ge 3'), true);
    assert.equal(matches('debugContext.debugData.risk lt 3'), false);
    assert.equal(matches('debugContext.debugData.risk le 3'), true);
    assert.equal(matches('severity gt "info"'), true);
  });

  it('matches boolean and null literals and pr', () => {
    assert.equal(matches('debugContext.debugData.threatSuspected eq false'), true);
    assert.equal(matches('debugContext.debugData.threatSuspected eq true'), false);
    assert.equal(matches('actor.detailEntry eq null'), true);
    assert.equal(matches('outcome.reason pr'), true);
    assert.equal(matches('actor.detailEntry pr'), false);
  });

  it('matches target.id against any target', () => {
    assert.equal(matches('target.id eq "0ua9"'), true);
    assert.equal(matches('target.id eq "0oa1"'), true);
    assert.equal(matches('target.id eq "nope"'), false);
  });

  it('combines with and/or/not and parentheses, and binding tighter than or', () => {
    assert.equal(matches('eventType eq "x" or eventType eq "user.session.start" and outcome.result eq "FAILURE"'), true);
    assert.equal(matches('(eventType eq "x" or eventType eq "user.session.start") and outcome.result eq "SUCCESS"'), false);
    assert.equal(matches('not (outcome.result eq "SUCCESS") and actor.type eq "User"'), true);
    assert.equal(matches('eventType eq "user.session.start" AND (actor.type eq "User" OR actor.type eq "SystemPrincipal")'), true);
  });

  it('reads a long chain of or inside parentheses, then and, as Okta\'s precedence says (and before or)', () => {
    const types = ['user.session.start', 'app.oauth2.as.token.grant.refresh_token', 'app.oauth2.token.grant.access_token', 'app.oauth2.as.authorize.implicit.id_token'];
    const chain = types.map((t) => `eventType eq "${t}"`).join(' or ');
    const grant = { ...sample, eventType: 'app.oauth2.token.grant.access_token', outcome: { result: 'SUCCESS', reason: null } };
    const app = { ...grant, actor: { ...grant.actor, type: 'PublicClientApp' } };
    const filter = compileFilter(`(${chain}) and outcome.result eq "SUCCESS" and actor.type eq "User"`);
    assert.equal(filter.test(grant), true);
    assert.equal(filter.test(app), false, 'the app of a client-credentials grant is not a User');
    assert.equal(filter.test(sample), false, 'a failure');
    assert.equal(filter.test({ ...grant, eventType: 'app.oauth2.as.token.revoke' }), false);
    // Without the parentheses, and binds to the last comparison only: the app's grant would match.
    assert.equal(compileFilter(`${chain} and outcome.result eq "SUCCESS" and actor.type eq "User"`).test(app), true);
    // Operators and logical operators in any case; attribute names exactly.
    assert.equal(compileFilter(chain.replace(/ or /g, ' OR ').replace(/ eq /g, ' EQ ')).test(grant), true);
    assert.equal(compileFilter('EventType eq "app.oauth2.token.grant.access_token"').test(grant), false);
    assert.deepEqual([...filter.paths].sort(), ['actor.type', 'eventType', 'outcome.result']);
  });

  it('reports syntax errors as E0000031 and published as E0000053', () => {
    for (const bad of ['eventType eq', 'eventType equals "x"', '(eventType eq "x"', 'eventType eq "x" and', 'eq "x"', 'eventType eq "unterminated', 'eventType eq x', '']) {
      assert.throws(() => compileFilter(bad, { forbidden: new Set(['published']) }), (e: unknown) => e instanceof FilterError && e.code === 'E0000031', bad);
    }
    assert.throws(() => compileFilter('published gt "2026-10-01T00:00:00Z"', { forbidden: new Set(['published']) }), (e: unknown) => e instanceof FilterError && e.code === 'E0000053');
  });

  it('lists the paths it reads', () => {
    assert.deepEqual([...compileFilter('eventType eq "a" and (actor.id pr or target.id eq "b")').paths].sort(), ['actor.id', 'eventType', 'target.id']);
  });
});

describe('fake org: filters over HTTP', () => {
  let org: FakeOrg;
  const month = generateMonth({ month: '2026-10', seed: 5, users: 40, sessions: 120, failureRate: 0.3 });
  before(async () => {
    org = await startFakeOrg({ events: month.events });
  });
  after(() => org.close());
  const url = (filter: string) => urlWith(org.url, '/api/v1/logs', { since: '2026-09-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z', limit: 1000, filter });

  it('serves exactly the events the filter selects', async () => {
    const filter = 'eventType eq "user.session.start" and outcome.result eq "SUCCESS" and actor.type eq "User"';
    const { items } = await getAll<LogEvent>(url(filter), `SSWS ${org.token}`);
    const expected = month.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User');
    assert.deepEqual(items.map((e) => e.uuid), expected.map((e) => e.uuid));
  });

  it('answers 400 E0000031 to a malformed filter and E0000053 to published', async () => {
    const bad = await getPage(url('eventType eq'), `SSWS ${org.token}`);
    assert.equal(bad.status, 400);
    assert.equal((bad.json as { errorCode: string }).errorCode, 'E0000031');
    const published = await getPage(url('published gt "2026-10-01T00:00:00.000Z"'), `SSWS ${org.token}`);
    assert.equal(published.status, 400);
    assert.equal((published.json as { errorCode: string }).errorCode, 'E0000053');
  });
});
