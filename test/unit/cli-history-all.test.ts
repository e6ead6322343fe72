/**
 * `okta-mau history --all`: one month of every org in the cache, and their total. The formatting is
 * pure (reports in, text out); the org listing reads a real directory of cache files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { listCachedOrgs, orgCacheKey, saveReport } from '../../src/cli/cache';
import { formatOrgsMonth, orgsMonth } from '../../src/cli/history';
import type { MauReport, UserActivity } from '../../src/core/types';

const PROD = 'https://acme.okta.com';
const PREVIEW = 'https://acme.oktapreview.com';
const EU = 'https://acme-eu.okta-emea.com';
const LOGS = { source: 'logs' as const };

function user(id: string): UserActivity {
  return { id, login: `${id}@example.com`, displayName: id, sessions: 1, activeDays: 1, firstSeen: '2026-05-02T08:00:00.000Z', lastSeen: '2026-05-02T08:00:00.000Z', dayMask: 2 };
}

function report(orgUrl: string, month: string, mau: number, extra: Partial<MauReport> = {}): MauReport {
  const [y, m] = month.split('-').map(Number);
  const ids = Array.from({ length: mau }, (_, i) => `00u${i}`);
  return {
    orgUrl,
    month,
    since: new Date(Date.UTC(y, m - 1, 1)).toISOString(),
    until: new Date(Date.UTC(y, m, 1)).toISOString(),
    fetchedUntil: new Date(Date.UTC(y, m, 1)).toISOString(),
    source: 'logs',
    eventTypes: ['user.session.start'],
    mau,
    complete: true,
    events: mau,
    pages: 1,
    requests: 1,
    dailyActiveUsers: [],
    users: ids.map(user),
    countedAt: '2026-06-02T06:00:00.000Z',
    durationMs: 5,
    ...extra,
  };
}

describe('okta-mau history --all: one month of every org', () => {
  const running = report(EU, '2026-05', 7, { fetchedUntil: '2026-05-20T12:30:00.000Z', countedAt: '2026-05-20T12:30:01.000Z' });
  const doc = orgsMonth('2026-05', [
    { orgUrl: PROD, report: report(PROD, '2026-05', 1200) },
    { orgUrl: PREVIEW },
    { orgUrl: EU, report: running },
  ]);

  it('sums the MAU of the orgs that have a count and marks the others missing', () => {
    assert.equal(doc.total, 1207);
    assert.deepEqual(doc.orgs[1], { orgUrl: PREVIEW, missing: true });
    assert.deepEqual(doc.orgs[0], { orgUrl: PROD, mau: 1200, complete: true, toDate: false, fetchedUntil: '2026-06-01T00:00:00.000Z', countedAt: '2026-06-02T06:00:00.000Z' });
    assert.deepEqual(doc.orgs[2], { orgUrl: EU, mau: 7, complete: true, toDate: true, fetchedUntil: '2026-05-20T12:30:00.000Z', countedAt: '2026-05-20T12:30:01.000Z' });
  });

  it('prints JSON as { month, orgs, total }', () => {
    const json = JSON.parse(formatOrgsMonth(doc, 'json'));
    assert.deepEqual(Object.keys(json), ['month', 'orgs', 'total']);
    assert.equal(json.month, '2026-05');
    assert.deepEqual(json.orgs, doc.orgs);
    assert.equal(json.total, 1207);
  });

  it('prints a table row per org with its status, a total row and the per-org note', () => {
    const text = formatOrgsMonth(doc, 'table');
    assert.match(text, /^MAU of 2026-05 by org\n/);
    assert.match(text, /^https:\/\/acme\.okta\.com +1,200 +complete +2026-06-02 06:00 UTC$/m);
    assert.match(text, /^https:\/\/acme\.oktapreview\.com +no count of 2026-05 cached$/m);
    assert.match(text, /^https:\/\/acme-eu\.okta-emea\.com +7 +to 2026-05-20 12:30 UTC +2026-05-20 12:30 UTC$/m);
    assert.match(text, /^Total \(2 of 3 orgs\) +1,207$/m);
    assert.match(text, /a person is counted once per org/);
    assert.match(text, /same person in two orgs is two users, as Okta bills each org/);
    assert.match(text, /Orgs with no count of 2026-05 cached are not in the total/);
    assert.match(text, /the total may be low/, 'a to-date count is in the total');
    const lines = text.split('\n');
    const endOf = (prefix: string, value: string) => {
      const line = lines.find((l) => l.startsWith(prefix)) ?? '';
      const at = new RegExp(` ${value}( |$)`).exec(line);
      assert.ok(at, `${value} in ${line}`);
      return at.index + value.length + 1;
    };
    assert.equal(endOf(PROD, '1,200'), endOf('Total', '1,207'), 'MAU right-aligned with the total');
    assert.equal(endOf(EU, '7'), endOf('Total', '1,207'));
  });

  it('says nothing of missing or partial counts when every org has a whole count', () => {
    const text = formatOrgsMonth(orgsMonth('2026-05', [{ orgUrl: PROD, report: report(PROD, '2026-05', 3) }]), 'table');
    assert.match(text, /^Total \(1 of 1 org\) +3$/m);
    assert.doesNotMatch(text, /not in the total|may be low/);
    const partial = formatOrgsMonth(orgsMonth('2026-05', [{ orgUrl: PROD, report: report(PROD, '2026-05', 3, { complete: false }) }]), 'table');
    assert.match(partial, /^https:\/\/acme\.okta\.com +3 +partial /m);
    assert.match(partial, /may be low/);
  });

  it('prints CSV with one row per org and no total row', () => {
    const rows: Record<string, string>[] = parse(formatOrgsMonth(doc, 'csv'), { columns: true });
    assert.deepEqual(rows.map((r) => [r.month, r.orgUrl, r.mau, r.complete, r.toDate]), [
      ['2026-05', PROD, '1200', 'true', 'false'],
      ['2026-05', PREVIEW, '', '', ''],
      ['2026-05', EU, '7', 'true', 'true'],
    ]);
  });

  it('shows control characters in an org URL as visible escapes in the table', () => {
    const text = formatOrgsMonth({ month: '2026-05', orgs: [{ orgUrl: 'https://evil\x1b[2J.okta.com', missing: true }], total: 0 }, 'table');
    assert.ok(!text.includes('\x1b'));
    assert.match(text, /\\x1b\[2J/);
  });
});

describe('okta-mau cache: the orgs in a cache directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'okta-mau-orgs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists each org once, by the org URL its count files name, in order', () => {
    saveReport(dir, report(PREVIEW, '2026-04', 2), LOGS);
    saveReport(dir, report(PROD, '2026-05', 3), LOGS);
    saveReport(dir, report(PROD, '2026-04', 3), { source: 'events' });
    saveReport(dir, report('http://127.0.0.1:8080', '2026-05', 1), LOGS);
    assert.deepEqual(listCachedOrgs(dir), { orgUrls: ['http://127.0.0.1:8080', PROD, PREVIEW], unusable: [] });
  });

  it('is empty for a directory that does not exist, and skips folders with no count file', () => {
    assert.deepEqual(listCachedOrgs(join(dir, 'none')), { orgUrls: [], unusable: [] });
    mkdirSync(join(dir, 'acme.okta.com'));
    writeFileSync(join(dir, 'acme.okta.com', 'rate-limit.logs.0123456789ab.json'), '{}');
    writeFileSync(join(dir, 'stray-file'), 'x');
    assert.deepEqual(listCachedOrgs(dir), { orgUrls: [], unusable: [] });
  });

  it('takes the org URL from an older file when the newest is damaged, and names a folder none of whose files names its org', () => {
    saveReport(dir, report(PROD, '2026-04', 3), LOGS);
    writeFileSync(join(dir, orgCacheKey(PROD), '2026-05.json'), '{"formatVersion":1,');
    const other = join(dir, 'other.okta.com');
    mkdirSync(other);
    // A file naming an org of another folder, or a URL that is not an org URL as okta-mau writes it.
    writeFileSync(join(other, '2026-05.json'), JSON.stringify({ formatVersion: 1, report: { orgUrl: PROD } }));
    writeFileSync(join(other, '2026-04.json'), JSON.stringify({ formatVersion: 1, report: { orgUrl: 'https://other.okta.com/x\x1b' } }));
    assert.deepEqual(listCachedOrgs(dir), { orgUrls: [PROD], unusable: [{ path: other, reason: 'holds no count file that names its org' }] });
  });
});
