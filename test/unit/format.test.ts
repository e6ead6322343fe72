import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, DEFAULT_TOP_USERS, formatReport, reportToCsv, reportToJson, reportToTable, UTF8_BOM, visibleControls } from '../../src/core/format';
import type { MauReport, UserActivity } from '../../src/core/types';

function user(i: number, sessions: number, extra: Partial<UserActivity> = {}): UserActivity {
  return {
    id: `00u${i}`,
    login: `user${i}@example.com`,
    displayName: `User ${i}`,
    sessions,
    activeDays: Math.min(sessions, 30),
    firstSeen: `2026-01-0${(i % 9) + 1}T08:00:00.000Z`,
    lastSeen: `2026-01-2${(i % 9) + 1}T17:30:00.000Z`,
    ...extra,
  };
}

function report(users: UserActivity[], extra: Partial<MauReport> = {}): MauReport {
  return {
    orgUrl: 'https://acme.okta.com',
    month: '2026-01',
    since: '2026-01-01T00:00:00.000Z',
    until: '2026-02-01T00:00:00.000Z',
    source: 'logs',
    eventTypes: ['user.session.start'],
    mau: users.length,
    complete: true,
    events: users.reduce((s, u) => s + u.sessions, 0),
    pages: 3,
    requests: 4,
    dailyActiveUsers: Array.from({ length: 31 }, (_, d) => d % 5),
    users,
    countedAt: '2026-02-03T10:00:00.000Z',
    durationMs: 4321,
    ...extra,
  };
}

