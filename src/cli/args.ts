/**
 * Turns argv into a typed request, or an `InvalidInputError` whose message names the option to fix.
 * Pure: no I/O, so every rejection is unit-tested. Credentials are not read here (see env.ts).
 */
import { parseArgs } from 'node:util';
// Leaf modules rather than '../core': parsing must not load the Okta SDK.
import { InvalidInputError } from '../core/errors';
import { normalizeOrgUrl } from '../core/orgUrl';
import { DEFAULT_SOURCE, SOURCE_KINDS, sourceDefinition, sourceLabel } from '../core/sources';
import { definitionPreset, isPresetId, PRESET_IDS } from '../core/definitions';
import { CONCURRENCY_RANGE, RESERVE_PERCENT_RANGE, type Source } from '../core/types';
import { REPORT_FORMATS, type ReportFormat } from '../core/format';
import { USER_STATUSES } from '../core/userStatus';

export interface CountRequest {
  command: 'count';
  orgUrl: string;
  month?: string;
  format: ReportFormat;
  source: Source;
  eventTypes?: string[];
  reservePercent?: number;
  maxConcurrency?: number;
  /** Table format: list every user instead of the top `DEFAULT_TOP_USERS`. */
  allUsers: boolean;
  /** Print the request log (never secrets) on stderr. */
  verbose: boolean;
  /** `--cache-dir` or `OKTA_MAU_CACHE_DIR` as given; the platform default applies when absent. */
  cacheDir?: string;
  /** False with `--no-cache`: the cache is neither read nor written. */
  cache: boolean;
  /** Continue from the cached report of the same month, fetching only what was published since. */
  sinceLast: boolean;
}

/** `history --org-url`: the cached months of one org. */
export interface HistoryOrgRequest {
  command: 'history';
  orgUrl: string;
  format: ReportFormat;
  source: Source;
  eventTypes?: string[];
  cacheDir?: string;
}

/** `history --all`: one month of every org in the cache, and their total. */
export interface HistoryAllRequest {
  command: 'history';
  allOrgs: true;
  /** Default: the last complete UTC month. */
  month?: string;
  format: ReportFormat;
  source: Source;
  eventTypes?: string[];
  cacheDir?: string;
}

export type HistoryRequest = HistoryOrgRequest | HistoryAllRequest;

export interface CheckRequest {
  command: 'check';
  orgUrl: string;
  verbose: boolean;
}

export interface InactiveRequest {
  command: 'inactive';
  orgUrl: string;
  /** Users with no qualifying sign-in in this month (default: the last complete month)... */
  month?: string;
  /** With a month: the event types of the definition of "active" (`--definition`, `--event-type`); default sign-ins. */
  eventTypes?: string[];
  /** ...or, instead, users whose last sign-in is older than this many days. */
  days?: number;
  format: ReportFormat;
  /** Statuses that hold a licence; default `BILLABLE_STATUSES`. */
  statuses?: string[];
  verbose: boolean;
  cacheDir?: string;
  cache: boolean;
  /** `--from-scratch`: list every user, not only those changed since the cached listing (which the new one replaces). */
  fromScratch?: boolean;
}

export type CliRequest = { command: 'help' } | { command: 'version' } | CountRequest | CheckRequest | HistoryRequest | InactiveRequest;

const OPTIONS = {
  'org-url': { type: 'string' },
  month: { type: 'string' },
  format: { type: 'string' },
  source: { type: 'string' },
  'event-type': { type: 'string', multiple: true },
  definition: { type: 'string' },
  reserve: { type: 'string' },
  concurrency: { type: 'string' },
  days: { type: 'string' },
  status: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  'since-last': { type: 'boolean' },
  'from-scratch': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** What `parseArgs` gives for `OPTIONS`: strings, string lists for `multiple`, booleans for flags. */
type ParsedValues = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K] extends { type: 'boolean' } ? boolean : string;
};

/** The commands that take `--month`. */
const MONTH_COMMANDS = '"okta-mau count", "okta-mau inactive" and "okta-mau history --all"';

const COMMANDS = ['count', 'check', 'history', 'inactive'] as const;

/**
 * Flags that would put a secret on the command line, where `ps`, shell history and CI logs keep it.
 * They are refused by name before parsing, so the value is never echoed back.
 */
const SECRET_FLAG = /^--?(api[-_]?)?(token|key|private[-_]?key|client[-_]?secret|secret|password|ssws)(=|$)/i;

const fail = (message: string): never => {
  throw new InvalidInputError(message);
};

function refuseSecretFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') break;
    if (SECRET_FLAG.test(arg)) {
      const flag = arg.split('=')[0];
      fail(
        `${flag} is not accepted: credentials come from the environment only ` +
          '(OKTA_API_TOKEN, or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY + OKTA_KEY_ID)',
      );
    }
  }
}

