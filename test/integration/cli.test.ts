/**
 * The built `okta-mau` against the fake Okta org: what it prints must equal the generator's
 * independently computed ground truth, whatever the format, credential kind or source.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateMonth, generateUsers, groundTruth, makeOAuthClient, monthBounds, startFakeOrg, type FakeOrg, type GroundTruth } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, runCli } from './cli-harness';

interface JsonUser {
  id: string;
  login: string;
  displayName: string;
  sessions: number;
  activeDays: number;
  firstSeen: string;
  lastSeen: string;
}

/** Asserts a JSON report names exactly the truth's users with the same activity. */
function assertMatchesTruth(doc: { mau: number; events: number; users: JsonUser[] }, truth: GroundTruth): void {
  assert.equal(doc.mau, truth.mau);
  assert.equal(doc.events, truth.events);
  assert.equal(doc.users.length, truth.mau);
  for (const u of doc.users) {
    const t = truth.users[u.id];
    assert.ok(t, `${u.id} (${u.login}) is not active in the ground truth`);
    assert.deepEqual(
      { login: u.login, sessions: u.sessions, activeDays: u.activeDays, firstSeen: u.firstSeen, lastSeen: u.lastSeen },
      { login: t.login, sessions: t.sessions, activeDays: t.activeDays, firstSeen: t.firstSeen, lastSeen: t.lastSeen },
      u.login,
    );
  }
}

