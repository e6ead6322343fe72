import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultCacheDir,
  listCachedReports,
  orgCacheKey,
  readCachedReport,
  reportPath,
  resolveCacheDir,
  saveReport,
} from '../../src/cli/cache';
import { clockFromEnv } from '../../src/cli/env';
import { definitionSuffix } from '../../src/core/definition';
import { countedUpTo } from '../../src/core/reportFacts';
import { formatHistory, historyRows } from '../../src/cli/history';
import { exitCodeFor } from '../../src/core/errors';
import type { MauReport, UserActivity } from '../../src/core/types';

const ORG = 'https://acme.okta.com';
const LOGS = { source: 'logs' as const };

function user(id: string): UserActivity {
  // Times as the core writes them: a cache file with anything else is damaged.
  return { id, login: `${id}@example.com`, displayName: id, sessions: 1, activeDays: 1, firstSeen: '2026-01-02T08:00:00.000Z', lastSeen: '2026-01-02T08:00:00.000Z', dayMask: 1 };
}

function report(month: string, ids: string[], extra: Partial<MauReport> = {}): MauReport {
  const [y, m] = month.split('-').map(Number);
  return {
    orgUrl: ORG,
    month,
    since: new Date(Date.UTC(y, m - 1, 1)).toISOString(),
    until: new Date(Date.UTC(y, m, 1)).toISOString(),
    fetchedUntil: new Date(Date.UTC(y, m, 1)).toISOString(),
    source: 'logs',
    eventTypes: ['user.session.start'],
    mau: ids.length,
    complete: true,
    events: ids.length,
    pages: 1,
    requests: 1,
    dailyActiveUsers: [],
    users: ids.map(user),
    countedAt: `${month}-28T10:00:00.000Z`,
    durationMs: 5,
    ...extra,
  };
}

describe('okta-mau cache location and names', () => {
  it('follows each platform\'s per-user cache folder', () => {
    assert.equal(defaultCacheDir({}, 'linux', '/home/ann'), '/home/ann/.cache/okta-mau');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/ann'), '/xdg/okta-mau');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/ann'), '/home/ann/.cache/okta-mau', 'a relative XDG path is ignored');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'darwin', '/Users/ann'), '/Users/ann/Library/Caches/okta-mau');
    assert.match(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', 'C:\\Users\\ann'), /^C:\\Users\\ann\\AppData\\Local.okta-mau$/);
    assert.equal(resolveCacheDir('/given', { XDG_CACHE_HOME: '/xdg' }), '/given');
    assert.equal(resolveCacheDir('rel', {}), join(process.cwd(), 'rel'));
  });

  it('names an org\'s folder by host and port, safe on every filesystem', () => {
    assert.equal(orgCacheKey('https://acme.okta.com'), 'acme.okta.com');
    assert.equal(orgCacheKey('http://127.0.0.1:8080'), '127.0.0.1_8080');
    assert.equal(orgCacheKey('http://[::1]:9000'), '__1_9000');
  });

  it('keeps counts under different definitions of "active" in different files', () => {
    assert.equal(definitionSuffix(LOGS), '');
    assert.equal(definitionSuffix({ source: 'logs', eventTypes: ['user.session.start'] }), '');
    assert.equal(definitionSuffix({ source: 'events' }), '.events');
    const sso = definitionSuffix({ source: 'logs', eventTypes: ['user.session.start', 'user.authentication.sso'] });
    assert.match(sso, /^\.logs-[0-9a-f]{10}$/);
    assert.equal(definitionSuffix({ source: 'logs', eventTypes: ['user.authentication.sso', 'user.session.start'] }), sso, 'order does not matter');
    assert.equal(reportPath('/c', ORG, '2026-01', { source: 'events' }), join('/c', 'acme.okta.com', '2026-01.events.json'));
  });
});

