/**
 * The cache the built `okta-mau` keeps between runs: `count --since-last` continues from the last
 * report (fetching only the overlap and what is new), `history` reads months back without Okta, and
 * the files are private, credential-free and never lost to a failed run or a corrupt neighbour.
 * Every run is its own process, as under cron, so what survives is what is on disk.
 * `OKTA_MAU_NOW` pins the clock, so "the current month" means the same thing on any day.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateMonth, groundTruth, monthBounds, startFakeOrg, type FakeOrg, type LogEvent } from '../fake-org';
import { buildCli, cliEnv, runCli, type CliResult } from './cli-harness';

const OVERLAP = 10 * 60_000; // how far a refresh looks back for late-published events
const iso = (ms: number) => new Date(ms).toISOString();
const isSignIn = (e: LogEvent) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.type === 'User';

/** A report without what differs between two runs that counted the same events. */
function countedPart(json: string): Record<string, unknown> {
  const doc = JSON.parse(json) as Record<string, unknown>;
  // What the run cost and where the month may end (which reads the cache) are not part of the count.
  for (const k of ['countedAt', 'durationMs', 'pages', 'requests', 'projection']) delete doc[k];
  return doc;
}

function ok(r: CliResult): CliResult {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r;
}

/** Every file under a directory, recursively. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [join(dir, d.name), ...walk(join(dir, d.name))] : [join(dir, d.name)]));
}

describe('okta-mau cache: count --since-last and history', function () {
  this.timeout(90_000);
  let work: string;
  before(() => {
    buildCli();
    work = mkdtempSync(join(tmpdir(), 'okta-mau-hist-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));
  let n = 0;
  /** A cache directory that does not exist yet, so the run creates it (and its modes). */
  const freshCache = () => join(work, `cache-${++n}`, 'okta-mau');

  describe('the current month, refreshed by a scheduled run', () => {
    const MONTH = '2026-06';
    const gen = generateMonth({ month: MONTH, seed: 31, users: 400, sessions: 8000 });
    const t1 = Date.parse('2026-06-15T00:00:00Z');
    const t2 = Date.parse('2026-06-16T00:00:00Z');
    // Sign-ins stamped just before t1 that reach the API only after the first run: late events.
    const late = gen.events
      .filter(isSignIn)
      .slice(0, 5)
      .map((e, i) => ({ ...e, uuid: `late-${i}-${e.uuid}`, published: iso(t1 - (i + 1) * 50_000) }));
    const lateIds = new Set(late.map((e) => e.uuid));
    const all = [...gen.events, ...late];
    const before = (e: LogEvent, t: number) => Date.parse(e.published) < t;
    let org: FakeOrg;
    let cache: string;
    let env: Record<string, string>;
    const at = (t: number) => ({ ...env, OKTA_MAU_NOW: iso(t) });

    beforeEach(async () => {
      org = await startFakeOrg({ events: all.filter((e) => before(e, t1) && !lateIds.has(e.uuid)) });
      cache = freshCache();
      env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache });
    });
    afterEach(() => org.close());
    const file = () => join(cache, `127.0.0.1_${new URL(org.url).port}`, `${MONTH}.json`);
    const publishUpTo = (t: number) => org.appendEvents(all.filter((e) => lateIds.has(e.uuid) || (!before(e, t1) && before(e, t))));

    it('fetches only from the overlap on, picks up new and late events, and prints what a full count prints', async () => {
      const first = ok(await runCli(['count', '--org-url', org.url, '--format', 'json'], at(t1)));
      assert.equal(JSON.parse(first.stdout).month, MONTH, 'OKTA_MAU_NOW chose the current month');
      const cached = JSON.parse(readFileSync(file(), 'utf8'));
      assert.equal(cached.formatVersion, 1);
      assert.equal(cached.report.fetchedUntil, iso(t1));

      publishUpTo(t2);
      const seen = org.requests.length;
      const refreshed = ok(await runCli(['count', '--org-url', org.url, '--format', 'json', '--since-last'], at(t2)));
      assert.equal(refreshed.stderr, '', 'a scheduled run is silent');
      const refreshRequests = org.requests.slice(seen).filter((r) => r.endpoint === 'logs');
      const sinces = refreshRequests.map((r) => r.query.since).filter((s) => s !== undefined);
      assert.ok(sinces.length > 0, 'the refresh asked for a time range');
      for (const s of sinces) assert.ok(s >= iso(t1 - OVERLAP), `nothing before the overlap is fetched again (since=${s})`);

      const truth = groundTruth(all, { since: monthBounds(MONTH).since, until: t2 });
      const doc = JSON.parse(refreshed.stdout);
      assert.equal(doc.mau, truth.mau);
      assert.equal(doc.events, truth.events, 'the late events were counted, none twice');
      assert.equal(JSON.parse(readFileSync(file(), 'utf8')).report.incremental, true, 'the cache holds the refreshed report');

      const seenFull = org.requests.length;
      const full = ok(await runCli(['count', '--org-url', org.url, '--format', 'json', '--no-cache'], at(t2)));
      assert.deepEqual(countedPart(refreshed.stdout), countedPart(full.stdout));
      const fullRequests = org.requests.length - seenFull;
      assert.ok(refreshRequests.length < fullRequests, `refresh: ${refreshRequests.length} requests, full count: ${fullRequests}`);
    });

    it('counts the whole month when nothing is cached, saying so only with --verbose', async () => {
      const quiet = ok(await runCli(['count', '--org-url', org.url, '--format', 'json', '--since-last'], at(t1)));
      assert.equal(quiet.stderr, '');
      assert.equal(JSON.parse(quiet.stdout).mau, groundTruth(all.filter((e) => !lateIds.has(e.uuid)), { since: monthBounds(MONTH).since, until: t1 }).mau);
      rmSync(file());
      const loud = ok(await runCli(['count', '--org-url', org.url, '--format', 'json', '--since-last', '--verbose'], at(t1)));
      assert.match(loud.stderr, new RegExp(`^okta-mau: no earlier count of ${MONTH} in .*: counting the whole month$`, 'm'));
    });

    it('warns about a corrupt cache file, counts the whole month, and keeps the file aside', async () => {
      mkdirSync(join(file(), '..'), { recursive: true });
      writeFileSync(file(), '{"formatVersion":1,"report":{"orgUrl":');
      publishUpTo(t2);
      const r = ok(await runCli(['count', '--org-url', org.url, '--format', 'json', '--since-last'], at(t2)));
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(lines[0], /^okta-mau: warning: ignored .*2026-06\.json: it is not valid JSON; counting the whole month$/);
      assert.match(lines[1], /^okta-mau: warning: .*2026-06\.json was unusable \(it is not valid JSON\): kept it as .*2026-06\.json\.unusable-\d+T\d+Z$/);
      assert.equal(JSON.parse(r.stdout).mau, groundTruth(all, { since: monthBounds(MONTH).since, until: t2 }).mau);
      const aside = readdirSync(join(file(), '..')).filter((f) => f.includes('.unusable-'));
      assert.equal(aside.length, 1);
      assert.equal(readFileSync(join(file(), '..', aside[0]), 'utf8'), '{"formatVersion":1,"report":{"orgUrl":', 'never deleted');
      assert.equal(JSON.parse(readFileSync(file(), 'utf8')).report.mau, JSON.parse(r.stdout).mau, 'a good report took its place');
    });

    it('leaves the cached report alone when a run fails or with --no-cache', async () => {
      ok(await runCli(['count', '--org-url', org.url], at(t1)));
      const saved = readFileSync(file(), 'utf8');
      publishUpTo(t2);
      org.injectFault({ kind: 'revoked', endpoint: 'logs' });
      const failed = await runCli(['count', '--org-url', org.url, '--since-last'], at(t2));
      assert.equal(failed.code, 3, failed.stderr);
      assert.equal(readFileSync(file(), 'utf8'), saved);
      ok(await runCli(['count', '--org-url', org.url, '--no-cache'], at(t2)));
      assert.equal(readFileSync(file(), 'utf8'), saved);
    });
  });

  describe('past months and history', () => {
    // Three months of one org: the same seed gives the same user ids, so later months share users.
    const specs = [
      { month: '2026-04', users: 90, sessions: 500 },
      { month: '2026-05', users: 110, sessions: 700 },
      { month: '2026-06', users: 140, sessions: 900 },
    ];
    const events = specs.flatMap((s) =>
      generateMonth({ ...s, seed: 41, edges: false }).events.map((e) => ({ ...e, uuid: `${s.month}-${e.uuid}` })),
    );
    const truth = (month: string) => groundTruth(events, monthBounds(month));
    // Mid-July: April began more than 90 days before, so its count is partial; May and June are whole.
    const JULY = '2026-07-10T00:00:00Z';
    let org: FakeOrg;
    let cache: string;
    let env: Record<string, string>;

    before(async () => {
      org = await startFakeOrg({ events });
      cache = freshCache();
      env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: JULY });
      // --cache-dir is how a user points both commands at one place.
      for (const { month } of specs) ok(await runCli(['count', '--org-url', org.url, '--month', month, '--cache-dir', cache], env));
    });
    after(() => org?.close());

    it('lists every cached month, oldest first, with MAU, change and new versus returning users', async () => {
      const noCredential = cliEnv();
      const requests = org.stats.requests;
      const r = ok(await runCli(['history', '--org-url', org.url, '--cache-dir', cache, '--format', 'json'], noCredential));
      assert.equal(org.stats.requests, requests, 'history makes no request');
      const rows = JSON.parse(r.stdout);
      assert.deepEqual(rows.map((x: { month: string }) => x.month), ['2026-04', '2026-05', '2026-06']);
      assert.deepEqual(rows.map((x: { complete: boolean }) => x.complete), [false, true, true]);
      for (let i = 0; i < specs.length; i++) {
        const now = truth(specs[i].month);
        assert.equal(rows[i].mau, now.mau, specs[i].month);
        assert.equal(rows[i].incremental, false);
        assert.equal(rows[i].toDate, false);
        if (i === 0) {
          assert.deepEqual([rows[0].change, rows[0].newUsers, rows[0].returning], [null, null, null], 'no month before April is cached');
          continue;
        }
        const prev = truth(specs[i - 1].month);
        const returning = Object.keys(now.users).filter((id) => id in prev.users).length;
        assert.ok(returning > 0 && returning < now.mau, 'the fixture has both kinds of users');
        assert.equal(rows[i].change, now.mau - prev.mau);
        assert.equal(rows[i].returning, returning);
        assert.equal(rows[i].newUsers, now.mau - returning);
        assert.equal(rows[i].lapsed, prev.mau - returning);
      }
    });

    it('prints history as a table and as CSV, reading the directory from OKTA_MAU_CACHE_DIR', async () => {
      const env2 = cliEnv({ OKTA_MAU_CACHE_DIR: cache });
      const table = ok(await runCli(['history', '--org-url', org.url], env2));
      const may = truth('2026-05');
      const june = truth('2026-06');
      const returning = Object.keys(june.users).filter((id) => id in may.users).length;
      assert.match(table.stdout, /^2026-04 +\d+ +partial +\d{4}-\d\d-\d\d \d\d:\d\d UTC +full$/m);
      assert.match(table.stdout, new RegExp(`^2026-06 +${june.mau} +\\+${june.mau - may.mau} +${june.mau - returning} +${returning} +complete `, 'm'));
      const csv = ok(await runCli(['history', '--org-url', org.url, '--format', 'csv'], env2));
      const rows: Record<string, string>[] = parse(csv.stdout, { columns: true });
      assert.deepEqual(rows.map((x) => [x.month, Number(x.mau), x.complete]), [
        ['2026-04', truth('2026-04').mau, 'false'],
        ['2026-05', may.mau, 'true'],
        ['2026-06', june.mau, 'true'],
      ]);
    });

    it('keeps a complete month complete when a later count of it would be partial', async () => {
      const path = join(cache, `127.0.0.1_${new URL(org.url).port}`, '2026-05.json');
      const saved = readFileSync(path, 'utf8');
      const later = ok(await runCli(['count', '--org-url', org.url, '--month', '2026-05', '--cache-dir', cache], { ...env, OKTA_MAU_NOW: '2026-10-01T00:00:00Z' }));
      assert.match(later.stdout, /partial/);
      assert.match(later.stderr, /^okta-mau: warning: not cached: the cached count of 2026-05 from \S+ is complete and this one is partial$/m);
      assert.equal(readFileSync(path, 'utf8'), saved);
    });

    it('writes private files (0600 in 0700 folders) that hold no credential', () => {
      const paths = walk(join(cache, '..'));
      assert.ok(paths.some((p) => p.endsWith('2026-06.json')));
      for (const p of paths) {
        const st = statSync(p);
        if (p === join(cache, '..')) continue; // made by the test, not by okta-mau
        assert.equal(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, p);
        if (st.isFile()) assert.ok(!readFileSync(p, 'utf8').includes(org.token), `${p} holds the token`);
      }
    });

    it('ignores a corrupt month in history with a warning and lists the rest', async () => {
      const copy = freshCache();
      const orgDir = join(copy, `127.0.0.1_${new URL(org.url).port}`);
      mkdirSync(orgDir, { recursive: true });
      for (const f of ['2026-05.json', '2026-06.json']) writeFileSync(join(orgDir, f), readFileSync(join(cache, `127.0.0.1_${new URL(org.url).port}`, f)));
      writeFileSync(join(orgDir, '2026-04.json'), JSON.stringify({ formatVersion: 7, report: {} }));
      const r = ok(await runCli(['history', '--org-url', org.url, '--cache-dir', copy, '--format', 'json'], cliEnv()));
      assert.match(r.stderr, /^okta-mau: warning: ignored .*2026-04\.json: it was written by a newer okta-mau \(format 7\)\n$/);
      assert.deepEqual(JSON.parse(r.stdout).map((x: { month: string }) => x.month), ['2026-05', '2026-06']);
    });

    it('exits 2 naming the org and the directory when nothing is cached, and --no-cache writes nothing', async () => {
      const empty = freshCache();
      const none = await runCli(['history', '--org-url', org.url, '--cache-dir', empty], cliEnv());
      assert.equal(none.code, 2);
      assert.equal(none.stderr, `okta-mau: no counts cached for ${org.url} in ${empty}: run okta-mau count first\n`);
      ok(await runCli(['count', '--org-url', org.url, '--month', '2026-06', '--no-cache'], { ...env, OKTA_MAU_CACHE_DIR: empty }));
      assert.throws(() => readdirSync(join(empty, '..')), /ENOENT/, 'not even the directory was made');
    });
  });
  describe('history --all: several orgs at once', () => {
    // Two orgs (production and preview, say) with their own users: June is counted in both, May in the first only.
    const gen = (seed: number, month: string, users: number) =>
      generateMonth({ month, seed, users, sessions: users * 5, edges: false }).events.map((e) => ({ ...e, uuid: `${seed}-${month}-${e.uuid}` }));
    const prodEvents = [...gen(51, '2026-05', 80), ...gen(51, '2026-06', 120)];
    const previewEvents = gen(52, '2026-06', 30);
    const JULY = '2026-07-10T00:00:00Z';
    let prod: FakeOrg;
    let preview: FakeOrg;
    let cache: string;

    before(async () => {
      prod = await startFakeOrg({ events: prodEvents });
      preview = await startFakeOrg({ events: previewEvents });
      cache = freshCache();
      const count = (org: FakeOrg, month: string) =>
        runCli(['count', '--org-url', org.url, '--month', month], cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_NOW: JULY, OKTA_MAU_CACHE_DIR: cache }));
      ok(await count(prod, '2026-05'));
      ok(await count(prod, '2026-06'));
      ok(await count(preview, '2026-06'));
    });
    after(async () => {
      await prod?.close();
      await preview?.close();
    });
    const orgs = () => [prod.url, preview.url].sort();

    it('gives each org\'s MAU of the last complete month and the total, with no credential and no request', async () => {
      const requests = prod.stats.requests + preview.stats.requests;
      const r = ok(await runCli(['history', '--all', '--format', 'json'], cliEnv({ OKTA_MAU_CACHE_DIR: cache, OKTA_MAU_NOW: JULY })));
      assert.equal(prod.stats.requests + preview.stats.requests, requests, 'history makes no request');
      assert.equal(r.stderr, '');
      const doc = JSON.parse(r.stdout);
      const mau = { [prod.url]: groundTruth(prodEvents, monthBounds('2026-06')).mau, [preview.url]: groundTruth(previewEvents, monthBounds('2026-06')).mau };
      assert.equal(doc.month, '2026-06');
      assert.deepEqual(doc.orgs.map((o: { orgUrl: string }) => o.orgUrl), orgs());
      for (const o of doc.orgs) {
        assert.equal(o.mau, mau[o.orgUrl], o.orgUrl);
        assert.deepEqual([o.complete, o.toDate, o.fetchedUntil], [true, false, '2026-07-01T00:00:00.000Z']);
        assert.match(o.countedAt, /^\d{4}-\d\d-\d\dT/);
      }
      assert.equal(doc.total, mau[prod.url] + mau[preview.url]);
    });

    it('prints a table with a total row and marks an org with no count of the month', async () => {
      const r = ok(await runCli(['history', '--all', '--month', '2026-05', '--cache-dir', cache], cliEnv()));
      const may = groundTruth(prodEvents, monthBounds('2026-05')).mau;
      const esc = (s: string) => s.replace(/[.]/g, '\\.');
      assert.match(r.stdout, /^MAU of 2026-05 by org$/m);
      assert.match(r.stdout, new RegExp(`^${esc(prod.url)} +${may} +complete +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`, 'm'));
      assert.match(r.stdout, new RegExp(`^${esc(preview.url)} +no count of 2026-05 cached$`, 'm'));
      assert.match(r.stdout, new RegExp(`^Total \\(1 of 2 orgs\\) +${may}$`, 'm'));
      assert.match(r.stdout, /a person is counted once per org/);
      const csv = ok(await runCli(['history', '--all', '--month', '2026-05', '--format', 'csv', '--cache-dir', cache], cliEnv()));
      const rows: Record<string, string>[] = parse(csv.stdout, { columns: true });
      assert.deepEqual(rows.map((x) => [x.orgUrl, x.mau]).sort(), [[prod.url, String(may)], [preview.url, '']].sort(), 'one row per org, no total row');
    });

    it('refuses --all with --org-url in one line, and exits 2 when no org has a count of the month', async () => {
      const both = await runCli(['history', '--all', '--org-url', prod.url, '--cache-dir', cache], cliEnv());
      assert.equal(both.code, 2);
      assert.equal(both.stderr, 'okta-mau: --all lists every org in the cache and --org-url names one: keep one\n');
      const none = await runCli(['history', '--all', '--month', '2026-04', '--cache-dir', cache], cliEnv());
      assert.equal(none.code, 2);
      assert.equal(none.stderr, `okta-mau: no org has a count of 2026-04 cached in ${cache} (2 orgs cached): run okta-mau count --month 2026-04 first\n`);
    });
  });
});