describe('okta-mau count against the fake org', function () {
  this.timeout(60_000);
  const month = lastCompleteMonth();
  const { since, until } = monthBounds(month);
  const { events, truth } = generateMonth({ month, seed: 11, users: 180, sessions: 1500 });
  const jwkApp = makeOAuthClient({ format: 'jwk' });
  const pemApp = makeOAuthClient({ format: 'pem' });
  let org: FakeOrg;
  let env: Record<string, string>;
  let work: string;

  before(async () => {
    buildCli();
    org = await startFakeOrg({
      events,
      users: generateUsers(events, { seed: 11 }),
      // The PEM app may read users too; the JWK app only the System Log.
      oauthClients: [
        { clientId: jwkApp.clientId, publicKey: jwkApp.publicKey, scopes: ['okta.logs.read'] },
        { clientId: pemApp.clientId, publicKey: pemApp.publicKey, scopes: ['okta.logs.read', 'okta.users.read'] },
      ],
    });
    env = cliEnv({ OKTA_API_TOKEN: org.token });
    work = mkdtempSync(join(tmpdir(), 'okta-mau-cli-'));
  });
  after(async () => {
    await org?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('prints a JSON report equal to the ground truth, and nothing on stderr', async () => {
    const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.orgUrl, org.url);
    assert.equal(doc.month, month);
    assert.equal(doc.since, new Date(since).toISOString());
    assert.equal(doc.until, new Date(until).toISOString());
    assert.equal(doc.complete, true);
    assert.equal(doc.source, 'logs');
    assertMatchesTruth(doc, truth);
    const sessions = doc.users.map((u: JsonUser) => u.sessions);
    assert.deepEqual(sessions, [...sessions].sort((a, b) => b - a), 'most sessions first');
  });

  it('prints one CSV row per active user with the truth\'s numbers', async () => {
    const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'csv'], env);
    assert.equal(r.code, 0, r.stderr);
    const rows: Record<string, string>[] = parse(r.stdout, { columns: true });
    assert.deepEqual(Object.keys(rows[0]), [
      'id', 'login', 'displayName', 'sessions', 'activeDays', 'firstSeen', 'lastSeen', 'lastIp', 'lastCountry', 'lastBrowser', 'lastOs', 'lastCity', 'lastDevice',
    ]);
    assert.equal(rows.length, truth.mau);
    for (const row of rows) {
      const t = truth.users[row.id];
      assert.ok(t, row.id);
      assert.deepEqual([row.login, row.displayName, Number(row.sessions), Number(row.activeDays), row.firstSeen, row.lastSeen],
        [t.login, t.displayName, t.sessions, t.activeDays, t.firstSeen, t.lastSeen]);
      assert.match(row.lastIp, /^\d+\.\d+\.\d+\.\d+$/, 'the last sign-in\'s address is reported');
    }
  });

  it('prints a table with the MAU and the most active user first', async () => {
    const r = await runCli(['count', '--month', month], { ...env, OKTA_ORG_URL: org.url });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^MAU: +${truth.mau.toLocaleString('en-US')}$`, 'm'));
    assert.match(r.stdout, /^Status: +complete$/m);
    const top = Object.values(truth.users).sort((a, b) => b.sessions - a.sessions || a.login.localeCompare(b.login))[0];
    assert.match(r.stdout, new RegExp(`^ 1  ${top.login.replace(/\./g, '\\.')} .* ${top.sessions} `, 'm'));
    assert.match(r.stdout, new RegExp(`^Top 20 of ${truth.mau} users$`, 'm'));
  });

  it('signs in with an OAuth app whose JWK key (with kid) is in OKTA_PRIVATE_KEY', async () => {
    const oauthEnv = cliEnv({ OKTA_CLIENT_ID: jwkApp.clientId, OKTA_PRIVATE_KEY: jwkApp.privateKey });
    const tokensBefore = org.stats.tokenRequests;
    const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], oauthEnv);
    assert.equal(r.code, 0, r.stderr);
    assertMatchesTruth(JSON.parse(r.stdout), truth);
    assert.ok(org.stats.tokenRequests > tokensBefore, 'an access token was requested');
  });

  it('signs in with an OAuth app whose PEM key is in a file named by OKTA_PRIVATE_KEY, with OKTA_KEY_ID', async () => {
    const keyFile = join(work, 'okta.pem');
    writeFileSync(keyFile, pemApp.privateKey, { mode: 0o600 });
    const oauthEnv = cliEnv({ OKTA_CLIENT_ID: pemApp.clientId, OKTA_PRIVATE_KEY: keyFile, OKTA_KEY_ID: pemApp.keyId });
    const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], oauthEnv);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).mau, truth.mau);
  });

  it('counts the same users from the legacy Events API with --source events', async () => {
    const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json', '--source', 'events'], env);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.source, 'events');
    assertMatchesTruth(doc, truth);
    assert.ok(org.requests.some((q) => q.endpoint === 'events' && q.status === 200), 'the Events API was read');
  });

  it('counts every --event-type given', async () => {
    const types = ['user.session.start', 'user.authentication.sso'];
    const wider = groundTruth(events, { since, until, eventTypes: types });
    assert.ok(wider.events > truth.events, 'the generated month has SSO events to count');
    const args = ['count', '--org-url', org.url, '--month', month, '--format', 'json', ...types.flatMap((t) => ['--event-type', t])];
    const r = await runCli(args, env);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.eventTypes, types);
    assertMatchesTruth(doc, wider);
  });

  it('check says the credential works, and whether it can read the Users API too', async () => {
    const r = await runCli(['check', '--org-url', org.url], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `ok: the credential can read the System Log of ${org.url}\nok: it can read the Users API too (okta-mau inactive)\n`);
    const app = (a: typeof jwkApp) => cliEnv({ OKTA_CLIENT_ID: a.clientId, OKTA_PRIVATE_KEY: a.privateKey, OKTA_KEY_ID: a.keyId });
    const both = await runCli(['check', '--org-url', org.url], app(pemApp));
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stdout, /^ok: it can read the Users API too/m);
    // An app granted the System Log only still counts; check says what inactive would need.
    const logsOnly = await runCli(['check', '--org-url', org.url], app(jwkApp));
    assert.equal(logsOnly.code, 0, logsOnly.stderr);
    assert.match(logsOnly.stdout, /^ok: the credential can read the System Log/);
    assert.match(logsOnly.stdout, /^note: it cannot read the Users API, which only okta-mau inactive needs: .*grant the service app okta\.users\.read under Okta API Scopes$/m);
  });

  it('answers --version and --help on stdout with exit 0, needing no credentials', async () => {
    const v = await runCli(['--version'], cliEnv());
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^okta-mau \d+\.\d+\.\d+\n$/);
    const h = await runCli(['--help'], cliEnv());
    assert.equal(h.code, 0);
    assert.match(h.stdout, /okta-mau count --org-url <url>/);
    assert.match(h.stdout, /okta-mau history --org-url <url>/);
    assert.match(h.stdout, /--since-last/);
    assert.match(h.stdout, /OKTA_API_TOKEN/);
  });
});
