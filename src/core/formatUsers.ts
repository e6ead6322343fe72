/**
 * The inactive-users report (`InactiveReport`) as a table for people, JSON for machines and CSV for
 * spreadsheets. Names and logins are org data: the table shows control characters as visible
 * escapes, the CSV neutralises formulas.
 */
import { stringify } from 'csv-stringify/sync';
import { csvText, visibleControls, type ReportFormat } from './format';
import type { DefinitionSummary } from './definitions';
import { formatNumber, monthLabel, REPORT_LOCALE, utilisationPercent } from './reportFacts';
import type { InactiveReport, OrgUser } from './users';

const n = (v: number) => formatNumber(v, REPORT_LOCALE);

/** The CSV's columns, one value each, as Okta sent them (ISO instants; an empty `lastLogin`: never signed in). */
export const INACTIVE_CSV_COLUMNS = ['id', 'login', 'displayName', 'status', 'lastLogin', 'created', 'activated', 'passwordChanged'] as const;

export interface InactiveFormatOptions {
  /**
   * For users inactive in a month: the definition of "active" of the month's count, named in the table
   * (`Definition:`) and in JSON (`definition`). The CSV keeps its columns, one row per user.
   */
  definition?: DefinitionSummary;
}

export function formatInactive(report: InactiveReport, format: ReportFormat, options: InactiveFormatOptions = {}): string {
  const { definition } = options;
  if (format === 'json') return JSON.stringify(definition ? { ...report, definition } : report, null, 2) + '\n';
  if (format === 'csv') {
    const rows = report.users.map((u) => INACTIVE_CSV_COLUMNS.map((c) => csvText(u[c] ?? '')));
    return stringify(rows, { header: true, columns: [...INACTIVE_CSV_COLUMNS], record_delimiter: 'unix', escape_formulas: true });
  }
  return table(report, definition);
}

/** "in November 2026" or "for 30 days before 2026-12-02". */
export function inactiveScope(report: Pick<InactiveReport, 'kind' | 'month' | 'days' | 'asOf'>): string {
  if (report.kind === 'month') {
    return `in ${monthLabel(report.month ?? '', REPORT_LOCALE, 'long-year')}`;
  }
  return `for ${report.days} ${report.days === 1 ? 'day' : 'days'} before ${report.asOf.slice(0, 10)}`;
}

function table(report: InactiveReport, definition: DefinitionSummary | undefined): string {
  const header = ['Login', 'Name', 'Status', 'Last sign-in (UTC)'];
  const body = report.users.map((u: OrgUser) => [u.login, u.displayName, u.status, u.lastLogin ? `${u.lastLogin.slice(0, 10)} ${u.lastLogin.slice(11, 16)}` : 'never'].map(visibleControls));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const percent = n(utilisationPercent(report));
  // A definition other than sign-ins counts token grants too: "activity" is what its count saw.
  const signIns = !definition || definition.id === 'sign-ins';
  const what = report.kind === 'month' ? (signIns ? 'no sign-in' : 'no activity') : 'no sign-in (Okta\'s lastLogin)';
  return [
    `Users holding a licence with ${what} ${inactiveScope(report)}: ${n(report.users.length)}`,
    `Org:          ${visibleControls(report.orgUrl)}`,
    ...(definition ? [`Definition:   ${visibleControls(definition.name)}`] : []),
    `Licensed:     ${n(report.licensed)} (status ${report.statuses.join(', ')})`,
    `Active:       ${n(report.active)} (${percent}% of licensed)`,
    '',
    ...(body.length ? [line(header), ...body.map(line)] : [signIns ? 'Every licensed user signed in.' : 'Every licensed user was active.']),
    '',
  ].join('\n');
}