/** Rewrites node:util's parse errors into our one-line style; shows option names only, never values. */
function parseError(err: unknown): never {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const name = /'(-[^' ]+)/.exec(message)?.[1]?.split('=')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return fail(`unknown option ${name ?? ''} (see okta-mau --help)`.replace('  ', ' '));
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return fail(
        message.includes('argument missing') ? `${name ?? 'an option'} needs a value` : `${name ?? 'an option'} takes no value`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return fail(`unexpected argument (see okta-mau --help)`);
    default:
      return fail('could not read the command line (see okta-mau --help)');
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return fail(`${flag} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')} (got "${value}")`);
}

function numberIn(flag: string, value: string | undefined, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const num = Number(trimmed);
  const ok = trimmed !== '' && Number.isFinite(num) && num >= min && num <= max && (!integer || Number.isInteger(num));
  if (!ok) fail(`${flag} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${value}")`);
  return num;
}

export function validMonth(value: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 2000;
}

function orgUrlFrom(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw = flag ?? env.OKTA_ORG_URL;
  if (raw === undefined || raw.trim() === '') {
    return fail('--org-url is required (or set OKTA_ORG_URL), e.g. --org-url https://acme.okta.com');
  }
  try {
    return normalizeOrgUrl(raw.trim());
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const source = flag !== undefined ? '--org-url' : 'OKTA_ORG_URL';
    // "The org URL must use https" reads better as "--org-url must use https".
    return fail(/^The (Okta )?org URL /.test(why) ? why.replace(/^The (Okta )?org URL/, source) : `${source}: ${why}`);
  }
}

export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliRequest {
  refuseSecretFlags(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    return parseError(err);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (positionals.length === 0) return fail('missing command: try "okta-mau count --org-url https://acme.okta.com"');
  const [command, ...extra] = positionals;
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return fail(`unknown command "${command}" (commands: ${COMMANDS.join(', ')})`);
  }
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}" (see okta-mau --help)`);

  if (command === 'history' && values.all) return historyAllRequest(values, env);
  const orgUrl = orgUrlFrom(values['org-url'], env);
  const verbose = values.verbose === true;
  const refuse = (keys: readonly (keyof typeof values)[], only: string) => {
    const stray = keys.find((k) => values[k] !== undefined);
    if (stray) fail(`--${stray} applies only to ${only}`);
  };
  const inactiveOnly = ['days', 'status', 'from-scratch'] as const;
  if (command !== 'inactive') refuse(inactiveOnly, '"okta-mau inactive"');
  if (command === 'inactive') return inactiveRequest(values, orgUrl, verbose, env);
  if (command === 'check') {
    refuse(['month'], MONTH_COMMANDS);
    refuse(['format', 'source', 'event-type', 'definition', 'reserve', 'concurrency', 'all', 'since-last', 'no-cache'], '"okta-mau count"');
    refuse(['cache-dir'], '"okta-mau count" and "okta-mau history"');
    return { command: 'check', orgUrl, verbose };
  }

  const format = oneOf('--format', values.format, REPORT_FORMATS, 'table');
  const source = oneOf('--source', values.source, SOURCE_KINDS, DEFAULT_SOURCE);
  const eventTypes = definitionTypes(values, source);
  const cacheDir = cacheDirFrom(values['cache-dir'], env);
  const definition = { source, ...(eventTypes ? { eventTypes } : {}), ...(cacheDir !== undefined ? { cacheDir } : {}) };
  if (command === 'history') {
    // history reads the cache only: options that shape a request to Okta would silently do nothing.
    refuse(['month'], MONTH_COMMANDS);
    refuse(['reserve', 'concurrency', 'all', 'since-last', 'no-cache', 'verbose'], '"okta-mau count"');
    return { command: 'history', orgUrl, format, ...definition };
  }

  const month = values.month;
  if (month !== undefined && !validMonth(month)) fail(`--month must be YYYY-MM (got "${month}")`);
  const cache = values['no-cache'] !== true;
  if (!cache && values['since-last']) fail('--since-last continues from the cache: drop --no-cache');
  if (!cache && values['cache-dir'] !== undefined) fail('--cache-dir and --no-cache contradict each other: keep one');
  return {
    command: 'count',
    orgUrl,
    ...(month !== undefined ? { month } : {}),
    format,
    ...definition,
    ...optional('reservePercent', numberIn('--reserve', values.reserve, RESERVE_PERCENT_RANGE.min, RESERVE_PERCENT_RANGE.max, false)),
    ...optional('maxConcurrency', numberIn('--concurrency', values.concurrency, CONCURRENCY_RANGE.min, CONCURRENCY_RANGE.max, true)),
    allUsers: values.all === true,
    verbose,
    cache,
    sinceLast: values['since-last'] === true,
  };
}

