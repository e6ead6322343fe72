import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { parseCliArgs } from '../../src/cli/args';
import { credentialsFromEnv, retryFromEnv } from '../../src/cli/env';
import { progressLine, ttyProgress } from '../../src/cli/progress';
import { exitCodeFor, describeError } from '../../src/core/errors';

const ORG = ['--org-url', 'https://acme.okta.com'];

/** Runs the parser expecting a rejection; returns the one-line message after asserting exit code 2. */
function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.equal(exitCodeFor(err), 2, `exit code for: ${String(err)}`);
    const message = describeError(err);
    assert.doesNotMatch(message, /\n/);
    return message;
  }
  assert.fail('expected an InvalidInputError');
}

describe('okta-mau argument parsing', () => {
  it('reads a full count request', () => {
    const req = parseCliArgs([
      'count', '--org-url', 'acme-admin.okta.com/', '--month', '2026-01', '--format', 'csv', '--event-type', 'user.session.start',
      '--event-type', 'user.authentication.sso', '--reserve', '33.5', '--concurrency', '4', '--all', '--verbose',
    ]);
    assert.deepEqual(req, {
      command: 'count',
      orgUrl: 'https://acme.okta.com',
      month: '2026-01',
      format: 'csv',
      source: 'logs',
      eventTypes: ['user.session.start', 'user.authentication.sso'],
      reservePercent: 33.5,
      maxConcurrency: 4,
      allUsers: true,
      verbose: true,
      cache: true,
      sinceLast: false,
    });
  });

  it('defaults to a table of the System Log for the current month', () => {
    assert.deepEqual(parseCliArgs(['count', ...ORG]), {
      command: 'count', orgUrl: 'https://acme.okta.com', format: 'table', source: 'logs', allUsers: false, verbose: false, cache: true, sinceLast: false,
    });
  });

  it('takes the org URL from OKTA_ORG_URL when the flag is absent, the flag winning otherwise', () => {
    const env = { OKTA_ORG_URL: 'https://env.okta.com' };
    assert.equal((parseCliArgs(['count'], env) as { orgUrl: string }).orgUrl, 'https://env.okta.com');
    assert.equal((parseCliArgs(['count', ...ORG], env) as { orgUrl: string }).orgUrl, 'https://acme.okta.com');
  });

  it('answers --help, -h, --version and -V without needing an org', () => {
    assert.deepEqual(parseCliArgs(['--help']), { command: 'help' });
    assert.deepEqual(parseCliArgs(['count', '-h']), { command: 'help' });
    assert.deepEqual(parseCliArgs(['--version']), { command: 'version' });
    assert.deepEqual(parseCliArgs(['-V']), { command: 'version' });
  });

  it('reads the cache options of count: --since-last, --cache-dir, --no-cache', () => {
    const req = parseCliArgs(['count', ...ORG, '--since-last', '--cache-dir', 'here']);
    assert.deepEqual([req.command, (req as { sinceLast: boolean }).sinceLast, (req as { cache: boolean }).cache, (req as { cacheDir?: string }).cacheDir], ['count', true, true, 'here']);
    const off = parseCliArgs(['count', ...ORG, '--no-cache'], { OKTA_MAU_CACHE_DIR: '/var/cache/okta-mau' });
    assert.deepEqual([(off as { cache: boolean }).cache, (off as { cacheDir?: string }).cacheDir], [false, '/var/cache/okta-mau']);
  });

  it('reads a history request, taking the cache directory from the flag over OKTA_MAU_CACHE_DIR', () => {
    const env = { OKTA_MAU_CACHE_DIR: '/env/cache' };
    assert.deepEqual(parseCliArgs(['history', ...ORG, '--format', 'csv', '--cache-dir', '/flag/cache'], env), {
      command: 'history', orgUrl: 'https://acme.okta.com', format: 'csv', source: 'logs', cacheDir: '/flag/cache',
    });
    assert.deepEqual(parseCliArgs(['history', ...ORG, '--event-type', 'user.authentication.sso'], env), {
      command: 'history', orgUrl: 'https://acme.okta.com', format: 'table', source: 'logs', eventTypes: ['user.authentication.sso'], cacheDir: '/env/cache',
    });
  });

  it('reads a check request', () => {
    assert.deepEqual(parseCliArgs(['check', ...ORG]), { command: 'check', orgUrl: 'https://acme.okta.com', verbose: false });
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['a month 13', ['count', ...ORG, '--month', '2026-13'], /^--month must be YYYY-MM \(got "2026-13"\)$/],
    ['a month without zero padding', ['count', ...ORG, '--month', '2026-1'], /^--month must be YYYY-MM \(got "2026-1"\)$/],
    ['a month with a day', ['count', ...ORG, '--month', '2026-01-05'], /--month must be YYYY-MM/],
    ['a missing month value', ['count', ...ORG, '--month'], /^--month needs a value$/],
    ['an unknown format', ['count', ...ORG, '--format', 'xml'], /^--format must be table, json or csv \(got "xml"\)$/],
    ['a source typo', ['count', ...ORG, '--source', 'log'], /^--source must be logs or events \(got "log"\)$/],
    ['a reserve over 90', ['count', ...ORG, '--reserve', '95'], /^--reserve must be a number from 0 to 90 \(got "95"\)$/],
    ['a reserve that is not a number', ['count', ...ORG, '--reserve', '20%'], /--reserve must be a number from 0 to 90/],
    ['a zero concurrency', ['count', ...ORG, '--concurrency', '0'], /^--concurrency must be a whole number from 1 to 32 \(got "0"\)$/],
    ['a fractional concurrency', ['count', ...ORG, '--concurrency', '2.5'], /--concurrency must be a whole number/],
    ['an event type with a quote', ['count', ...ORG, '--event-type', 'a" or 1'], /^--event-type must be a System Log event type/],
    ['event types with the Events API', ['count', ...ORG, '--source', 'events', '--event-type', 'x.y'], /--event-type applies only to --source logs/],
    ['a missing org URL', ['count'], /^--org-url is required \(or set OKTA_ORG_URL\)/],
    ['a plain-http org URL', ['count', '--org-url', 'http://acme.okta.com'], /^--org-url must use https/],
    ['an org URL with a path', ['count', '--org-url', 'https://acme.okta.com/app/x'], /^--org-url must not have a path/],
    ['an unknown option', ['count', ...ORG, '--mnth', '2026-01'], /^unknown option --mnth \(see okta-mau --help\)$/],
    ['no command', [...ORG], /^missing command/],
    ['an unknown command', ['cont', ...ORG], /^unknown command "cont" \(commands: count, check, history\)$/],
    ['a stray argument', ['count', 'extra', ...ORG], /^unexpected argument "extra"/],
    ['a count option on check', ['check', ...ORG, '--month', '2026-01'], /^--month applies only to "okta-mau count"$/],
    ['a value on a flag', ['count', ...ORG, '--all=yes'], /^--all takes no value$/],
    ['--since-last with --no-cache', ['count', ...ORG, '--since-last', '--no-cache'], /^--since-last continues from the cache: drop --no-cache$/],
    ['--cache-dir with --no-cache', ['count', ...ORG, '--cache-dir', '/tmp/x', '--no-cache'], /^--cache-dir and --no-cache contradict each other/],
    ['an empty --cache-dir', ['count', ...ORG, '--cache-dir', ' '], /^--cache-dir needs a directory$/],
    ['a cache option on check', ['check', ...ORG, '--since-last'], /^--since-last applies only to "okta-mau count"$/],
    ['a cache directory on check', ['check', ...ORG, '--cache-dir', '/tmp/x'], /^--cache-dir applies only to "okta-mau count" and "okta-mau history"$/],
    ['a month on history', ['history', ...ORG, '--month', '2026-01'], /^--month applies only to "okta-mau count"$/],
    ['--since-last on history', ['history', ...ORG, '--since-last'], /^--since-last applies only to "okta-mau count"$/],
    ['a history format typo', ['history', ...ORG, '--format', 'yaml'], /^--format must be table, json or csv/],
  ];
  for (const [what, argv, expected] of bad) {
    it(`refuses ${what} with one line and exit code 2`, () => {
      assert.match(rejection(() => parseCliArgs(argv)), expected);
    });
  }

  it('refuses an OKTA_ORG_URL that is not an org, naming the variable', () => {
    assert.match(rejection(() => parseCliArgs(['count'], { OKTA_ORG_URL: 'http://acme.okta.com' })), /^OKTA_ORG_URL must use https/);
  });

  for (const flag of ['--token', '--api-token', '--token=00abcSECRETvalue', '--private-key', '--client-secret', '--key']) {
    it(`refuses ${flag.split('=')[0]} on the command line, pointing to the environment, without echoing it`, () => {
      const message = rejection(() => parseCliArgs(['count', ...ORG, flag, 'xyzSECRET']));
      assert.match(message, /credentials come from the environment only \(OKTA_API_TOKEN/);
      assert.doesNotMatch(message, /SECRET/);
    });
  }
});

describe('okta-mau credentials from the environment', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'key-1' };
  const noFiles = (path: string): string => {
    throw new Error(`ENOENT ${path}`);
  };

  it('uses OKTA_API_TOKEN as an SSWS token, with or without the SSWS prefix, and lists it as a secret', () => {
    assert.deepEqual(credentialsFromEnv({ OKTA_API_TOKEN: ' 00tok ' }).auth, { mode: 'SSWS', token: '00tok' });
    const { auth, secrets } = credentialsFromEnv({ OKTA_API_TOKEN: 'SSWS 00tok' });
    assert.deepEqual(auth, { mode: 'SSWS', token: '00tok' });
    assert.ok(secrets.includes('00tok'));
  });

  it('reads a PEM key inline with OKTA_KEY_ID and optional scopes', () => {
    const { auth, secrets } = credentialsFromEnv({
      OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: pem, OKTA_KEY_ID: 'kid-9', OKTA_SCOPES: 'okta.logs.read okta.users.read',
    });
    assert.deepEqual(auth, { mode: 'PrivateKey', clientId: '0oa1', privateKey: pem.trim(), keyId: 'kid-9', scopes: ['okta.logs.read', 'okta.users.read'] });
    assert.ok(secrets.includes(pem.trim()));
    assert.ok(secrets.some((s) => pem.includes(s) && s.length >= 16 && !s.startsWith('-----')), 'PEM body lines are secrets');
  });

  it('reads a key from a file path and takes the key ID from the JWK kid', () => {
    const files: Record<string, string> = { '/keys/okta.json': JSON.stringify(jwk) };
    const { auth, secrets } = credentialsFromEnv({ OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '/keys/okta.json' }, (p) => files[p]);
    assert.equal(auth.mode, 'PrivateKey');
    assert.equal(auth.mode === 'PrivateKey' && auth.keyId, 'key-1');
    assert.equal(auth.mode === 'PrivateKey' && auth.privateKey, JSON.stringify(jwk));
    assert.ok(secrets.includes(jwk.d as string));
  });

  const badEnv: Array<[string, Record<string, string>, RegExp]> = [
    ['no credentials at all', {}, /^no credentials: set OKTA_API_TOKEN, or OKTA_CLIENT_ID \+ OKTA_PRIVATE_KEY/],
    ['both kinds of credential', { OKTA_API_TOKEN: 't0k3n', OKTA_CLIENT_ID: '0oa1' }, /both OKTA_API_TOKEN and OKTA_CLIENT_ID are set/],
    ['a client ID without a key', { OKTA_CLIENT_ID: '0oa1' }, /OKTA_PRIVATE_KEY is not: set it/],
    ['a key without a client ID', { OKTA_PRIVATE_KEY: 'x' }, /OKTA_CLIENT_ID is not/],
    ['a PEM without a key ID', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: 'PEM' }, /OKTA_KEY_ID is required with a PEM key/],
    ['an unreadable key path', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: 'MIIEvQIBADANBgkq' }, /^OKTA_PRIVATE_KEY must hold a PEM key, a JWK, or the path/],
    ['a broken JWK', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '{"kty":' }, /not valid JSON/],
    ['a public JWK', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '{"kty":"RSA","n":"x","e":"AQAB","kid":"k"}' }, /is a public JWK/],
    ['an EC JWK', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c","kid":"k"}' }, /must be an RSA private key \(JWK "kty" is "EC"\)/],
    ['an EC PEM', { OKTA_CLIENT_ID: '0oa1', OKTA_KEY_ID: 'k', OKTA_PRIVATE_KEY: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----' }, /is an EC key: use an RSA private key/],
    ['a certificate', { OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: '-----BEGIN CERTIFICATE-----\nabc', OKTA_KEY_ID: 'k' }, /must be a PEM private key/],
    ['a bad retry count', { OKTA_API_TOKEN: 't', OKTA_MAU_MAX_RETRIES: 'lots' }, /^OKTA_MAU_MAX_RETRIES must be a whole number from 0 to 20 \(got "lots"\)$/],
  ];
  for (const [what, env, expected] of badEnv) {
    it(`refuses ${what} with exit code 2`, () => {
      const keyed = { ...env, ...(env.OKTA_PRIVATE_KEY === 'PEM' ? { OKTA_PRIVATE_KEY: pem } : {}) };
      const message = rejection(() => {
        credentialsFromEnv(keyed, noFiles);
        retryFromEnv(keyed);
      });
      assert.match(message, expected);
      assert.doesNotMatch(message, /MIIEvQIBADANBgkq|t0k3n/);
    });
  }

  it('reads the retry knobs', () => {
    assert.equal(retryFromEnv({}), undefined);
    assert.deepEqual(retryFromEnv({ OKTA_MAU_MAX_RETRIES: '0', OKTA_MAU_RETRY_BASE_MS: '5' }), { maxRetries: 0, baseDelayMs: 5 });
  });
});

