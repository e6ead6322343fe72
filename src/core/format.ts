/**
 * Report formats shared by the command line and the extension: JSON for machines, CSV for
 * spreadsheets, and a plain-text table for people. Pure functions of a `MauReport`.
 */
import { stringify } from 'csv-stringify/sync';
import type { MauReport, UserActivity } from './types';
import { compareUsers } from './aggregate';
import { sourceLabel } from './sources';
import { describeDefinition } from './definitions';
import { formatNumber, monthState, REPORT_LOCALE } from './reportFacts';
import type { ProjectionResult } from './projection';

export type ReportFormat = 'table' | 'json' | 'csv';

export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'csv'];

/** How many of the most active users the plain-text table lists unless asked for all (`okta-mau --all`). */
export const DEFAULT_TOP_USERS = 20;

export interface TableOptions {
  /** How many users the table lists; `Infinity` lists all. Default `DEFAULT_TOP_USERS`. */
  top?: number;
  /** For a month still running: where it will end (`projectMonth`), said under its MAU. */
  projection?: ProjectionResult;
}

/** Users most sessions first, ties by login, so every format agrees whatever order the core used. */
function sortedUsers(users: readonly UserActivity[]): UserActivity[] {
  return [...users].sort(compareUsers);
}

/** One pretty JSON document holding the whole report; users in a fixed key order for stable diffs. */
export function reportToJson(report: MauReport, options: Pick<TableOptions, 'projection'> = {}): string {
  const projection = projectionJson(options.projection, report.until);
  const doc = {
    orgUrl: report.orgUrl,
    month: report.month,
    since: report.since,
    until: report.until,
    source: report.source,
    eventTypes: report.eventTypes,
    // Which definition of "active" the count used: { id, name, eventTypes } (docs/definitions.md).
    definition: describeDefinition(report),
    mau: report.mau,
    complete: report.complete,
    ...(report.partialReason !== undefined ? { partialReason: report.partialReason } : {}),
    events: report.events,
    skippedEvents: report.skippedEvents ?? 0,
    pages: report.pages,
    requests: report.requests,
    countedAt: report.countedAt,
    durationMs: report.durationMs,
    // A month still running: where it will end, or why there is no projection yet (docs/definitions.md).
    ...(projection ? { projection } : {}),
    dailyActiveUsers: report.dailyActiveUsers,
    users: sortedUsers(report.users).map((u) => ({
      id: u.id,
      login: u.login,
      displayName: u.displayName,
      sessions: u.sessions,
      activeDays: u.activeDays,
      firstSeen: u.firstSeen,
      lastSeen: u.lastSeen,
      ...(u.lastClient ? { lastClient: u.lastClient } : {}),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * Every column of the per-user CSV: what the extension's Users tree shows of a user (login, id,
 * sessions, active days, first and last seen, the last sign-in's IP, location, browser, OS and device),
 * one value per column, as Okta sent it (ISO instants, Okta's browser type). The two added with the
 * tree's details, `lastCity` and `lastDevice`, come last, so a script that reads the columns by
 * position still finds the earlier ones where they were.
 */
export const CSV_COLUMNS = [
  'id',
  'login',
  'displayName',
  'sessions',
  'activeDays',
  'firstSeen',
  'lastSeen',
  'lastIp',
  'lastCountry',
  'lastBrowser',
  'lastOs',
  'lastCity',
  'lastDevice',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** U+FEFF, encoded as EF BB BF: how Excel knows a CSV file is UTF-8 rather than the system's code page. */
export const UTF8_BOM = '\uFEFF';

export interface CsvOptions {
  /** Which columns, in this order. Default: all of `CSV_COLUMNS`. */
  columns?: readonly CsvColumn[];
  /**
   * Starts the text with a UTF-8 byte order mark. Excel opens a CSV file without one in the system's
   * code page, so `Zoë` reads `ZoÃ«`; with it, names in any script show as they are. For files a person
   * opens (the extension's Export Report… always writes one); not for text piped to another program.
   */
  byteOrderMark?: boolean;
}

function csvCell(u: UserActivity, column: CsvColumn): string | number {
  const c = u.lastClient;
  switch (column) {
    case 'id':
    case 'login':
    case 'displayName':
    case 'sessions':
    case 'activeDays':
    case 'firstSeen':
    case 'lastSeen':
      return u[column];
    case 'lastIp':
      return c?.ipAddress ?? '';
    case 'lastCountry':
      return c?.country ?? '';
    case 'lastBrowser':
      return c?.browser ?? '';
    case 'lastOs':
      return c?.os ?? '';
    case 'lastCity':
      return c?.city ?? '';
    case 'lastDevice':
      return c?.device ?? '';
  }
}

/**
 * One row per active user with a header row; RFC 4180 quoting by csv-stringify. Names, logins and
 * client strings come from the org and are opened in spreadsheets: `escape_formulas` puts a `'` before
 * any cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (and their full-width forms),
 * so a name like `=HYPERLINK(…)` is shown as text, never run as a formula. Numbers are left as they are.
 */
export function reportToCsv(report: MauReport, options: CsvOptions = {}): string {
  const columns = options.columns ?? CSV_COLUMNS;
  const rows = sortedUsers(report.users).map((u) => columns.map((column) => csvText(csvCell(u, column))));
  const text = stringify(rows, { header: true, columns: [...columns], record_delimiter: 'unix', escape_formulas: true });
  return options.byteOrderMark ? UTF8_BOM + text : text;
}

/**
 * Characters that act on a terminal instead of showing: C0 and C1 controls (ESC starts screen clears,
 * OSC title changes and hyperlinks; CR and BS overwrite what was printed), DEL, line and paragraph
 * separators, and the bidirectional controls that reorder what follows them.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the org made harmless for a terminal and still readable: each control character becomes a
 * visible escape (`\x1b`, `\u202e`), so a name full of escape sequences shows what it holds and
 * changes nothing on the screen. For every cell of a plain-text table.
 */
export function visibleControls(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A CSV cell that cannot act on a terminal (`okta-mau … --format csv` often goes to one): control
 * characters become visible escapes as in a table, except the line break, which CSV quoting keeps
 * inside its cell. Numbers pass as they are.
 */
export function csvText<T extends string | number>(value: T): T {
  if (typeof value !== 'string') return value;
  return value.replace(TERMINAL_CONTROLS, (c) => (c === '\n' ? c : visibleControls(c))) as T;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

const n = (v: number): string => formatNumber(v, REPORT_LOCALE);

/** Pads cells into aligned columns; numeric columns are right-aligned so digits line up. */
function alignedTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** A summary a person can read at a glance, then the most active users. */
export function reportToTable(report: MauReport, options: TableOptions = {}): string {
  const top = options.top ?? DEFAULT_TOP_USERS;
  const users = sortedUsers(report.users);
  const shown = Number.isFinite(top) ? users.slice(0, Math.max(0, top)) : users;
  const state = monthState(report);
  const status =
    state.kind === 'complete'
      ? 'complete'
      : state.kind === 'toDate'
        ? `so far: the month is still running, counted to ${state.upTo.slice(0, 16).replace('T', ' ')} UTC`
        : `partial (${visibleControls(state.reason ?? 'part of the month was not counted')})`;
  const lines = [
    `Org:       ${report.orgUrl}`,
    `Month:     ${report.month} (${report.since} to ${report.until}, UTC)`,
    `MAU:       ${n(report.mau)}`,
    `Status:    ${status}`,
    ...projectionLine(options.projection, report.until),
    `Definition: ${visibleControls(describeDefinition(report).name)}`,
    `Source:    ${sourceLabel(report.source)} (${visibleControls(report.eventTypes.join(', '))})`,
    `Events:    ${n(report.events)} in ${n(report.pages)} pages (${n(report.requests)} requests)`,
    ...(report.skippedEvents ? [`Skipped:   ${n(report.skippedEvents)} sign-in events that could not be read (no user id, no event id or an unreadable time)`] : []),
    `Duration:  ${formatDuration(report.durationMs)}`,
  ];
  if (shown.length === 0) return lines.join('\n') + '\n';
  const title = shown.length < users.length ? `Top ${shown.length} of ${n(users.length)} users` : `All ${n(users.length)} users`;
  const rows = shown.map((u, i) => [
    String(i + 1),
    visibleControls(u.login),
    visibleControls(u.displayName),
    n(u.sessions),
    String(u.activeDays),
    visibleControls(u.lastSeen),
  ]);
  const table = alignedTable(['#', 'Login', 'Name', 'Sessions', 'Days', 'Last seen'], rows, new Set([0, 3, 4]));
  return [...lines, '', title, ...table].join('\n') + '\n';
}

/** The month's last day, `2026-11-30`: the day a projection speaks of. */
function lastDay(until: string): string {
  return new Date(Date.parse(until) - 1).toISOString().slice(0, 10);
}

/**
 * A running month's projection in the JSON: `{ estimate, low, high, by, byDay, basedOn, method }`, or
 * `{ none: reason }` when there is too little to project from; nothing for a month that has ended.
 */
function projectionJson(p: ProjectionResult | undefined, until: string): object | undefined {
  if (!p || p.kind === 'notRunning') return undefined;
  if (p.kind === 'tooLittleHistory') return { none: p.reason };
  return { estimate: p.estimate, low: p.low, high: p.high, by: lastDay(until), byDay: p.byDay, basedOn: p.basedOn, method: p.method };
}

/** `Projected: about 3,400 by 2026-11-30 (3,250–3,560), from 3 earlier months`, or why there is none. */
function projectionLine(p: ProjectionResult | undefined, until: string): string[] {
  if (!p || p.kind === 'notRunning') return [];
  if (p.kind === 'tooLittleHistory') return [`Projected: none yet (${p.reason})`];
  return [`Projected: about ${n(p.estimate)} by ${lastDay(until)} (${n(p.low)}–${n(p.high)}), from ${p.basedOn.length} earlier months (docs/definitions.md)`];
}

/** The command line's output (`okta-mau count --format …`): its CSV has every column the extension's export has, without a byte order mark (a pipe is not a spreadsheet). */
export function formatReport(report: MauReport, format: ReportFormat, options: TableOptions = {}): string {
  switch (format) {
    case 'json':
      return reportToJson(report, options);
    case 'csv':
      return reportToCsv(report);
    case 'table':
      return reportToTable(report, options);
  }
}
