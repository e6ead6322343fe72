/**
 * Export Report…: a cached month of the active org (or a month node's org) to CSV or JSON: its active
 * users, or, once the org's users are listed, those not active in it or dormant. A person picks what
 * (when there is a choice), the format, then where to save; the file holds that format whatever name
 * was typed.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_PRESET_ID, describeDefinition } from '../core/definitions';
import { reportToCsv, reportToJson, UTF8_BOM } from '../core/format';
import { formatInactive } from '../core/formatUsers';
import type { ProjectionResult } from '../core/projection';
import { monthState } from '../core/reportFacts';
import type { MauReport } from '../core/types';
import { resolveOrg, stringArg } from './activeOrg';
import type { ExportWhat } from './commandIds';
import { registerCommand, type ErrorReporter } from './commands';
import type { Notices } from './countProgress';
import type { InactiveReport, InactiveUsers } from './inactiveUsers';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { formatNumber, monthName } from './progressText';
import type { Projections } from './projections';
import type { ResultStore, StoredReport } from './resultStore';

type ExportFormat = 'csv' | 'json';

/**
 * The file's text. The CSV always starts with a UTF-8 byte order mark: these files are opened in
 * spreadsheets, and Excel reads a CSV without one in the system's code page, garbling every name
 * outside ASCII. Its columns are what the Users tree shows of a user, city and device included.
 */
function exportText(report: MauReport, format: ExportFormat, projection?: ProjectionResult): string {
  return format === 'json' ? reportToJson(report, { projection }) : reportToCsv(report, { byteOrderMark: true });
}

/**
 * Inactive or dormant users as `okta-mau inactive --format csv|json` prints them (the core's
 * `formatInactive`: the same columns, formulas and control characters neutralised), the CSV with the
 * byte order mark every exported CSV has.
 */
function inactiveText(report: InactiveReport, format: ExportFormat): string {
  return format === 'json' ? formatInactive(report, 'json') : UTF8_BOM + formatInactive(report, 'csv');
}