describe('report formats', () => {
  describe('reportToJson', () => {
    it('holds the whole report with users most sessions first, ties by login', () => {
      const r = report([user(1, 2), user(3, 9), user(2, 9)]);
      const doc = JSON.parse(reportToJson(r));
      assert.equal(doc.orgUrl, 'https://acme.okta.com');
      assert.equal(doc.month, '2026-01');
      assert.equal(doc.since, '2026-01-01T00:00:00.000Z');
      assert.equal(doc.until, '2026-02-01T00:00:00.000Z');
      assert.equal(doc.mau, 3);
      assert.equal(doc.complete, true);
      assert.equal(doc.events, 20);
      assert.equal(doc.pages, 3);
      assert.equal(doc.requests, 4);
      assert.equal(doc.source, 'logs');
      assert.deepEqual(doc.eventTypes, ['user.session.start']);
      assert.equal(doc.dailyActiveUsers.length, 31);
      assert.equal(doc.durationMs, 4321);
      assert.equal(doc.countedAt, '2026-02-03T10:00:00.000Z');
      assert.equal('partialReason' in doc, false);
      assert.deepEqual(
        doc.users.map((u: UserActivity) => [u.id, u.sessions]),
        [['00u2', 9], ['00u3', 9], ['00u1', 2]],
      );
      assert.deepEqual(Object.keys(doc.users[0]), ['id', 'login', 'displayName', 'sessions', 'activeDays', 'firstSeen', 'lastSeen']);
    });

    it('carries the partial reason and last client when present', () => {
      const r = report([user(1, 1, { lastClient: { ipAddress: '10.0.0.1', country: 'France' } })], {
        complete: false,
        partialReason: 'Only from 2026-01-10: older events are past the 90-day retention.',
      });
      const doc = JSON.parse(reportToJson(r));
      assert.equal(doc.complete, false);
      assert.match(doc.partialReason, /90-day retention/);
      assert.deepEqual(doc.users[0].lastClient, { ipAddress: '10.0.0.1', country: 'France' });
    });
  });

  describe('reportToCsv', () => {
    it('writes a header and one row per user in session order', () => {
      const r = report([
        user(1, 2, { lastClient: { ipAddress: '192.0.2.7', country: 'Canada', city: 'Toronto', browser: 'CHROME', os: 'Mac OS X', device: 'Computer' } }),
        user(2, 5),
      ]);
      const lines = reportToCsv(r).trimEnd().split('\n');
      assert.equal(lines[0], CSV_COLUMNS.join(','));
      assert.equal(lines.length, 3);
      assert.equal(lines[1], '00u2,user2@example.com,User 2,5,5,2026-01-03T08:00:00.000Z,2026-01-23T17:30:00.000Z,,,,,,');
      assert.equal(
        lines[2],
        '00u1,user1@example.com,User 1,2,2,2026-01-02T08:00:00.000Z,2026-01-22T17:30:00.000Z,192.0.2.7,Canada,CHROME,Mac OS X,Toronto,Computer',
      );
    });

    it('has a column for every detail the Users tree shows of a user, city and device included', () => {
      // The tree's details (src/extension/tree/usersTree.ts): login, user ID, sessions, active days,
      // first and last seen, last client IP, location (city, country), browser, OS and device.
      assert.deepEqual([...CSV_COLUMNS], [
        'id', 'login', 'displayName', 'sessions', 'activeDays', 'firstSeen', 'lastSeen',
        'lastIp', 'lastCountry', 'lastBrowser', 'lastOs', 'lastCity', 'lastDevice',
      ]);
      const rows = parse(reportToCsv(report([user(1, 1, { lastClient: { city: 'São Paulo', country: 'Brasil', device: 'Mobile' } })])), { columns: true }) as Record<string, string>[];
      assert.equal(rows[0]!.lastCity, 'São Paulo');
      assert.equal(rows[0]!.lastCountry, 'Brasil');
      assert.equal(rows[0]!.lastDevice, 'Mobile');
    });

    it('starts with a UTF-8 byte order mark only when asked, so Excel reads non-ASCII names as UTF-8', () => {
      const r = report([user(1, 1, { displayName: 'Zoë Łukasz 漢字' })]);
      const plain = reportToCsv(r);
      const marked = reportToCsv(r, { byteOrderMark: true });
      assert.equal(UTF8_BOM, '\uFEFF');
      assert.equal(marked, UTF8_BOM + plain);
      assert.deepEqual([...Buffer.from(marked, 'utf8').subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.ok(!plain.startsWith(UTF8_BOM));
      const rows = parse(marked, { columns: true, bom: true }) as Record<string, string>[];
      assert.equal(rows[0]!.displayName, 'Zoë Łukasz 漢字');
      assert.equal(rows[0]!.id, '00u1', 'the mark is not part of the first header');
    });

    it('writes the columns asked for, in that order', () => {
      const csv = reportToCsv(report([user(1, 3, { lastClient: { city: 'Paris', os: 'Windows 10' } })]), { columns: ['login', 'lastCity', 'sessions'] });
      assert.equal(csv, 'login,lastCity,sessions\nuser1@example.com,Paris,3\n');
    });

    it('gives the command line\'s `--format csv` every column, the city and device last, and no byte order mark', () => {
      const r = report([user(1, 1, { lastClient: { city: 'Paris', device: 'Mobile' } })]);
      const csv = formatReport(r, 'csv');
      assert.equal(csv.split('\n')[0], 'id,login,displayName,sessions,activeDays,firstSeen,lastSeen,lastIp,lastCountry,lastBrowser,lastOs,lastCity,lastDevice');
      assert.ok(!csv.startsWith(UTF8_BOM));
      assert.equal(csv, reportToCsv(r));
    });

    it('quotes names holding commas, quotes and line breaks', () => {
      const r = report([user(1, 1, { displayName: 'Doe, "Jo"\nJr' })]);
      const csv = reportToCsv(r);
      assert.ok(csv.includes('"Doe, ""Jo""\nJr"'), csv);
    });

    it('writes only the header for a month without users', () => {
      assert.equal(reportToCsv(report([])), CSV_COLUMNS.join(',') + '\n');
    });

    it('puts a quote before every text cell a spreadsheet would run as a formula', () => {
      const leads = ['=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20'];
      const users = leads.map((c, i) =>
        user(i, 1, {
          id: `${c}id`,
          login: `${c}login`,
          displayName: `${c}HYPERLINK("https://evil.example","x")`,
          lastClient: { ipAddress: `${c}ip`, country: `${c}country`, city: `${c}city`, browser: `${c}browser`, os: `${c}os`, device: `${c}device` },
        }),
      );
      const rows = parse(reportToCsv(report(users)), { columns: true }) as Array<Record<string, string>>;
      assert.equal(rows.length, leads.length);
      for (const row of rows) {
        for (const column of ['id', 'login', 'displayName', 'lastIp', 'lastCountry', 'lastBrowser', 'lastOs', 'lastCity', 'lastDevice']) {
          // A tab or carriage return shows as a visible escape (inert text); every other lead gets the quote.
          if (/^\\x(09|0d)/.test(row[column])) continue;
          assert.ok(row[column].startsWith("'"), `${column}: ${JSON.stringify(row[column])}`);
          assert.ok(leads.includes(row[column][1]), `${column} keeps the text after the quote: ${JSON.stringify(row[column])}`);
        }
        assert.match(row.sessions, /^\d+$/, 'numbers are left as they are');
      }
    });
  });

  describe('visibleControls', () => {
    it('turns control characters, escape sequences and bidirectional controls into visible escapes', () => {
      assert.equal(visibleControls('\u001b[2JAnn\u001b]0;t\u0007'), '\\x1b[2JAnn\\x1b]0;t\\x07');
      assert.equal(visibleControls('a\rb\nc\td\u0000\u007f\u0085\u009b'), 'a\\x0db\\x0ac\\x09d\\x00\\x7f\\x85\\x9b');
      assert.equal(visibleControls('x\u202ey\u2066z\u200f\u2028'), 'x\\u202ey\\u2066z\\u200f\\u2028');
      assert.equal(visibleControls('Zoë Łukasz 漢字 🙂 DOMAIN\\ann'), 'Zoë Łukasz 漢字 🙂 DOMAIN\\ann', 'everything else as it is');
    });
  });

  describe('reportToTable', () => {
    it('summarises the org, window, MAU, status, events, pages and duration', () => {
      const users = Array.from({ length: 1234 }, (_, i) => user(i, 1));
      const text = reportToTable(report(users));
      assert.match(text, /^Org: +https:\/\/acme\.okta\.com$/m);
      assert.match(text, /^Month: +2026-01 \(2026-01-01T00:00:00\.000Z to 2026-02-01T00:00:00\.000Z, UTC\)$/m);
      assert.match(text, /^MAU: +1,234$/m);
      assert.match(text, /^Status: +complete$/m);
      assert.match(text, /^Events: +1,234 in 3 pages \(4 requests\)$/m);
      assert.match(text, /^Duration: +4\.3 s$/m);
    });

    it('says a count is partial and why', () => {
      const text = reportToTable(report([], { complete: false, partialReason: 'the month is still running' }));
      assert.match(text, /^Status: +partial \(the month is still running\)$/m);
      assert.doesNotMatch(text, /Top|All \d/);
    });

    it('lists the top 20 users by default, aligned, and all on request', () => {
      assert.equal(DEFAULT_TOP_USERS, 20);
      const users = Array.from({ length: 25 }, (_, i) => user(i, 100 - i));
      const text = reportToTable(report(users));
      assert.match(text, /^Top 20 of 25 users$/m);
      const rows = text.split('\n').filter((l) => /^ *\d+ {2}/.test(l));
      assert.equal(rows.length, 20);
      assert.match(rows[0], /^ 1 {2}user0@example\.com +User 0 +100 +30 {2}2026-01-21T17:30:00\.000Z$/);
      // Every row puts the Sessions column in the same place.
      const header = text.split('\n').find((l) => /^ *# /.test(l))!;
      const end = header.indexOf('Sessions') + 'Sessions'.length;
      for (const row of rows) assert.match(row.slice(end - 3, end), /^ *\d+$/);
      const all = reportToTable(report(users), { top: Infinity });
      assert.match(all, /^All 25 users$/m);
      assert.equal(all.split('\n').filter((l) => /^ *\d+ {2}/.test(l)).length, 25);
    });
  });

  it('shows names and logins with control characters as visible escapes in the table, aligned', () => {
    const r = report([user(1, 3, { displayName: '\u001b[2J\u001b]0;owned\u0007Ann', login: 'a\u202eb@example.com' }), user(2, 1)]);
    const text = reportToTable(r);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(text), JSON.stringify(text));
    const rows = text.split('\n').filter((l) => /^ *\d+ {2}/.test(l));
    assert.ok(rows[0].includes('a\\u202eb@example.com  \\x1b[2J\\x1b]0;owned\\x07Ann'), rows[0]);
    assert.equal(rows[0].indexOf('  3  '), rows[1].indexOf('  1  '), 'columns still line up');
  });

  it('says how many sign-in events could not be read, in JSON always and in the table when there were any', () => {
    const users = [{ id: '00u1', login: 'a@example.com', displayName: 'A', sessions: 1, activeDays: 1, firstSeen: '2026-10-01T00:00:00.000Z', lastSeen: '2026-10-01T00:00:00.000Z' }];
    assert.equal(JSON.parse(reportToJson(report(users, { skippedEvents: 3 }))).skippedEvents, 3);
    assert.equal(JSON.parse(reportToJson(report(users))).skippedEvents, 0);
    assert.match(reportToTable(report(users, { skippedEvents: 3 })), /^Skipped: {3}3 sign-in events that could not be read/m);
    assert.doesNotMatch(reportToTable(report(users)), /Skipped:/);
  });

  it('formatReport dispatches on the format name', () => {
    const r = report([user(1, 3)]);
    assert.equal(formatReport(r, 'json'), reportToJson(r));
    assert.equal(formatReport(r, 'csv'), reportToCsv(r));
    assert.equal(formatReport(r, 'table'), reportToTable(r));
  });
});

describe('CSV that may go to a terminal', () => {
  it('shows control characters in org data as visible escapes, keeping line breaks inside their quoted cell', () => {
    const csv = formatReport(
      {
        orgUrl: 'https://acme.okta.com', month: '2026-10', since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', source: 'logs', eventTypes: ['user.session.start'],
        mau: 1, complete: true, events: 1, pages: 1, requests: 1, dailyActiveUsers: [], countedAt: '2026-11-02T00:00:00.000Z', durationMs: 1,
        users: [{ id: 'u1', login: 'a\u001b]8;;https://evil\u0007b', displayName: 'line\nbreak\rover', sessions: 1, activeDays: 1, firstSeen: '2026-10-02T00:00:00.000Z', lastSeen: '2026-10-02T00:00:00.000Z' }],
      },
      'csv',
    );
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(csv), JSON.stringify(csv)); // eslint-disable-line no-control-regex
    assert.ok(csv.includes('a\\x1b]8;;https://evil\\x07b'), csv);
    assert.ok(csv.includes('"line\nbreak\\x0dover"'), csv);
  });
});

describe('the table of a month still running', () => {
  const running = {
    orgUrl: 'https://acme.okta.com', month: '2026-11', since: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z', fetchedUntil: '2026-11-15T12:00:00.000Z',
    source: 'logs' as const, eventTypes: ['user.session.start'], mau: 1200, complete: true, events: 9000, pages: 9, requests: 9, dailyActiveUsers: [],
    users: [], countedAt: '2026-11-15T12:00:01.000Z', durationMs: 1000,
  };
  it('says so far and up to when, never complete', () => {
    const table = reportToTable(running);
    assert.match(table, /^Status: {4}so far: the month is still running, counted to 2026-11-15 12:00 UTC$/m);
    assert.ok(!/complete/.test(table));
  });
  it('gives the projection under the MAU, or why there is none', () => {
    const projected = reportToTable(running, { projection: { kind: 'projected', estimate: 2400, low: 2300, high: 2550, byDay: 14.5, basedOn: ['2026-09', '2026-10'], method: 'share-by-elapsed-fraction' } });
    assert.match(projected, /^Projected: about 2,400 by 2026-11-30 \(2,300–2,550\), from 2 earlier months/m);
    const none = reportToTable(running, { projection: { kind: 'tooLittleHistory', reason: 'it needs 2 earlier months' } });
    assert.match(none, /^Projected: none yet \(it needs 2 earlier months\)$/m);
  });
  it('gives the projection in the JSON too, or why there is none, and nothing when not asked', () => {
    const projection = { kind: 'projected' as const, estimate: 2400, low: 2300, high: 2550, byDay: 14.5, basedOn: ['2026-09', '2026-10'], method: 'share-by-elapsed-fraction' as const };
    assert.deepEqual(JSON.parse(reportToJson(running, { projection })).projection, {
      estimate: 2400, low: 2300, high: 2550, by: '2026-11-30', byDay: 14.5, basedOn: ['2026-09', '2026-10'], method: 'share-by-elapsed-fraction',
    });
    assert.deepEqual(JSON.parse(formatReport(running, 'json', { projection: { kind: 'tooLittleHistory', reason: 'it needs 2 earlier months' } })).projection, { none: 'it needs 2 earlier months' });
    assert.equal(JSON.parse(reportToJson(running, { projection: { kind: 'notRunning' } })).projection, undefined);
    assert.equal(JSON.parse(reportToJson(running)).projection, undefined);
  });
});
