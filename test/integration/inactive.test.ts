/**
 * Inactive and dormant users, end to end: the real SDK reads the fake org's Users API (many pages
 * per status, its own bucket), the core compares with a real count of the month, and the answers
 * equal the fake org's ground truth, computed from its users and events independently of the product.
 */
import { strict as assert } from 'node:assert';
import { countMau } from '../../src/core/count';
import { describeError } from '../../src/core/errors';
import { BILLABLE_STATUSES, dormantFor, inactiveInMonth, listUsers } from '../../src/core/users';
import { dormantUsers, generateMonth, generateUsers, inactiveInMonth as truthInactive, makeOAuthClient, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, cliEnv, runCli } from './cli-harness';

const MONTH = '2026-10';
const AS_OF = new Date('2026-11-20T12:00:00Z');

describe('inactive and dormant users against the fake org', function () {
  this.timeout(120_000);
  const gen = generateMonth({ month: MONTH, seed: 61, users: 420, sessions: 2500 });
  // More dormant users than one page per status holds: the ACTIVE query pages several times.
  const users = generateUsers(gen.events, { seed: 61, dormant: 300, hostileNames: 3, asOf: AS_OF });
  const app = makeOAuthClient();
  const logsOnly = makeOAuthClient();
  let org: FakeOrg;

  before(async () => {
    buildCli();
    org = await startFakeOrg({
      events: gen.events,
      users,
      oauthClients: [
        { clientId: app.clientId, publicKey: app.publicKey, scopes: ['okta.logs.read', 'okta.users.read'] },
        { clientId: logsOnly.clientId, publicKey: logsOnly.publicKey, scopes: ['okta.logs.read'] },
      ],
    });
  });
  after(() => org?.close());

  it('lists every user in a billable status, over several pages, and nobody else', async () => {
    const listed = await listUsers({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token } });
    const expected = users.filter((u) => (BILLABLE_STATUSES as readonly string[]).includes(u.status)).map((u) => u.id).sort();
    assert.deepEqual(listed.map((u) => u.id).sort(), expected);
    assert.ok(expected.length > 200, `${expected.length} billable users: more than one page`);
    const requests = org.requests.filter((r) => r.endpoint === 'users');
    assert.ok(requests.length > BILLABLE_STATUSES.length, `${requests.length} Users API requests: the ACTIVE list paged`);
    for (const u of listed) assert.equal(u.lastLogin, users.find((x) => x.id === u.id)!.lastLogin ?? null);
  });

  it('finds the users inactive in a counted month exactly as the ground truth does', async () => {
    const report = await countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now: () => AS_OF });
    const listed = await listUsers({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token } });
    const result = inactiveInMonth(listed, report);
    assert.deepEqual(result.users.map((u) => u.id).sort(), truthInactive(users, gen.events, { month: MONTH, statuses: [...BILLABLE_STATUSES] }));
    assert.equal(result.licensed, listed.length);
    assert.ok(result.users.length > 0 && result.active > 0);
  });

  it('finds the users dormant for N days by lastLogin exactly as the ground truth does', async () => {
    const listed = await listUsers({ orgUrl: org.url, auth: { mode: 'PrivateKey', clientId: app.clientId, privateKey: app.privateKey, keyId: app.keyId, scopes: ['okta.logs.read', 'okta.users.read'] } });
    for (const days of [7, 30, 120]) {
      const result = dormantFor(listed, org.url, days, AS_OF);
      assert.deepEqual(result.users.map((u) => u.id).sort(), dormantUsers(users, { days, at: AS_OF, statuses: [...BILLABLE_STATUSES] }), `${days} days`);
    }
  });

  it('says in one line which scope a service app lacks, naming the Users API', async () => {
    const err = await listUsers({ orgUrl: org.url, auth: { mode: 'PrivateKey', clientId: logsOnly.clientId, privateKey: logsOnly.privateKey, keyId: logsOnly.keyId } }).catch((e: unknown) => e);
    assert.match(describeError(err), /^The service app may not read the Users API at 127\.0\.0\.1:\d+ \(HTTP 403.*: grant it the okta\.users\.read scope/);
  });

  it('okta-mau inactive prints the month\'s inactive users as JSON, and a table whose hostile names cannot act', async () => {
    const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: AS_OF.toISOString() });
    const json = await runCli(['inactive', '--org-url', org.url, '--month', MONTH, '--format', 'json', '--no-cache'], env);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.kind, 'month');
    assert.deepEqual(doc.users.map((u: { id: string }) => u.id).sort(), truthInactive(users, gen.events, { month: MONTH, statuses: [...BILLABLE_STATUSES] }));
    const table = await runCli(['inactive', '--org-url', org.url, '--days', '30', '--no-cache'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Users holding a licence with no sign-in \(Okta's lastLogin\) for 30 days before 2026-11-20: \d+/);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(table.stdout), 'no control character reaches the terminal');
  });
});