describe('okta-mau progress line', () => {
  const p = { pages: 12, requests: 13, events: 11800, users: 3412, covered: 0.4678, rateLimitWaitMs: 0 };

  it('reads as pages, events, users and share of the month', () => {
    assert.equal(progressLine(p, '2026-01'), 'page 12 · 11,800 events · 3,412 users · 46% of 2026-01');
  });

  it('mentions a rate-limit wait in whole seconds', () => {
    assert.equal(progressLine({ ...p, rateLimitWaitMs: 11200 }, '2026-01'), 'page 12 · 11,800 events · 3,412 users · 46% of 2026-01 · waiting 12 s for rate limit');
  });

  it('rewrites one line, at most every interval, and erases it when done', () => {
    const writes: string[] = [];
    let t = 0;
    const bar = ttyProgress({ write: (s) => (writes.push(s), true), columns: 30 }, '2026-01', 100, () => t);
    bar.update(p);
    t = 50;
    bar.update({ ...p, pages: 13 });
    t = 150;
    bar.update({ ...p, pages: 14 });
    bar.done();
    assert.deepEqual(writes, ['\r\x1b[2Kpage 12 · 11,800 events · 3,4', '\r\x1b[2Kpage 14 · 11,800 events · 3,4', '\r\x1b[2K']);
  });

  it('assumes 80 columns when the terminal reports none', () => {
    const writes: string[] = [];
    ttyProgress({ write: (s) => (writes.push(s), true), columns: 0 }, '2026-01').update(p);
    assert.equal(writes[0], `\r\x1b[2K${progressLine(p, '2026-01')}`);
  });
});