export function registerExport(
  orgs: OrgStore,
  results: ResultStore,
  errors: ErrorReporter,
  notices: Notices,
  inactive?: InactiveUsers,
  projections?: Projections,
): vscode.Disposable[] {
  // Args (scripts, tests, the month and group nodes' menus): `{ orgId?, month?, what?, uri?: string | Uri, format?: 'csv' | 'json' }`.
  return [
    registerCommand('oktaMau.exportReport', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      if (!org) return undefined;
      let what = whatArg(stringArg(arg, 'what'));
      const month = stringArg(arg, 'month') ?? (what === 'dormant' ? undefined : await pickMonth(org));
      if (what === 'inactive' || what === 'dormant') return exportInactive(org, what, month, arg);
      if (!month) return undefined;
      const stored = await results.load(org.id, month);
      if (!stored) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no saved count for {1}.', orgLabel(org), monthName(month, true)));
        return undefined;
      }
      // Once the org's users are listed, a person may export who was not active instead; a script
      // that names the file without saying what gets the month's active users, as it always did.
      what ??= givenUri(arg) ? 'active' : await pickWhat(org, stored);
      if (what === undefined) return undefined;
      if (what !== 'active') return exportInactive(org, what, month, arg);
      // A count under another definition than sign-ins says so in the file's name too (its JSON has `definition`).
      const { id } = describeDefinition(stored);
      const target = await chooseTarget(org, arg, id === DEFAULT_PRESET_ID ? month : `${month}-${id}`, pickFormat(org, month, ACTIVE_FORMATS));
      if (!target) return undefined;
      // The JSON of a month still running says where it will end, as the tooltip and the dashboard do.
      const projection = target.format === 'json' ? await projections?.of(org.id, stored) : undefined;
      await vscode.workspace.fs.writeFile(target.uri, Buffer.from(exportText({ ...stored, orgUrl: org.orgUrl }, target.format, projection), 'utf8'));
      return announce(stored.users.length, target.uri, notices);
    }),
  ];

  /** Users not active in the month, or dormant, from the saved listing; says so when the users were never listed. */
  async function exportInactive(org: OrgEntry, what: 'inactive' | 'dormant', month: string | undefined, arg: unknown): Promise<string | undefined> {
    const listing = inactive && (await inactive.listing(org.id));
    if (!inactive || !listing) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The users of {0} are not listed yet: run "Okta: List Users (Inactive and Dormant)" first.', orgLabel(org)));
      return undefined;
    }
    let report: InactiveReport | undefined;
    if (what === 'dormant') {
      report = await inactive.dormantIn(org);
    } else {
      month ??= await pickMonth(org);
      if (!month) return undefined;
      report = await inactive.inMonth(org, month);
      if (!report) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no saved count for {1}.', orgLabel(org), monthName(month, true)));
        return undefined;
      }
    }
    if (!report) return undefined;
    const name = report.kind === 'days' ? `dormant-${report.days}d` : `${report.month}-inactive`;
    const toDate = report.kind === 'month' && month !== undefined && isToDate(await results.load(org.id, month));
    const title = report.kind === 'days' ? dormantTitle(report.days ?? 0, report.users.length) : inactiveTitle(report.month ?? '', report.users.length, toDate);
    const target = await chooseTarget(org, arg, name, pickFormat(org, undefined, INACTIVE_FORMATS, title));
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target.uri, Buffer.from(inactiveText(report, target.format), 'utf8'));
    return announce(report.users.length, target.uri, notices);
  }

  /** A month with a saved count, picked by a person; undefined when there is none or none was picked. */
  async function pickMonth(org: OrgEntry): Promise<string | undefined> {
    const months = await results.months(org.id);
    if (months.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to export for {0} yet: count MAUs first.', orgLabel(org)));
      return undefined;
    }
    const loaded = await Promise.all(months.map(async (m) => ({ month: m, report: await results.load(org.id, m) })));
    // A month whose file turned out damaged was just set aside: nothing to export.
    const items = loaded.flatMap(({ month: m, report: r }) => (r ? [{ label: monthName(m, true), description: vscode.l10n.t('{0} MAU', formatNumber(r.mau)), month: m }] : []));
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export a report of {0}', orgLabel(org)), placeHolder: vscode.l10n.t('Month') }))?.month;
  }

  /** Active users, or (once the users are listed) those not active in the month or dormant; 'active' without asking when there is no listing. */
  async function pickWhat(org: OrgEntry, stored: StoredReport): Promise<ExportWhat | undefined> {
    const items = inactive && (await exportChoices(inactive, org, stored));
    if (!items) return 'active';
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export which users of {0}?', orgLabel(org)), placeHolder: vscode.l10n.t('Users') }))?.what;
  }
}

export type ExportChoice = vscode.QuickPickItem & { what: ExportWhat };

/**
 * What Export Report… offers for a counted month once the org's users are listed: its active users,
 * those not active in it ("Not active in December so far (60)" for a month counted to date, as the
 * tree's row reads) and the dormant ones; undefined before the users are listed (only the active
 * users can be exported then).
 */
export async function exportChoices(inactive: InactiveUsers, org: OrgEntry, stored: StoredReport): Promise<ExportChoice[] | undefined> {
  const listing = await inactive.listing(org.id);
  if (!listing) return undefined;
  const notActive = inactive.inMonthOf(org, listing, stored);
  const dormant = await inactive.dormantIn(org);
  return [
    { label: vscode.l10n.t('Active users of {0}', monthName(stored.month, true)), description: vscode.l10n.t('{0} MAU', formatNumber(stored.mau)), what: 'active' },
    { label: inactiveTitle(stored.month, notActive.users.length, isToDate(stored)), description: vscode.l10n.t('holding a licence, no sign-in in the month'), what: 'inactive' },
    ...(dormant ? [{ label: dormantTitle(dormant.days ?? 0, dormant.users.length), description: vscode.l10n.t("holding a licence, by Okta's last sign-in"), what: 'dormant' as const }] : []),
  ];
}

/** A month counted to date ("so far"): the core's `monthState`, as the tree reads it. */
function isToDate(report: StoredReport | undefined): boolean {
  return report !== undefined && monthState(report).kind === 'toDate';
}

/** "Not active in November (412)", or "Not active in December so far (60)" for a month counted to date, as the tree's row reads. */
function inactiveTitle(month: string, n: number, toDate: boolean): string {
  return toDate ? vscode.l10n.t('Not active in {0} so far ({1})', monthName(month), formatNumber(n)) : vscode.l10n.t('Not active in {0} ({1})', monthName(month), formatNumber(n));
}

