/**
 * `okta-mau history`: the cached months of one org as rows, oldest first, with the change and the
 * new and returning users against the month before (when that month is cached too). Pure: the
 * reports come from the cache, nothing here touches the network or the disk.
 */
import { stringify } from 'csv-stringify/sync';
import { monthOverMonth, type MonthOverMonthRow } from '../core/history';
import { formatNumber, REPORT_LOCALE } from '../core/reportFacts';
import { visibleControls, type ReportFormat } from '../core/format';
import type { MauReport } from '../core/types';

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

function status(row: HistoryRow): string {
  if (!row.complete) return 'partial';
  // `fetchedUntil` is the instant the count covered up to (never past its "now"), as the extension shows it.
  return row.toDate ? `to ${instant(row.fetchedUntil)}` : 'complete';
}

function table(orgUrl: string, rows: readonly HistoryRow[]): string {
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
  return [`MAU history of ${visibleControls(orgUrl)}`, '', line(header), ...body.map(line), ...notes, ''].join('\n');
}

const CSV_COLUMNS = ['month', 'mau', 'complete', 'toDate', 'fetchedUntil', 'countedAt', 'incremental', 'change', 'newUsers', 'returning', 'lapsed'] as const;

export function formatHistory(orgUrl: string, rows: readonly HistoryRow[], format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  if (format === 'csv') {
    const records = rows.map((r) => CSV_COLUMNS.map((c) => (r[c] === null ? '' : String(r[c]))));
    return stringify(records, { header: true, columns: [...CSV_COLUMNS] });
  }
  return table(orgUrl, rows);
}
