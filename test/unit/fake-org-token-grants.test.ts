import assert from 'node:assert/strict';
import {
  CUSTOMER_IDENTITY_EVENT_TYPES,
  generateMonth,
  generateMonthStore,
  generateUsers,
  getAll,
  groundTruth,
  monthBounds,
  startFakeOrg,
  urlWith,
  USER_GRANT_TYPES,
  type FakeOrg,
  type LogEvent,
} from '../fake-org';

/** The blog's token events, written out once more so the fake's list is checked, not trusted. */
const BLOG_TOKEN_TYPES = [
  'app.oauth2.as.authorize.implicit.id_token',
  'app.oauth2.as.token.grant.id_token',
  'app.oauth2.as.token.grant.refresh_token',
  'app.oauth2.authorize.implicit.id_token',
  'app.oauth2.authorize.implicit.access_token',
  'app.oauth2.token.grant.access_token',
  'app.oauth2.token.grant.id_token',
  'app.oauth2.token.grant.refresh_token',
  'app.oauth2.as.authorize.implicit.access_token',
  'app.oauth2.as.token.grant.access_token',
];

describe('fake org: OAuth token grants and the ground truth of each definition', () => {
  const base = { month: '2026-10', seed: 77, users: 200, sessions: 900 };
  const plain = generateMonth(base);
  const gen = generateMonth({ ...base, tokenGrants: { grants: 500, onlyUsers: 24 } });
  const { since, until } = monthBounds('2026-10');
  const inMonth = (e: LogEvent) => Date.parse(e.published) >= since && Date.parse(e.published) < until;
  const ci = gen.truths['customer-identity'];
  const signIns = gen.truths['sign-ins'];
  const grantOnly = Object.keys(ci.users).filter((id) => !Object.hasOwn(signIns.users, id));

  it('takes its list from the blog: a session plus ten token events', () => {
    assert.deepEqual([...CUSTOMER_IDENTITY_EVENT_TYPES], ['user.session.start', ...BLOG_TOKEN_TYPES]);
    assert.deepEqual([...USER_GRANT_TYPES], BLOG_TOKEN_TYPES);
  });

  it('is off by default, and when on leaves every other event of the seed as it was', () => {
    assert.ok(!plain.events.some((e) => e.eventType.startsWith('app.oauth2.') && e.actor.type === 'User' && e.eventType !== 'app.oauth2.as.token.grant.access_token'));
    const byUuid = new Map(gen.events.map((e) => [e.uuid, JSON.stringify(e)]));
    for (const e of plain.events) assert.equal(byUuid.get(e.uuid), JSON.stringify(e));
    assert.deepEqual(signIns, plain.truth);
    assert.equal(gen.truth, signIns);
  });

  it('adds users active only through token grants: Customer Identity counts them, sign-ins does not', () => {
    assert.equal(signIns.mau, 200);
    assert.equal(ci.mau, 224);
    assert.equal(grantOnly.length, 24);
    for (const id of grantOnly) {
      const own = gen.events.filter((e) => e.actor.id === id && inMonth(e));
      assert.ok(own.length > 0 && own.every((e) => e.eventType !== 'user.session.start'), id);
    }
    const refreshOnly = grantOnly.filter((id) => gen.events.filter((e) => e.actor.id === id).every((e) => /\.refresh_token$/.test(e.eventType) && e.outcome?.result === 'SUCCESS'));
    assert.ok(refreshOnly.length >= 8, `${refreshOnly.length} users active through refresh tokens alone`);
  });

  it('computes each definition\'s truth plainly from the events, the way a naive reader would', () => {
    for (const [types, truth] of [[['user.session.start'], signIns], [['user.session.start', ...BLOG_TOKEN_TYPES], ci]] as const) {
      const counted = gen.events.filter((e) => inMonth(e) && (types as readonly string[]).includes(e.eventType) && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User');
      assert.deepEqual(new Set(Object.keys(truth.users)), new Set(counted.map((e) => e.actor.id)));
      assert.equal(truth.events, counted.length);
    }
    assert.ok(ci.events > signIns.events + 400, 'the grants of the signers count as events too');
  });

  it('surrounds them with grants that must not count: app actors, refusals, revocations, next month', () => {
    const types = new Set(BLOG_TOKEN_TYPES);
    const clientCredentials = gen.events.filter((e) => types.has(e.eventType) && e.actor.type === 'PublicClientApp' && e.outcome?.result === 'SUCCESS');
    assert.ok(clientCredentials.length >= 100, `${clientCredentials.length} client-credentials grants`);
    assert.ok(clientCredentials.every((e) => e.actor.id.startsWith('0oa') && !Object.hasOwn(ci.users, e.actor.id)));
    const refused = gen.events.filter((e) => e.actor.type === 'User' && e.outcome?.result === 'FAILURE' && e.eventType.startsWith('app.oauth2.'));
    assert.ok(refused.some((e) => e.eventType === 'app.oauth2.as.token.grant' && e.legacyEventType === 'app.oauth2.as.token.grant_failure'));
    assert.ok(refused.some((e) => e.eventType === 'app.oauth2.token.grant'));
    assert.ok(refused.some((e) => types.has(e.eventType)), 'a counted type with FAILURE');
    const revoked = gen.events.filter((e) => /^app\.oauth2\.(as\.)?token\.revoke$/.test(e.eventType) && e.actor.type === 'User');
    assert.ok(revoked.length >= 100);
    // The three users whose only token activity must not count.
    const actors = new Set(gen.events.filter((e) => e.actor.type === 'User').map((e) => e.actor.id));
    const uncounted = [...actors].filter((id) => !Object.hasOwn(ci.users, id) && gen.events.some((e) => e.actor.id === id && e.eventType.startsWith('app.oauth2.')));
    const only = (id: string) => gen.events.filter((e) => e.actor.id === id);
    assert.ok(uncounted.some((id) => only(id).every((e) => e.outcome?.result === 'FAILURE')), 'refused only');
    assert.ok(uncounted.some((id) => only(id).every((e) => e.eventType.endsWith('.revoke'))), 'revoked only');
    assert.ok(uncounted.some((id) => only(id).every((e) => e.published === '2026-11-01T00:00:00.000Z')), 'granted next month only');
  });

  it('puts a grant-only user on the month\'s last millisecond and a grant on the next month\'s first instant', () => {
    // Besides the sign-ins' own bound users (one on each side of `until`), one more each way.
    const mau = (to: number, eventTypes: readonly string[]) => groundTruth(gen.events, { since, until: to, eventTypes: [...eventTypes] }).mau;
    assert.equal(mau(until + 1, CUSTOMER_IDENTITY_EVENT_TYPES) - ci.mau, mau(until + 1, ['user.session.start']) - signIns.mau + 1);
    assert.equal(ci.mau - mau(until - 1, CUSTOMER_IDENTITY_EVENT_TYPES), signIns.mau - mau(until - 1, ['user.session.start']) + 1);
  });

  it('renders grant events in Okta\'s shape, the JSON text equal to the object', () => {
    const store = generateMonthStore({ ...base, tokenGrants: { grants: 500, onlyUsers: 24 } });
    let grants = 0;
    for (let i = 0; i < store.size; i++) {
      const e = store.event(i);
      if (!e.eventType.startsWith('app.oauth2.')) continue;
      grants++;
      assert.equal(store.json(i), JSON.stringify(e));
      const light = store.light(i);
      assert.deepEqual([light.eventType, light.outcome, light.actor, light.uuid], [e.eventType, e.outcome, e.actor, e.uuid]);
      assert.match(e.debugContext!.debugData.requestUri!, /^\/oauth2\/(default\/)?v1\/(token|authorize|revoke)$/);
      assert.ok(e.target && e.target.length === 1 && /^(access|id|refresh)_token$/.test(e.target[0]!.type));
    }
    assert.ok(grants > 700);
  });

  it('gives users active through grants alone a status that may sign in and a sign-in before the month', () => {
    const users = generateUsers(gen.events, { seed: 77, asOf: '2026-11-20T00:00:00Z' });
    for (const id of grantOnly) {
      const u = users.find((x) => x.id === id)!;
      assert.ok(['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED'].includes(u.status), `${id} ${u.status}`);
      assert.ok(u.lastLogin !== null && Date.parse(u.lastLogin) < since, `${id} ${u.lastLogin}`);
    }
  });

  describe('served over HTTP', () => {
    let org: FakeOrg;
    before(async () => {
      org = await startFakeOrg({ events: gen.events });
    });
    after(() => org.close());

    it('answers the eleven-type filter with exactly the events the truth counts', async () => {
      const chain = CUSTOMER_IDENTITY_EVENT_TYPES.map((t) => `eventType eq "${t}"`).join(' or ');
      const filter = `(${chain}) and outcome.result eq "SUCCESS" and actor.type eq "User"`;
      const url = urlWith(org.url, '/api/v1/logs', { since: new Date(since).toISOString(), until: new Date(until).toISOString(), limit: 1000, filter });
      const { items, pages } = await getAll<LogEvent>(url, `SSWS ${org.token}`);
      assert.ok(pages.length > 1, 'several pages: the filter travels in every next link');
      assert.equal(items.length, ci.events);
      assert.deepEqual(new Set(items.map((e) => e.actor.id)), new Set(Object.keys(ci.users)));
    });
  });
});
