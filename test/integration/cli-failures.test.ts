/**
 * How the built `okta-mau` fails: the exit code a script can branch on, and one line on stderr
 * that says what to fix and never holds a credential or a stack trace.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMonth, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, runCli, startCli, type CliResult } from './cli-harness';

/** Exactly one line, prefixed, without a stack frame. */
function assertOneLine(r: CliResult): string {
  assert.match(r.stderr, /^okta-mau: [^\n]+\n$/, `stderr: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  return r.stderr;
}

const until = (pred: () => boolean, ms: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = (): void => {
      if (pred()) resolve();
      else if (Date.now() - start > ms) reject(new Error('timed out waiting'));
      else setTimeout(tick, 20);
    };
    tick();
  });

describe('okta-mau failures', function () {
  this.timeout(60_000);
  const month = lastCompleteMonth();
  const { events } = generateMonth({ month, seed: 5, users: 60, sessions: 600 });
  const secondToken = '00Zx9SecondTokenForRevocationTest0123456789';
  let org: FakeOrg;

  before(async () => {
    buildCli();
    org = await startFakeOrg({ events, tokens: [`00ValidToken${'a'.repeat(30)}`, secondToken] });
  });
  after(async () => org?.close());

  describe('exit code 2: invalid usage or input, before any request', () => {
    const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
      ['a month 13', ['--month', '2026-13'], {}, /^okta-mau: --month must be YYYY-MM \(got "2026-13"\)\n$/],
      ['a month not started yet', ['--month', '2999-01'], {}, /^okta-mau: The month 2999-01 has not started yet/],
      ['a --source typo', ['--source', 'evnts'], {}, /^okta-mau: --source must be logs or events \(got "evnts"\)\n$/],
      ['a token on the command line', ['--token', '00SecretOnArgv'], {}, /credentials come from the environment only/],
    ];
    for (const [what, extra, envExtra, expected] of cases) {
      it(`for ${what}`, async () => {
        const before = org.stats.requests;
        const r = await runCli(['count', '--org-url', org.url, ...extra], cliEnv({ OKTA_API_TOKEN: org.token, ...envExtra }));
        assert.equal(r.code, 2);
        assert.match(assertOneLine(r), expected);
        assert.doesNotMatch(r.stderr, /00SecretOnArgv/);
        assert.equal(r.stdout, '');
        assert.equal(org.stats.requests, before, 'no request was made');
      });
    }

    it('for an org URL that is not https', async () => {
      const r = await runCli(['count', '--org-url', 'http://acme.okta.com'], cliEnv({ OKTA_API_TOKEN: 't' }));
      assert.equal(r.code, 2);
      assert.match(assertOneLine(r), /^okta-mau: --org-url must use https/);
    });

    it('for missing credentials', async () => {
      const r = await runCli(['count', '--org-url', org.url], cliEnv());
      assert.equal(r.code, 2);
      assert.match(assertOneLine(r), /^okta-mau: no credentials: set OKTA_API_TOKEN, or OKTA_CLIENT_ID \+ OKTA_PRIVATE_KEY/);
    });
  });

  describe('exit code 3: the credential is refused', () => {
    it('for a wrong token, without printing it', async () => {
      const wrong = '00WrongTokenThatMustNeverBePrinted42';
      const r = await runCli(['count', '--org-url', org.url, '--month', month], cliEnv({ OKTA_API_TOKEN: wrong }));
      assert.equal(r.code, 3);
      assertOneLine(r);
      assert.ok(!r.stderr.includes(wrong) && !r.stdout.includes(wrong), 'the token is not printed');
      assert.equal(r.stdout, '');
    });

    it('for a revoked token, in check as well as count', async () => {
      const env = cliEnv({ OKTA_API_TOKEN: secondToken });
      const ok = await runCli(['check', '--org-url', org.url], env);
      assert.equal(ok.code, 0, ok.stderr);
      org.revokeToken(secondToken);
      for (const args of [['check'], ['count', '--month', month]]) {
        const r = await runCli([...args, '--org-url', org.url], env);
        assert.equal(r.code, 3, `${args[0]}: ${r.stderr}`);
        assertOneLine(r);
        assert.ok(!r.stderr.includes(secondToken));
      }
    });
  });

  it('exit code 4: the API keeps failing after the retries', async () => {
    const failing = await startFakeOrg({ events });
    try {
      failing.injectFault({ kind: 'status', status: 500, times: 10_000 });
      const env = cliEnv({ OKTA_API_TOKEN: failing.token, OKTA_MAU_MAX_RETRIES: '2', OKTA_MAU_RETRY_BASE_MS: '1' });
      const r = await runCli(['count', '--org-url', failing.url, '--month', month], env);
      assert.equal(r.code, 4);
      // The host, Okta's own words and the request id support asks for.
      assert.match(assertOneLine(r), /^okta-mau: 127\.0\.0\.1:\d+ answered HTTP 500 E0000009: Internal Server Error \(request id [\w-]+\); gave up on events from \d{4}-\d\d-\d\d \d\d:\d\d to \d{4}-\d\d-\d\d \d\d:\d\d UTC after \d+ attempts\n$/);
      assert.ok(!r.stderr.includes(failing.token));
      assert.equal(r.stdout, '');
      assert.ok(failing.stats.requests >= 3, `retried (${failing.stats.requests} requests)`);
    } finally {
      await failing.close();
    }
  });

  it('exit code 4: the org cannot be reached', async () => {
    const gone = await startFakeOrg({ events });
    const url = gone.url;
    await gone.close();
    const env = cliEnv({ OKTA_API_TOKEN: 'whatever', OKTA_MAU_MAX_RETRIES: '1', OKTA_MAU_RETRY_BASE_MS: '1' });
    const r = await runCli(['count', '--org-url', url, '--month', month], env);
    assert.equal(r.code, 4);
    assert.match(assertOneLine(r), /^okta-mau: could not reach 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\); gave up on events from .* after 2 attempts\n$/);
  });

  it('exit code 130: Ctrl+C stops the requests and exits promptly', async () => {
    // Enough sign-ins for many pages: a quiet month is fetched in one request, leaving nothing to cancel.
    const busy = generateMonth({ month, seed: 6, users: 300, sessions: 20_000 }).events;
    const slow = await startFakeOrg({ events: busy, latencyMs: 400 });
    try {
      const cache = join(mkdtempSync(join(tmpdir(), 'okta-mau-cancel-')), 'cache');
      const env = cliEnv({ OKTA_API_TOKEN: slow.token, OKTA_MAU_CACHE_DIR: cache });
      const { child, done } = startCli(['count', '--org-url', slow.url, '--month', month, '--concurrency', '2'], env);
      await until(() => slow.stats.requests >= 1, 20_000); // the first page is in flight (400 ms)
      const sentAt = Date.now();
      child.kill('SIGINT');
      const r = await done;
      assert.equal(r.code, 130);
      assert.equal(r.stderr, 'okta-mau: cancelled\n');
      assert.equal(r.stdout, '');
      // Prompt, with room for a busy machine: a run that kept going would take many seconds more.
      assert.ok(Date.now() - sentAt < 5000, `exited ${Date.now() - sentAt} ms after SIGINT`);
      // Nothing more arrives once the process is gone, and the run did not finish in the background.
      const seen = slow.stats.requests;
      await new Promise((res) => setTimeout(res, 600));
      assert.equal(slow.stats.requests, seen);
      assert.ok(seen < 20, `stopped early (${seen} requests)`);
      assert.ok(!existsSync(cache), 'a cancelled count caches nothing');
      rmSync(join(cache, '..'), { recursive: true, force: true });
    } finally {
      await slow.close();
    }
  });

  it('a partial count in JSON still exits 0 and warns on stderr', async () => {
    // A month wholly past the 90-day retention: nothing is left to count, and the report says so.
    const old = new Date();
    old.setUTCMonth(old.getUTCMonth() - 5, 1);
    const oldMonth = old.toISOString().slice(0, 7);
    const r = await runCli(['count', '--org-url', org.url, '--month', oldMonth, '--format', 'json'], cliEnv({ OKTA_API_TOKEN: org.token }));
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.complete, false);
    assert.equal(doc.mau, 0);
    assert.match(r.stderr, /^okta-mau: warning: partial count: the System Log keeps 90 days/);
  });
});
