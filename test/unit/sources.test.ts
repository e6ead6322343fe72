import { strict as assert } from 'node:assert';
import { createSource, MALFORMED, validateEventTypes } from '../../src/core/sources';
import { logEvent, monthStart, signIn } from './sign-ins';

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

  it('ends a query only where Okta stops linking next: an empty page that links on does not end it', () => {
    const next = 'https://acme.okta.com/api/v1/logs?after=x';
    assert.equal(source.isLastPage({ events: 0, next }), false);
    assert.equal(source.isLastPage({ events: 1000, next }), false);
    assert.equal(source.isLastPage({ events: 12, next: undefined }), true);
    assert.equal(source.isLastPage({ events: 0, next: undefined }), true);
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
  it('ends a query at its first empty page, as the live Events API links next from every page, or where next stops', () => {
    const next = 'https://acme.okta.com/api/v1/events?after=x';
    assert.equal(source.isLastPage({ events: 0, next }), true);
    assert.equal(source.isLastPage({ events: 1000, next }), false);
    assert.equal(source.isLastPage({ events: 12, next: undefined }), true);
  });
});
