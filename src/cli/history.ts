/**
 * `okta-mau history`: the cached months of one org as rows, oldest first, with the change and the
 * new and returning users against the month before (when that month is cached too); with `--all`,
 * one month of every cached org and their total. Pure: the reports come from the cache, nothing here
 * touches the network or the disk.
 */
import { stringify } from 'csv-stringify/sync';
import { monthOverMonth, type MonthOverMonthRow, type OrgsMonth } from '../core/history';

export { orgsMonth, type OrgMonthRow, type OrgsMonth } from '../core/history';
import { formatNumber, REPORT_LOCALE } from '../core/reportFacts';
import { visibleControls, type ReportFormat } from '../core/format';
import type { MauReport } from '../core/types';
import type { DefinitionSummary } from '../core/definitions';
import type { HistoryBacktest } from '../core/projection';

/** The core's month-over-month row; `--format json` and `csv` keep its fields in this order. */
export type HistoryRow = MonthOverMonthRow;

export function historyRows(reports: readonly MauReport[]): HistoryRow[] {
  return monthOverMonth(reports);
}

const n = (v: number): string => formatNumber(v, REPORT_LOCALE);
const signed = (v: number | null): string => (v === null ? '' : v > 0 ? `+${n(v)}` : n(v));
const orBlank = (v: number | null): string => (v === null ? '' : n(v));
/** "2026-11-22 03:44 UTC": minutes are enough to tell runs apart, and UTC matches the months. */
const instant = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function status(row: Pick<HistoryRow, 'complete' | 'toDate' | 'fetchedUntil'>): string {
  if (!row.complete) return 'partial';
  // `fetchedUntil` is the instant the count covered up to (never past its "now"), as the extension shows it.
  return row.toDate ? `to ${instant(row.fetchedUntil)}` : 'complete';
}

/** "Definition: Customer Identity (Okta's MAU billing)": which definition's counts a listing holds. */
const definitionLines = (definition: DefinitionSummary | undefined): string[] => (definition ? [`Definition: ${visibleControls(definition.name)}`] : []);

/** How the end-of-month projection did on these months (the core's `backtestOnHistory`), for the table. */
function backtestLines(b: HistoryBacktest | undefined): string[] {
  if (!b) return [];
  if (b.kind === 'tooLittleHistory') return ['', `The end-of-month projection is not yet tested on these months: ${b.reason}`];
  const first = b.months[0];
  const last = b.months.at(-1);
  return [
    '',
    `The end-of-month projection, tested on ${b.months.length === 1 ? first : `${first} to ${last}`} (${b.months.length} ${b.months.length === 1 ? 'month' : 'months'}), each projected from the months before it:`,
    ...b.byDay.map((d) => `  counted to day ${String(d.day).padStart(2)}: off by ${(d.meanAbsError * 100).toFixed(1)}% on average; ${d.inRange} of ${d.months} ended inside its range`),
  ];
}

function table(orgUrl: string, rows: readonly HistoryRow[], definition: DefinitionSummary | undefined, backtest?: HistoryBacktest): string {
  const header = ['Month', 'MAU', 'Change', 'New', 'Returning', 'Status', 'Counted at', 'Refresh'];
  const body = rows.map((r) => [
    r.month,
    n(r.mau),
    signed(r.change),
    orBlank(r.newUsers),
    orBlank(r.returning),
    status(r),
    instant(r.countedAt),
    r.incremental ? 'incremental' : 'full',
  ]).map((row) => row.map(visibleControls));
  const numeric = new Set([1, 2, 3, 4]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const notes = rows.some((r) => r.change === null && r !== rows[0])
    ? ['', 'Change, new and returning need the month before in the cache: count it to fill the gap.']
    : [];
  return [`MAU history of ${visibleControls(orgUrl)}`, ...definitionLines(definition), '', line(header), ...body.map(line), ...notes, ...backtestLines(backtest), ''].join('\n');
}

const CSV_COLUMNS = ['month', 'mau', 'complete', 'toDate', 'fetchedUntil', 'countedAt', 'incremental', 'change', 'newUsers', 'returning', 'lapsed'] as const;

/**
 * The months of one org as a table, JSON or CSV. With a definition, the table says which one the
 * months were counted under and every JSON row carries it (`definition`); the CSV keeps its columns.
 * With a backtest, the table ends with how the end-of-month projection did on these months.
 */
export function formatHistory(orgUrl: string, rows: readonly HistoryRow[], format: ReportFormat, definition?: DefinitionSummary, backtest?: HistoryBacktest): string {
  if (format === 'json') return JSON.stringify(definition ? rows.map((r) => ({ ...r, definition })) : rows, null, 2) + '\n';
  if (format === 'csv') {
    const records = rows.map((r) => CSV_COLUMNS.map((c) => (r[c] === null ? '' : String(r[c]))));
    return stringify(records, { header: true, columns: [...CSV_COLUMNS] });
  }
  return table(orgUrl, rows, definition, backtest);
}

function orgsTable(doc: OrgsMonth, definition: DefinitionSummary | undefined): string {
  const header = ['Org', 'MAU', 'Status', 'Counted at'];
  const counted = doc.orgs.filter((r) => !('missing' in r)).length;
  const body = doc.orgs.map((r) =>
    'missing' in r ? [r.orgUrl, '', `no count of ${doc.month} cached`, ''] : [r.orgUrl, n(r.mau), status(r), instant(r.countedAt)],
  ).map((row) => row.map(visibleControls));
  const totalRow = [`Total (${counted} of ${doc.orgs.length} ${doc.orgs.length === 1 ? 'org' : 'orgs'})`, n(doc.total), '', ''];
  const widths = header.map((h, i) => Math.max(h.length, totalRow[i].length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const notes = [
    '',
    "The total adds the orgs' counts: a person is counted once per org. Users belong to one org, so the",
    'same person in two orgs is two users, as Okta bills each org.',
  ];
  if (counted < doc.orgs.length) notes.push(`Orgs with no count of ${doc.month} cached are not in the total: run okta-mau count --month ${doc.month} for them.`);
  if (doc.orgs.some((r) => !('missing' in r) && (!r.complete || r.toDate))) notes.push('A partial count or one of a month still running adds what it counted: the total may be low.');
  return [`MAU of ${doc.month} by org`, ...definitionLines(definition), '', line(header), ...body.map(line), line(totalRow), ...notes, ''].join('\n');
}

const ORGS_CSV_COLUMNS = ['month', 'orgUrl', 'mau', 'complete', 'toDate', 'fetchedUntil', 'countedAt'] as const;

/** One month of every org; with a definition, the table names it and JSON has it (`{ month, definition, orgs, total }`). */
export function formatOrgsMonth(doc: OrgsMonth, format: ReportFormat, definition?: DefinitionSummary): string {
  if (format === 'json') return JSON.stringify(definition ? { month: doc.month, definition, orgs: doc.orgs, total: doc.total } : doc, null, 2) + '\n';
  if (format === 'csv') {
    // No total row: a script summing the column would count it twice.
    const records = doc.orgs.map((r) => {
      const cells: Record<string, unknown> = { month: doc.month, ...r };
      return ORGS_CSV_COLUMNS.map((c) => (cells[c] === undefined ? '' : String(cells[c])));
    });
    return stringify(records, { header: true, columns: [...ORGS_CSV_COLUMNS] });
  }
  return orgsTable(doc, definition);
}