describe('okta-mau cache files', () => {
  let dir: string;
  beforeEach(() => (dir = join(mkdtempSync(join(tmpdir(), 'okta-mau-unit-')), 'cache')));
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('saves a report and reads the same report back, in private files', () => {
    const r = report('2026-03', ['a', 'b']);
    const saved = saveReport(dir, r, LOGS);
    assert.equal(saved.status, 'saved');
    assert.equal(statSync(saved.path).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'acme.okta.com')).mode & 0o777, 0o700);
    assert.deepEqual(readCachedReport(dir, ORG, '2026-03', LOGS), { status: 'ok', path: saved.path, report: r });
    assert.deepEqual(readdirSync(join(dir, 'acme.okta.com')), ['2026-03.json'], 'no temp file is left behind');
  });

  it('tells a missing file from an unusable one, without touching either', () => {
    assert.equal(readCachedReport(dir, ORG, '2026-03', LOGS).status, 'missing');
    const path = reportPath(dir, ORG, '2026-03', LOGS);
    mkdirSync(join(path, '..'), { recursive: true });
    const cases: Array<[string, string]> = [
      ['not json', 'is not valid JSON'],
      ['[1]', 'is not a cache file'],
      [JSON.stringify({ formatVersion: 2, report: report('2026-03', []) }), 'was written by a newer okta-mau (format 2)'],
      [JSON.stringify({ formatVersion: 1, report: report('2026-04', []) }), 'holds a count of another month (2026-04)'],
      [JSON.stringify({ formatVersion: 1, report: { ...report('2026-03', []), orgUrl: 'https://other.okta.com' } }), 'holds a count of another org (https://other.okta.com)'],
      [JSON.stringify({ formatVersion: 1, report: { ...report('2026-03', ['a']), mau: 2 } }), 'holds a report with missing fields'],
    ];
    for (const [text, reason] of cases) {
      writeFileSync(path, text);
      assert.deepEqual(readCachedReport(dir, ORG, '2026-03', LOGS), { status: 'unusable', path, reason }, text);
      assert.equal(readFileSync(path, 'utf8'), text);
    }
  });

  it('refuses a report damaged in any field a refresh or history reads, naming the field', () => {
    const path = reportPath(dir, ORG, '2026-03', LOGS);
    mkdirSync(join(path, '..'), { recursive: true });
    const good = report('2026-03', ['a', 'b'], { checkpoint: { overlapFrom: '2026-03-31T23:50:00.000Z', overlapUuids: ['e1'] }, skippedEvents: 0, incremental: true });
    writeFileSync(path, JSON.stringify({ formatVersion: 1, report: good }));
    assert.equal(readCachedReport(dir, ORG, '2026-03', LOGS).status, 'ok', 'the undamaged report is usable');
    type Damage = (r: Record<string, unknown> & { users: Array<Record<string, unknown>>; checkpoint: Record<string, unknown> }) => void;
    const damages: Array<[string, Damage]> = [
      ['month range', (r) => (r.since = '2026-03-01')],
      ['month range', (r) => (r.until = r.since)],
      ['countedAt', (r) => (r.countedAt = '2026-03-28T10:00:00.000Z\u001b]0;x\u0007')],
      ['fetchedUntil', (r) => (r.fetchedUntil = 'Invalid Date')],
      ['source', (r) => delete r.source],
      ['eventTypes', (r) => delete r.eventTypes],
      ['eventTypes', (r) => (r.eventTypes = [])],
      ['eventTypes', (r) => (r.eventTypes = [7])],
      ['events', (r) => (r.events = 1.5)],
      ['skippedEvents', (r) => (r.skippedEvents = null)],
      ['partialReason', (r) => (r.partialReason = {})],
      ['incremental', (r) => (r.incremental = 'yes')],
      ['checkpoint', (r) => (r.checkpoint = null as never)],
      ['checkpoint', (r) => (r.checkpoint.overlapFrom = '2026-02-30T00:00:00.000Z')],
      ['checkpoint', (r) => (r.checkpoint.overlapUuids = 'e1')],
      ['checkpoint', (r) => (r.checkpoint.overlapUuids = [1])],
      ['list of users', (r) => (r.users[1].id = 'a')],
      ['list of users', (r) => (r.users[1].id = '')],
      ['user a', (r) => (r.users[0].login = null)],
      ['user a', (r) => delete r.users[0].displayName],
      ['user a', (r) => (r.users[0].sessions = '1')],
      ['user a', (r) => (r.users[0].activeDays = 40)],
      ['user a', (r) => (r.users[0].firstSeen = '')],
      ['user b', (r) => (r.users[1].lastSeen = 'yesterday')],
      ['user b', (r) => (r.users[1].dayMask = -1)],
      ['user b', (r) => (r.users[1].dayMask = 2 ** 32)],
      ['user b', (r) => (r.users[1].lastClient = { ipAddress: 1 })],
      ['user b', (r) => (r.users[1].lastClient = 'chrome')],
    ];
    for (const [field, damage] of damages) {
      const damaged = JSON.parse(JSON.stringify(good));
      damage(damaged);
      const text = JSON.stringify({ formatVersion: 1, report: damaged });
      writeFileSync(path, text);
      assert.deepEqual(readCachedReport(dir, ORG, '2026-03', LOGS), { status: 'unusable', path, reason: `holds a report whose ${field} is damaged` }, damage.toString());
      assert.equal(readFileSync(path, 'utf8'), text, 'left as it was');
    }
  });

  it('names a foreign org or month shortly and with control characters made visible', () => {
    const path = reportPath(dir, ORG, '2026-03', LOGS);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ formatVersion: 1, report: { ...report('2026-03', []), orgUrl: `https://evil\u001b[2J${'x'.repeat(500)}` } }));
    const read = readCachedReport(dir, ORG, '2026-03', LOGS);
    assert.equal(read.status, 'unusable');
    assert.equal((read as { reason: string }).reason, `holds a count of another org (https://evil\\x1b[2J${'x'.repeat(83)}…)`);
  });

  it('renames an unusable file aside when a new count replaces it', () => {
    const path = reportPath(dir, ORG, '2026-03', LOGS);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'garbage');
    const saved = saveReport(dir, report('2026-03', ['a']), LOGS);
    assert.ok(saved.status === 'saved' && saved.setAside, 'set aside');
    assert.equal(saved.setAside.reason, 'is not valid JSON');
    assert.equal(readFileSync(saved.setAside.path, 'utf8'), 'garbage');
    assert.equal(readCachedReport(dir, ORG, '2026-03', LOGS).status, 'ok');
  });

  it('does not replace a complete count with a partial one, but does replace a partial one', () => {
    saveReport(dir, report('2026-03', ['a', 'b']), LOGS);
    const partial = report('2026-03', ['a'], { complete: false, partialReason: 'retention' });
    const kept = saveReport(dir, partial, LOGS);
    assert.equal(kept.status, 'kept');
    assert.equal((readCachedReport(dir, ORG, '2026-03', LOGS) as { report: MauReport }).report.mau, 2);
    rmSync(kept.path);
    saveReport(dir, partial, LOGS);
    assert.equal(saveReport(dir, report('2026-03', ['a', 'b', 'c']), LOGS).status, 'saved');
    assert.equal((readCachedReport(dir, ORG, '2026-03', LOGS) as { report: MauReport }).report.mau, 3);
  });

  it('lists one definition\'s months oldest first and reports the unusable ones', () => {
    saveReport(dir, report('2026-02', ['a']), LOGS);
    saveReport(dir, report('2025-12', ['a', 'b']), LOGS);
    saveReport(dir, report('2026-01', ['x'], { source: 'events' }), { source: 'events' });
    writeFileSync(join(dir, 'acme.okta.com', '2026-01.json'), '{');
    writeFileSync(join(dir, 'acme.okta.com', 'notes.txt'), 'mine');
    const listed = listCachedReports(dir, ORG, LOGS);
    assert.deepEqual(listed.reports.map((r) => r.month), ['2025-12', '2026-02']);
    assert.deepEqual(listed.unusable.map((u) => u.reason), ['is not valid JSON']);
    assert.deepEqual(listCachedReports(dir, ORG, { source: 'events' }).reports.map((r) => r.month), ['2026-01']);
    assert.deepEqual(listCachedReports(dir, 'https://other.okta.com', LOGS), { reports: [], unusable: [] });
  });
});

