import assert from 'node:assert/strict';
import { parseCliArgs } from '../../src/cli/args';
import { HELP } from '../../src/cli/help';
import { definitionPreset } from '../../src/core/definitions';
import { DEFAULT_TOP_USERS } from '../../src/core/format';
import { rejection } from './cli-rejection';

const ORG = ['--org-url', 'https://acme.okta.com'];

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

  it('states the table\'s default number of users in --help from the same constant the table uses', () => {
    assert.match(HELP, new RegExp(`--all +table format: list every active user, not only the top ${DEFAULT_TOP_USERS}\\n`));
  });

  it('reads the cache options of count: --since-last, --cache-dir, --no-cache', () => {
    const req = parseCliArgs(['count', ...ORG, '--since-last', '--cache-dir', 'here']);
    assert.deepEqual([req.command, (req as { sinceLast: boolean }).sinceLast, (req as { cache: boolean }).cache, (req as { cacheDir?: string }).cacheDir], ['count', true, true, 'here']);
    const off = parseCliArgs(['count', ...ORG, '--no-cache'], { OKTA_MAU_CACHE_DIR: '/var/cache/okta-mau' });
    assert.deepEqual([(off as { cache: boolean }).cache, (off as { cacheDir?: string }).cacheDir], [false, '/var/cache/okta-mau']);
  });

  it('reads an inactive request: a month or a number of days, statuses, format and cache', () => {
    assert.deepEqual(parseCliArgs(['inactive', ...ORG]), { command: 'inactive', orgUrl: 'https://acme.okta.com', format: 'table', verbose: false, cache: true });
    assert.deepEqual(parseCliArgs(['inactive', ...ORG, '--month', '2026-10', '--format', 'csv', '--status', 'active', '--status', 'SUSPENDED', '--status', 'ACTIVE']), {
      command: 'inactive', orgUrl: 'https://acme.okta.com', month: '2026-10', format: 'csv', statuses: ['ACTIVE', 'SUSPENDED'], verbose: false, cache: true,
    });
    assert.deepEqual(parseCliArgs(['inactive', ...ORG, '--days', '90', '--no-cache']), { command: 'inactive', orgUrl: 'https://acme.okta.com', days: 90, format: 'table', verbose: false, cache: false });
  });

  for (const [what, argv, message] of [
    ['both a month and days', ['inactive', ...ORG, '--month', '2026-10', '--days', '30'], /^--month and --days ask two different questions: keep one$/],
    ['a status Okta does not have', ['inactive', ...ORG, '--status', 'ENABLED'], /^--status must be an Okta user status \(STAGED, .*; got "ENABLED"\)$/],
    ['days out of range', ['inactive', ...ORG, '--days', '0'], /^--days must be/],
    ['a count option', ['inactive', ...ORG, '--since-last'], /^--since-last does not apply to "okta-mau inactive"$/],
    ['--days on count', ['count', ...ORG, '--days', '30'], /^--days applies only to "okta-mau inactive"$/],
  ] as const) {
    it(`refuses ${what} with one line`, () => {
      assert.throws(() => parseCliArgs([...argv]), (err: Error) => message.test(err.message));
    });
  }

  it('reads a history request, taking the cache directory from the flag over OKTA_MAU_CACHE_DIR', () => {
    const env = { OKTA_MAU_CACHE_DIR: '/env/cache' };
    assert.deepEqual(parseCliArgs(['history', ...ORG, '--format', 'csv', '--cache-dir', '/flag/cache'], env), {
      command: 'history', orgUrl: 'https://acme.okta.com', format: 'csv', source: 'logs', cacheDir: '/flag/cache',
    });
    assert.deepEqual(parseCliArgs(['history', ...ORG, '--event-type', 'user.authentication.sso'], env), {
      command: 'history', orgUrl: 'https://acme.okta.com', format: 'table', source: 'logs', eventTypes: ['user.authentication.sso'], cacheDir: '/env/cache',
    });
  });

  it('reads history --all without an org, taking --month, --format and the definition options', () => {
    const env = { OKTA_MAU_CACHE_DIR: '/env/cache', OKTA_ORG_URL: 'https://env.okta.com' };
    assert.deepEqual(parseCliArgs(['history', '--all', '--month', '2026-05', '--format', 'json', '--source', 'events'], env), {
      command: 'history', allOrgs: true, month: '2026-05', format: 'json', source: 'events', cacheDir: '/env/cache',
    });
    assert.deepEqual(parseCliArgs(['history', '--all', '--event-type', 'user.authentication.sso', '--cache-dir', '/c']), {
      command: 'history', allOrgs: true, format: 'table', source: 'logs', eventTypes: ['user.authentication.sso'], cacheDir: '/c',
    });
  });

  describe('--definition', () => {
    const CI = definitionPreset('customer-identity').eventTypes;

    it('counts a preset: customer-identity by its event types, sign-ins as the default it is', () => {
      assert.deepEqual(parseCliArgs(['count', ...ORG, '--definition', 'customer-identity']), {
        command: 'count', orgUrl: 'https://acme.okta.com', format: 'table', source: 'logs', eventTypes: [...CI], allUsers: false, verbose: false, cache: true, sinceLast: false,
      });
      assert.deepEqual(parseCliArgs(['count', ...ORG, '--definition', 'sign-ins']), parseCliArgs(['count', ...ORG]));
      assert.deepEqual(parseCliArgs(['count', ...ORG, '--definition', 'sign-ins', '--source', 'events']), parseCliArgs(['count', ...ORG, '--source', 'events']));
    });

    it('lists the months of a definition in history and history --all', () => {
      assert.deepEqual(parseCliArgs(['history', ...ORG, '--definition', 'customer-identity']), {
        command: 'history', orgUrl: 'https://acme.okta.com', format: 'table', source: 'logs', eventTypes: [...CI],
      });
      assert.deepEqual(parseCliArgs(['history', '--all', '--definition', 'customer-identity', '--month', '2026-10']), {
        command: 'history', allOrgs: true, month: '2026-10', format: 'table', source: 'logs', eventTypes: [...CI],
      });
    });

    it('finds the inactive users of a month under a definition, custom ones included', () => {
      assert.deepEqual(parseCliArgs(['inactive', ...ORG, '--month', '2026-10', '--definition', 'customer-identity']), {
        command: 'inactive', orgUrl: 'https://acme.okta.com', month: '2026-10', eventTypes: [...CI], format: 'table', verbose: false, cache: true,
      });
      assert.deepEqual((parseCliArgs(['inactive', ...ORG, '--event-type', 'user.authentication.sso']) as { eventTypes?: string[] }).eventTypes, ['user.authentication.sso']);
      assert.equal('eventTypes' in parseCliArgs(['inactive', ...ORG, '--definition', 'sign-ins']), false);
    });

    const refused: Array<[string, string[], RegExp]> = [
      ['with --event-type', ['count', ...ORG, '--definition', 'customer-identity', '--event-type', 'user.session.start'], /^--definition and --event-type both say what counts as active: keep one \(--event-type alone is a custom definition\)$/],
      ['with --event-type on history', ['history', ...ORG, '--event-type', 'x.y', '--definition', 'sign-ins'], /^--definition and --event-type both say what counts as active: keep one/],
      ['with --event-type on history --all', ['history', '--all', '--definition', 'sign-ins', '--event-type', 'x.y'], /^--definition and --event-type both say/],
      ['an unknown one', ['count', ...ORG, '--definition', 'billing'], /^--definition must be sign-ins or customer-identity \(got "billing"\)$/],
      ['custom', ['count', ...ORG, '--definition', 'custom'], /^--definition custom is a list of event types: give them with --event-type instead$/],
      ['customer-identity from the Events API', ['count', ...ORG, '--definition', 'customer-identity', '--source', 'events'], /^--definition customer-identity counts System Log event types: not with --source events \(the Events API counts sign-ins only\)$/],
      ['a definition with --days', ['inactive', ...ORG, '--days', '30', '--definition', 'customer-identity'], /^--definition applies to --month \(the month's count says who was active\); --days reads Okta's lastLogin: drop --definition$/],
      ['event types with --days', ['inactive', ...ORG, '--days', '30', '--event-type', 'x.y'], /^--event-type applies to --month .*: drop --event-type$/],
      ['a definition on check', ['check', ...ORG, '--definition', 'sign-ins'], /^--definition applies only to "okta-mau count"$/],
      ['a missing value', ['count', ...ORG, '--definition'], /^--definition needs a value$/],
    ];
    for (const [what, argv, expected] of refused) {
      it(`refuses ${what} with one line and exit code 2`, () => {
        assert.match(rejection(() => parseCliArgs(argv)), expected);
      });
    }

    it('says in --help what each definition counts', () => {
      assert.match(HELP, /--definition <d> +What makes a user active: sign-ins .* or\n +customer-identity/);
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
    ['an unknown command', ['cont', ...ORG], /^unknown command "cont" \(commands: count, check, history, inactive\)$/],
    ['a stray argument', ['count', 'extra', ...ORG], /^unexpected argument "extra"/],
    ['a month on check', ['check', ...ORG, '--month', '2026-01'], /^--month applies only to "okta-mau count", "okta-mau inactive" and "okta-mau history --all"$/],
    ['a count option on check', ['check', ...ORG, '--format', 'csv'], /^--format applies only to "okta-mau count"$/],
    ['a value on a flag', ['count', ...ORG, '--all=yes'], /^--all takes no value$/],
    ['--since-last with --no-cache', ['count', ...ORG, '--since-last', '--no-cache'], /^--since-last continues from the cache: drop --no-cache$/],
    ['--cache-dir with --no-cache', ['count', ...ORG, '--cache-dir', '/tmp/x', '--no-cache'], /^--cache-dir and --no-cache contradict each other/],
    ['an empty --cache-dir', ['count', ...ORG, '--cache-dir', ' '], /^--cache-dir needs a directory$/],
    ['a cache option on check', ['check', ...ORG, '--since-last'], /^--since-last applies only to "okta-mau count"$/],
    ['a cache directory on check', ['check', ...ORG, '--cache-dir', '/tmp/x'], /^--cache-dir applies only to "okta-mau count" and "okta-mau history"$/],
    ['a month on one org\'s history', ['history', ...ORG, '--month', '2026-01'], /^--month applies only to "okta-mau count", "okta-mau inactive" and "okta-mau history --all"$/],
    ['--since-last on history', ['history', ...ORG, '--since-last'], /^--since-last applies only to "okta-mau count"$/],
    ['a history format typo', ['history', ...ORG, '--format', 'yaml'], /^--format must be table, json or csv/],
    ['--all with --org-url on history', ['history', '--all', ...ORG], /^--all lists every org in the cache and --org-url names one: keep one$/],
    ['a bad month on history --all', ['history', '--all', '--month', '2026-13'], /^--month must be YYYY-MM \(got "2026-13"\)$/],
    ['--since-last on history --all', ['history', '--all', '--since-last'], /^--since-last does not apply to "okta-mau history --all"$/],
    ['--days on history --all', ['history', '--all', '--days', '30'], /^--days does not apply to "okta-mau history --all"$/],
    ['a format typo on history --all', ['history', '--all', '--format', 'yaml'], /^--format must be table, json or csv/],
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