/** "Dormant for 90 days (37)", as the tree's row reads. */
function dormantTitle(days: number, n: number): string {
  return days === 1 ? vscode.l10n.t('Dormant for 1 day ({0})', formatNumber(n)) : vscode.l10n.t('Dormant for {0} days ({1})', formatNumber(days), formatNumber(n));
}

/** `Exported 1 user to /tmp/report.csv.`, `Exported 412 users to …`. */
function exportedMessage(users: number, path: string): string {
  return users === 1 ? vscode.l10n.t('Exported 1 user to {0}.', path) : vscode.l10n.t('Exported {0} users to {1}.', formatNumber(users), path);
}

/** Says what was written, with Open; through `notices`, so scripts and tests see what a person was told. */
function announce(users: number, target: vscode.Uri, notices: Notices): string {
  const open = vscode.l10n.t('Open');
  const message = exportedMessage(users, target.fsPath);
  void notices.show(message, open).then((c) => {
    if (c === open) void vscode.commands.executeCommand('vscode.open', target);
  });
  return target.toString();
}

/**
 * Where to save and in which format. A script that names the file but not the format gets the format
 * of the file's extension; a person is asked, so a name typed without (or with another) extension
 * changes nothing.
 */
async function chooseTarget(org: OrgEntry, arg: unknown, name: string, ask: () => Thenable<ExportFormat | undefined>): Promise<{ uri: vscode.Uri; format: ExportFormat } | undefined> {
  const given = givenUri(arg);
  const format = formatArg(stringArg(arg, 'format')) ?? (given ? formatOfPath(given.path) : await ask());
  if (!format) return undefined;
  const uri = given ?? (await askTarget(org, name, format));
  return uri && { uri, format };
}

/** The file a script named (`uri`: a path or a `Uri`). */
function givenUri(arg: unknown): vscode.Uri | undefined {
  const given = arg && typeof arg === 'object' ? (arg as { uri?: unknown }).uri : undefined;
  return given instanceof vscode.Uri ? given : typeof given === 'string' ? toUri(given) : undefined;
}

function whatArg(value: string | undefined): ExportWhat | undefined {
  return value === 'active' || value === 'inactive' || value === 'dormant' ? value : undefined;
}

function formatArg(value: string | undefined): ExportFormat | undefined {
  return value === 'csv' || value === 'json' ? value : undefined;
}

function formatOfPath(path: string): ExportFormat {
  return path.toLowerCase().endsWith('.json') ? 'json' : 'csv';
}

type FormatItem = vscode.QuickPickItem & { format: ExportFormat };

const ACTIVE_FORMATS = (): FormatItem[] => [
  { label: 'CSV', detail: vscode.l10n.t('One row per user with the details the Users view shows; for spreadsheets'), format: 'csv' },
  { label: 'JSON', detail: vscode.l10n.t('The whole report: totals, daily active users and every user; for scripts'), format: 'json' },
];

const INACTIVE_FORMATS = (): FormatItem[] => [
  { label: 'CSV', detail: vscode.l10n.t('One row per user: login, name, status, last sign-in, created; for spreadsheets'), format: 'csv' },
  { label: 'JSON', detail: vscode.l10n.t('Licensed and active users, utilisation and every user listed; for scripts'), format: 'json' },
];

function pickFormat(org: OrgEntry, month: string | undefined, formats: () => FormatItem[], what?: string): () => Thenable<ExportFormat | undefined> {
  return async () => {
    const picked = await vscode.window.showQuickPick(formats(), {
      title: vscode.l10n.t('Export {0} of {1}', what ?? monthName(month ?? '', true), orgLabel(org)),
      placeHolder: vscode.l10n.t('Format'),
    });
    return picked?.format;
  };
}

/** The save dialog, offering `okta-mau-<host>-<name>.<format>` in the workspace folder (or the home folder). */
function askTarget(org: OrgEntry, name: string, format: ExportFormat): Thenable<vscode.Uri | undefined> {
  const filters: Record<string, string[]> = format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] };
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export MAU report'),
    defaultUri: vscode.Uri.joinPath(defaultFolder(), `okta-mau-${new URL(org.orgUrl).hostname}-${name}.${format}`),
    filters,
  });
}

function toUri(value: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
}

function defaultFolder(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}