describe('okta-mau history rows', () => {
  const rows = historyRows([
    report('2026-03', ['a', 'b', 'c', 'd'], { countedAt: '2026-04-02T06:00:00.000Z' }),
    report('2026-01', ['a', 'b', 'z'], { complete: false, partialReason: 'retention' }),
    report('2026-02', ['a', 'c', 'y'], { incremental: true, fetchedUntil: '2026-02-20T10:15:00.000Z' }),
  ]);

  it('puts months oldest first with change and new, returning and lapsed users against the month before', () => {
    assert.deepEqual(
      rows.map((r) => [r.month, r.mau, r.change, r.newUsers, r.returning, r.lapsed, r.complete, r.toDate, r.incremental]),
      [
        ['2026-01', 3, null, null, null, null, false, false, false],
        ['2026-02', 3, 0, 2, 1, 2, true, true, true],
        ['2026-03', 4, 1, 2, 2, 1, true, false, false],
      ],
    );
  });

  it('leaves the comparison blank when the month before is missing', () => {
    const gap = historyRows([report('2026-01', ['a']), report('2026-03', ['a', 'b'])]);
    assert.deepEqual(gap.map((r) => r.change), [null, null]);
    assert.match(formatHistory(ORG, gap, 'table'), /need the month before in the cache/);
  });

  it('prints a table a person can read', () => {
    const lines = formatHistory(ORG, rows, 'table').split('\n');
    assert.equal(lines[0], `MAU history of ${ORG}`);
    assert.match(lines[2], /^Month +MAU +Change +New +Returning +Status +Counted at +Refresh$/);
    assert.match(lines[3], /^2026-01 +3 +partial +2026-01-28 10:00 UTC +full$/);
    assert.match(lines[4], /^2026-02 +3 +0 +2 +1 +to 2026-02-20 10:15 UTC +2026-02-28 10:00 UTC +incremental$/);
    assert.match(lines[5], /^2026-03 +4 +\+1 +2 +2 +complete +2026-04-02 06:00 UTC +full$/);
  });

  it('says a month in progress was counted up to the report\'s fetchedUntil, the instant the extension shows', () => {
    // A count that started at 03:57 (its "now", which it covered up to) and ended two minutes later.
    const live = report('2026-11', ['a'], { fetchedUntil: '2026-11-22T03:57:10.000Z', countedAt: '2026-11-22T03:59:30.000Z' });
    assert.equal(countedUpTo(live), live.fetchedUntil, 'what the extension\'s tree shows');
    assert.match(formatHistory(ORG, historyRows([live]), 'table'), /^2026-11 +1 +to 2026-11-22 03:57 UTC +2026-11-22 03:59 UTC +full$/m);
  });

  it('takes fetchedUntil as it is even when it lies after countedAt (a count run with OKTA_MAU_NOW ahead of the clock)', () => {
    const ahead = report('2026-11', ['a'], { fetchedUntil: '2026-11-22T04:02:00.000Z', countedAt: '2026-11-22T03:57:30.000Z' });
    assert.match(formatHistory(ORG, historyRows([ahead]), 'table'), /^2026-11 +1 +to 2026-11-22 04:02 UTC +2026-11-22 03:57 UTC +full$/m);
  });

  it('prints CSV and JSON with the same numbers', () => {
    const csv = formatHistory(ORG, rows, 'csv').trim().split('\n');
    assert.equal(csv[0], 'month,mau,complete,toDate,fetchedUntil,countedAt,incremental,change,newUsers,returning,lapsed');
    assert.equal(csv[1], '2026-01,3,false,false,2026-02-01T00:00:00.000Z,2026-01-28T10:00:00.000Z,false,,,,');
    assert.deepEqual(JSON.parse(formatHistory(ORG, rows, 'json')), JSON.parse(JSON.stringify(rows)));
  });
});

describe('okta-mau test clock', () => {
  it('reads OKTA_MAU_NOW as an ISO instant and refuses anything else with exit code 2', () => {
    assert.equal(clockFromEnv({}), undefined);
    assert.equal(clockFromEnv({ OKTA_MAU_NOW: '2026-06-15T00:00:00Z' })!().toISOString(), '2026-06-15T00:00:00.000Z');
    for (const bad of ['yesterday', '2026-06-15', '2026-13-45T00:00:00Z']) {
      assert.throws(() => clockFromEnv({ OKTA_MAU_NOW: bad }), (err) => exitCodeFor(err) === 2 && /OKTA_MAU_NOW must be an ISO 8601 instant/.test(String(err)));
    }
  });
});
