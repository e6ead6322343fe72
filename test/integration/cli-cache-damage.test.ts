/**
 * The cache under a full disk and after damage, as a scheduled `okta-mau` meets them: a save that
 * cannot be completed leaves the earlier file whole and says so in one line (the report is still
 * printed, exit 0), and a file damaged in any field a refresh reads is set aside with a warning while
 * the month is counted in full, instead of failing every run until someone deletes it by hand.
 * A file size limit (`ulimit -f`) stands in for the full disk: writes past it fail with EFBIG.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMonth, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, CLI, cliEnv, lastCompleteMonth, ROOT, runCli, type CliResult } from './cli-harness';

/** The built CLI in a shell whose file size limit is `blocks` kilobytes (bash counts `ulimit -f` in 1024-byte blocks). */
function runCliWithFileSizeLimit(blocks: number, args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn('bash', ['-c', `ulimit -f ${blocks}; exec "$0" "$@"`, process.execPath, CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('okta-mau cache on a full disk and after damage', function () {
  this.timeout(60_000);
  const month = lastCompleteMonth();
  const { events, truth } = generateMonth({ month, seed: 53, users: 80, sessions: 600 });
  let org: FakeOrg;
  let work: string;
  let n = 0;
  const freshCache = () => join(work, `cache-${++n}`);
  const monthFile = (cache: string) => join(cache, `127.0.0.1_${new URL(org.url).port}`, `${month}.json`);

  before(async () => {
    buildCli();
    work = mkdtempSync(join(tmpdir(), 'okta-mau-damage-'));
    org = await startFakeOrg({ events });
  });
  after(async () => {
    await org?.close();
    rmSync(work, { recursive: true, force: true });
  });

  describe('a save that cannot be completed', () => {
    it('keeps the earlier cache file whole, prints the report and warns in one line (exit 0)', async () => {
      const cache = freshCache();
      const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache });
      const first = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
      assert.equal(first.code, 0, first.stderr);
      const good = readFileSync(monthFile(cache), 'utf8');
      assert.ok(good.length > 4 * 1024, `the report (${good.length} bytes) is larger than the limit below`);
      const countedAt = JSON.parse(good).report.countedAt as string;

      const r = await runCliWithFileSizeLimit(1, ['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
      assert.equal(r.signal, null, 'not killed by SIGXFSZ');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).mau, truth.mau, 'the report is printed in full');
      assert.equal(
        r.stderr,
        `okta-mau: warning: could not save the count in ${monthFile(cache)} (EFBIG): the file still holds the count made at ${countedAt}, which the next --since-last continues from\n`,
      );
      assert.equal(readFileSync(monthFile(cache), 'utf8'), good, 'the earlier file is intact');
      assert.deepEqual(readdirSync(join(monthFile(cache), '..')), [`${month}.json`], 'no temp file is left behind');

      const next = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json', '--since-last'], env);
      assert.equal(next.code, 0, next.stderr);
      assert.equal(next.stderr, '', 'the next run continues from the intact file');
      assert.equal(JSON.parse(next.stdout).mau, truth.mau);
    });

    it('leaves no truncated file when there was none before, and says the next run counts the whole month', async () => {
      const cache = freshCache();
      const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache });
      const r = await runCliWithFileSizeLimit(1, ['count', '--org-url', org.url, '--month', month, '--format', 'json'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).mau, truth.mau);
      assert.match(r.stderr, /^okta-mau: warning: could not save the count in .* \(EFBIG\): the next --since-last will count the whole month\n$/);
      assert.deepEqual(readdirSync(join(monthFile(cache), '..')), [], 'no file, whole or truncated');
    });
  });

  describe('a cache file damaged in a field a refresh reads', () => {
    type Doc = { formatVersion: number; report: Record<string, unknown> & { checkpoint: Record<string, unknown>; users: Array<Record<string, unknown>> } };
    const damages: Array<[string, string, (doc: Doc) => void]> = [
      ['a checkpoint time that is not a time', 'checkpoint', (d) => (d.report.checkpoint.overlapFrom = 'garbage')],
      ['a checkpoint without its uuids', 'checkpoint', (d) => delete d.report.checkpoint.overlapUuids],
      ['a checkpoint that is not an object', 'checkpoint', (d) => (d.report.checkpoint = 'x' as never)],
      ['no eventTypes', 'eventTypes', (d) => delete d.report.eventTypes],
      ['eventTypes that are not a list', 'eventTypes', (d) => (d.report.eventTypes = 'user.session.start')],
      ['a user whose first sign-in is not a time', 'user', (d) => (d.report.users[0].firstSeen = 'yesterday')],
      ['a user whose last sign-in is missing', 'user', (d) => delete d.report.users[1].lastSeen],
      ['a user whose day mask is not a number', 'user', (d) => (d.report.users[2].dayMask = '7')],
      ['a user whose sessions are not a count', 'user', (d) => (d.report.users[0].sessions = -1)],
      ['a user listed twice', 'list of users', (d) => (d.report.users[1] = { ...d.report.users[0] })],
      ['a fetchedUntil that is not a time', 'fetchedUntil', (d) => (d.report.fetchedUntil = 'soon')],
      ['a countedAt that is not a time', 'countedAt', (d) => (d.report.countedAt = 'today')],
      ['an unknown source', 'source', (d) => (d.report.source = 'both')],
      ['an event count that is not a count', 'events', (d) => (d.report.events = 'many')],
    ];
    let good: string;
    before(async () => {
      const cache = freshCache();
      const r = await runCli(['count', '--org-url', org.url, '--month', month], cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache }));
      assert.equal(r.code, 0, r.stderr);
      good = readFileSync(monthFile(cache), 'utf8');
    });

    for (const [what, field, damage] of damages) {
      it(`sets aside a file with ${what}, warns, and counts the month in full`, async () => {
        const cache = freshCache();
        const env = cliEnv({ OKTA_API_TOKEN: org.token, OKTA_MAU_CACHE_DIR: cache });
        // Made by a count, so the folder and its modes are okta-mau's own; then damaged.
        assert.equal((await runCli(['count', '--org-url', org.url, '--month', month], env)).code, 0);
        const doc = JSON.parse(good) as Doc;
        damage(doc);
        const damaged = JSON.stringify(doc);
        writeFileSync(monthFile(cache), damaged);

        const r = await runCli(['count', '--org-url', org.url, '--month', month, '--format', 'json', '--since-last'], env);
        assert.equal(r.code, 0, r.stderr);
        const lines = r.stderr.trimEnd().split('\n');
        assert.match(lines[0], new RegExp(`^okta-mau: warning: ignored .*${month}\\.json: it holds a report whose ${field}( \\S+)? is damaged; counting the whole month$`));
        assert.match(lines[1], new RegExp(`^okta-mau: warning: .*${month}\\.json was unusable \\(it holds a report whose ${field}( \\S+)? is damaged\\): kept it as .*\\.unusable-\\d+T\\d+Z$`));
        assert.equal(lines.length, 2, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.equal(report.mau, truth.mau);
        assert.equal(report.events, truth.events);
        const dir = join(monthFile(cache), '..');
        const aside = readdirSync(dir).filter((f) => f.includes('.unusable-'));
        assert.equal(aside.length, 1);
        assert.equal(readFileSync(join(dir, aside[0]), 'utf8'), damaged, 'kept as it was');
        const saved = JSON.parse(readFileSync(monthFile(cache), 'utf8')).report;
        assert.equal(saved.mau, truth.mau, 'a good report took its place');
        assert.equal(saved.incremental, false, 'from a full count');

        const history = await runCli(['history', '--org-url', org.url], env);
        assert.equal(history.code, 0, history.stderr);
        assert.equal(history.stderr, '');
      });
    }
  });
});
