/**
 * Definitions of "active" end to end: one generated month with OAuth token grants, counted with the
 * real SDK over HTTP against the fake org under each preset, equals each definition's ground truth
 * (computed from the events by the fake org, not by the product). Then the built `okta-mau`: the two
 * definitions' counts live in their own cache files, and every output says which definition it is.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countMau, definitionPreset, presetDefinition, type MauReport, type PresetId } from '../../src/core';
import { BILLABLE_STATUSES } from '../../src/core/userStatus';
import {
  CUSTOMER_IDENTITY_EVENT_TYPES,
  generateMonth,
  generateUsers,
  inactiveInMonth as truthInactive,
  startFakeOrg,
  type FakeOrg,
  type GroundTruth,
} from '../fake-org';
import { buildCli, cliEnv, runCli, type CliResult } from './cli-harness';

const MONTH = '2026-10';
const NOW = new Date('2026-11-20T12:00:00Z');
const CI_NAME = "Customer Identity (Okta's MAU billing)";
const SIGN_INS_NAME = 'Sign-ins (user.session.start)';

function assertMatchesTruth(report: MauReport, truth: GroundTruth): void {
  assert.equal(report.mau, truth.mau);
  assert.equal(report.events, truth.events);
  assert.deepEqual(report.users.map((u) => u.id).sort(), Object.keys(truth.users).sort());
  for (const u of report.users) {
    const t = truth.users[u.id]!;
    assert.deepEqual(
      { login: u.login, sessions: u.sessions, activeDays: u.activeDays, firstSeen: u.firstSeen, lastSeen: u.lastSeen },
      { login: t.login, sessions: t.sessions, activeDays: t.activeDays, firstSeen: t.firstSeen, lastSeen: t.lastSeen },
      u.id,
    );
  }
}

function ok(r: CliResult): CliResult {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r;
}

describe('definitions of "active" against the fake org', function () {
  this.timeout(120_000);
  const gen = generateMonth({ month: MONTH, seed: 29, users: 250, sessions: 2200, tokenGrants: { grants: 1500, onlyUsers: 40 } });
  const signIns = gen.truths['sign-ins'];
  const ci = gen.truths['customer-identity'];
  const grantOnly = Object.keys(ci.users).filter((id) => !Object.hasOwn(signIns.users, id));
  let org: FakeOrg;

  before(async () => {
    org = await startFakeOrg({ events: gen.events, users: generateUsers(gen.events, { seed: 29, asOf: NOW }) });
  });
  after(() => org?.close());

  const count = (id: PresetId) => {
    const def = presetDefinition(id);
    return countMau({ orgUrl: org.url, auth: { mode: 'SSWS', token: org.token }, month: MONTH, now: () => NOW, source: def.source, eventTypes: def.eventTypes && [...def.eventTypes] });
  };

  it('counts one month under each preset exactly as its ground truth, Customer Identity above sign-ins', async () => {
    const [s, c] = [await count('sign-ins'), await count('customer-identity')];
    assertMatchesTruth(s, signIns);
    assertMatchesTruth(c, ci);
    assert.equal(s.mau, 250);
    assert.equal(c.mau, 290, 'the 40 users active through token grants alone');
    assert.ok(c.events > s.events);
    assert.deepEqual([...c.eventTypes].sort(), [...CUSTOMER_IDENTITY_EVENT_TYPES].sort());
  });

  it('counts the users active only through token grants, refresh tokens included, and none of the grants that must not count', async () => {
    const c = await count('customer-identity');
    const counted = new Set(c.users.map((u) => u.id));
    assert.equal(grantOnly.length, 40);
    for (const id of grantOnly) assert.ok(counted.has(id), id);
    const refreshOnly = grantOnly.filter((id) => gen.events.filter((e) => e.actor.id === id).every((e) => e.eventType.endsWith('.refresh_token')));
    assert.ok(refreshOnly.length >= 10, `${refreshOnly.length} users through refresh tokens alone`);
    // Apps of client-credentials grants, users whose grants were refused or revoked, a grant of next month.
    const apps = new Set(gen.events.filter((e) => e.actor.type === 'PublicClientApp' && e.eventType.startsWith('app.oauth2.')).map((e) => e.actor.id));
    assert.ok(apps.size > 0 && [...apps].every((id) => !counted.has(id)));
    const users = new Set(gen.events.filter((e) => e.actor.type === 'User').map((e) => e.actor.id));
    const notCounted = [...users].filter((id) => !Object.hasOwn(ci.users, id) && gen.events.some((e) => e.actor.id === id && e.eventType.startsWith('app.oauth2.')));
    assert.equal(notCounted.length, 3, 'refused only, revoked only, granted next month only');
    for (const id of notCounted) assert.ok(!counted.has(id), id);
  });

  it('sends Okta the eleven types in one filter on every page, and the fake answers it as Okta does', async () => {
    const before = org.requests.length;
    await count('customer-identity');
    const logs = org.requests.slice(before).filter((r) => r.endpoint === 'logs');
    assert.ok(logs.length >= 3, `${logs.length} requests`);
    for (const r of logs) {
      const filter = r.query.filter ?? '';
      assert.equal((filter.match(/eventType eq "/g) ?? []).length, 11, filter);
      assert.equal(r.status, 200);
    }
  });

  describe('okta-mau', () => {
    let cache: string;
    let env: Record<string, string>;
    before(() => {
      buildCli();
      cache = mkdtempSync(join(tmpdir(), 'okta-mau-definitions-'));
      env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache, OKTA_MAU_NOW: NOW.toISOString() });
    });
    after(() => rmSync(cache, { recursive: true, force: true }));
    const orgDir = () => join(cache, readdirSync(cache).find((d) => d.startsWith('127.0.0.1'))!);
    const cli = (args: string[]) => runCli(args, env);

    it('keeps each definition\'s count in its own file, and names the definition in every output', async () => {
      const ciJson = ok(await cli(['count', '--org-url', org.url, '--month', MONTH, '--definition', 'customer-identity', '--format', 'json']));
      const doc = JSON.parse(ciJson.stdout);
      assert.equal(doc.mau, ci.mau);
      assert.deepEqual(doc.definition, { id: 'customer-identity', name: CI_NAME, eventTypes: [...definitionPreset('customer-identity').eventTypes] });
      const ciFile = join(orgDir(), `${MONTH}.logs-401f766c78.json`);
      assert.ok(existsSync(ciFile), readdirSync(orgDir()).join(', '));

      const table = ok(await cli(['count', '--org-url', org.url, '--month', MONTH]));
      assert.match(table.stdout, /^MAU: +250$/m);
      assert.match(table.stdout, new RegExp(`^Definition: ${SIGN_INS_NAME.replace(/[().]/g, '\\$&')}$`, 'm'));
      const signInsFile = join(orgDir(), `${MONTH}.json`);
      // Neither count overwrote the other.
      assert.equal(JSON.parse(readFileSync(signInsFile, 'utf8')).report.mau, 250);
      assert.equal(JSON.parse(readFileSync(ciFile, 'utf8')).report.mau, 290);

      const ciTable = ok(await cli(['count', '--org-url', org.url, '--month', MONTH, '--definition', 'customer-identity', '--since-last']));
      assert.match(ciTable.stdout, /^Definition: Customer Identity \(Okta's MAU billing\)$/m);
      assert.match(ciTable.stdout, /^MAU: +290$/m);
      // The CSV is one row per user: the definition is in the name of the file a person saves it to.
      const csv = ok(await cli(['count', '--org-url', org.url, '--month', MONTH, '--definition', 'customer-identity', '--format', 'csv', '--no-cache']));
      assert.equal(csv.stdout.trimEnd().split('\n').length, 291);
      assert.equal(csv.stderr, '');
    });

    it('continues a preset\'s count from a custom list of the same types: one definition, one file', async () => {
      const types = [...definitionPreset('customer-identity').eventTypes].reverse().flatMap((t) => ['--event-type', t]);
      const r = ok(await cli(['count', '--org-url', org.url, '--month', MONTH, ...types, '--since-last', '--format', 'json', '--verbose']));
      assert.match(r.stderr, /Refreshing 2026-10 from/);
      assert.equal(JSON.parse(r.stdout).definition.id, 'customer-identity');
      assert.equal(readdirSync(orgDir()).filter((f) => f.startsWith(MONTH)).length, 2);
    });

    it('lists each definition\'s months in history and history --all, saying which', async () => {
      const plain = ok(await cli(['history', '--org-url', org.url]));
      assert.deepEqual(plain.stdout.split('\n').slice(0, 2), [`MAU history of ${org.url}`, `Definition: ${SIGN_INS_NAME}`]);
      assert.match(plain.stdout, /^2026-10 +250 /m);
      const mine = ok(await cli(['history', '--org-url', org.url, '--definition', 'customer-identity', '--format', 'json']));
      const rows = JSON.parse(mine.stdout);
      assert.deepEqual(rows.map((r: { month: string; mau: number; definition: { id: string } }) => [r.month, r.mau, r.definition.id]), [[MONTH, 290, 'customer-identity']]);
      const all = ok(await cli(['history', '--all', '--month', MONTH, '--definition', 'customer-identity']));
      assert.match(all.stdout, /^MAU of 2026-10 by org\nDefinition: Customer Identity \(Okta's MAU billing\)\n/);
      assert.match(all.stdout, /^Total \(1 of 1 org\) +290/m);
      const none = await cli(['history', '--all', '--month', '2026-09', '--definition', 'customer-identity']);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^okta-mau: no org has a count of 2026-09 counted as Customer Identity \(Okta's MAU billing\) cached in .* \(1 org cached\): run okta-mau count --month 2026-09 --definition customer-identity first\n$/);
    });

    it('finds the inactive users of the month under the definition asked for', async () => {
      const statuses = [...BILLABLE_STATUSES];
      const users = generateUsers(gen.events, { seed: 29, asOf: NOW });
      const asCi = JSON.parse(ok(await cli(['inactive', '--org-url', org.url, '--month', MONTH, '--definition', 'customer-identity', '--format', 'json'])).stdout);
      const asSignIns = JSON.parse(ok(await cli(['inactive', '--org-url', org.url, '--month', MONTH, '--format', 'json'])).stdout);
      const ids = (doc: { users: { id: string }[] }) => doc.users.map((u) => u.id).sort();
      assert.deepEqual(ids(asCi), truthInactive(users, gen.events, { month: MONTH, statuses, eventTypes: [...CUSTOMER_IDENTITY_EVENT_TYPES] }));
      assert.deepEqual(ids(asSignIns), truthInactive(users, gen.events, { month: MONTH, statuses }));
      assert.equal(asCi.definition.id, 'customer-identity');
      assert.equal(asSignIns.definition.id, 'sign-ins');
      // Users active through token grants alone are inactive by sign-ins only.
      const onlyBySignIns = ids(asSignIns).filter((id) => !ids(asCi).includes(id));
      assert.ok(onlyBySignIns.length > 0 && onlyBySignIns.every((id) => grantOnly.includes(id)));
    });

    it('refuses --definition with --event-type in one line', async () => {
      const r = await cli(['count', '--org-url', org.url, '--definition', 'customer-identity', '--event-type', 'user.session.start']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'okta-mau: --definition and --event-type both say what counts as active: keep one (--event-type alone is a custom definition)\n');
    });
  });
});