function historyAllRequest(values: ParsedValues, env: Readonly<Record<string, string | undefined>>): HistoryAllRequest {
  if (values['org-url'] !== undefined) fail('--all lists every org in the cache and --org-url names one: keep one');
  // Like history of one org, only what the cache holds: options that shape a request to Okta are refused.
  const stray = (['days', 'status', 'from-scratch', 'reserve', 'concurrency', 'since-last', 'no-cache', 'verbose'] as const).find((k) => values[k] !== undefined);
  if (stray) fail(`--${stray} does not apply to "okta-mau history --all"`);
  const month = values.month;
  if (month !== undefined && !validMonth(month)) fail(`--month must be YYYY-MM (got "${month}")`);
  const source = oneOf('--source', values.source, SOURCE_KINDS, DEFAULT_SOURCE);
  const eventTypes = definitionTypes(values, source);
  const cacheDir = cacheDirFrom(values['cache-dir'], env);
  return {
    command: 'history',
    allOrgs: true,
    ...(month !== undefined ? { month } : {}),
    format: oneOf('--format', values.format, REPORT_FORMATS, 'table'),
    source,
    ...(eventTypes ? { eventTypes } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
  };
}

function inactiveRequest(values: ParsedValues, orgUrl: string, verbose: boolean, env: Readonly<Record<string, string | undefined>>): InactiveRequest {
  const stray = (['source', 'reserve', 'concurrency', 'all', 'since-last'] as const).find((k) => values[k] !== undefined);
  if (stray) fail(`--${stray} does not apply to "okta-mau inactive"`);
  const month = values.month;
  if (month !== undefined && !validMonth(month)) fail(`--month must be YYYY-MM (got "${month}")`);
  const days = numberIn('--days', values.days, 1, 3650, true);
  if (month !== undefined && days !== undefined) fail('--month and --days ask two different questions: keep one');
  const definitionFlag = values.definition !== undefined ? '--definition' : values['event-type'] !== undefined ? '--event-type' : undefined;
  if (days !== undefined && definitionFlag) fail(`${definitionFlag} applies to --month (the month's count says who was active); --days reads Okta's lastLogin: drop ${definitionFlag}`);
  const eventTypes = definitionTypes(values, 'logs');
  const statuses = values.status?.map((s) => s.trim().toUpperCase());
  const bad = statuses?.find((s) => !(USER_STATUSES as readonly string[]).includes(s));
  if (bad !== undefined) fail(`--status must be an Okta user status (${USER_STATUSES.join(', ')}; got "${bad}")`);
  const cache = values['no-cache'] !== true;
  const cacheDir = cacheDirFrom(values['cache-dir'], env);
  if (!cache && values['cache-dir'] !== undefined) fail('--cache-dir and --no-cache contradict each other: keep one');
  const fromScratch = values['from-scratch'] === true;
  if (!cache && fromScratch) fail('--no-cache lists every user already (and keeps no listing): drop --from-scratch');
  return {
    command: 'inactive',
    orgUrl,
    ...(month !== undefined ? { month } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(eventTypes ? { eventTypes } : {}),
    format: oneOf('--format', values.format, REPORT_FORMATS, 'table'),
    ...(statuses ? { statuses: [...new Set(statuses)] } : {}),
    verbose,
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    cache,
    ...(fromScratch ? { fromScratch } : {}),
  };
}

/**
 * The event types of the definition asked for: a preset's (`--definition`; none for the default,
 * sign-ins), a custom list (`--event-type`), or none (the default). The two flags exclude each other.
 */
function definitionTypes(values: ParsedValues, source: Source): string[] | undefined {
  const id = values.definition;
  if (id === undefined) return eventTypesFrom(values['event-type'], source);
  if (values['event-type'] !== undefined) {
    fail('--definition and --event-type both say what counts as active: keep one (--event-type alone is a custom definition)');
  }
  if (!isPresetId(id)) {
    const ids = PRESET_IDS.join(' or ');
    fail(id === 'custom' ? `--definition custom is a list of event types: give them with --event-type instead` : `--definition must be ${ids} (got "${id}")`);
  }
  const preset = definitionPreset(id);
  if (preset.id === 'sign-ins') return undefined;
  if (!sourceDefinition(source).takesEventTypes) {
    fail(`--definition ${preset.id} counts System Log event types: not with --source ${source} (the ${sourceLabel(source)} counts sign-ins only)`);
  }
  return [...preset.eventTypes];
}

function eventTypesFrom(eventTypes: string[] | undefined, source: Source): string[] | undefined {
  if (!eventTypes) return undefined;
  if (!sourceDefinition(source).takesEventTypes) {
    const takers = SOURCE_KINDS.filter((k) => sourceDefinition(k).takesEventTypes);
    fail(`--event-type applies only to --source ${takers.join(' or ')} (the ${sourceLabel(source)} counts sign-ins only)`);
  }
  const bad = eventTypes.find((t) => !/^[A-Za-z0-9_.-]+$/.test(t));
  if (bad !== undefined) fail(`--event-type must be a System Log event type like user.session.start (got "${bad}")`);
  return [...new Set(eventTypes)];
}

/** The flag wins over OKTA_MAU_CACHE_DIR; an empty value is a mistake, not "the default". */
function cacheDirFrom(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (flag !== undefined) {
    if (flag.trim() === '') fail('--cache-dir needs a directory');
    return flag;
  }
  const fromEnv = env.OKTA_MAU_CACHE_DIR;
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : undefined;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
