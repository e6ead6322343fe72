/**
 * Export Report…: a cached month of the active org (or a month node's org) to CSV or JSON. A person
 * picks the format first, then where to save; the file holds that format whatever name was typed.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { reportToCsv, reportToJson } from '../core/format';
import type { MauReport } from '../core/types';
import { resolveOrg, stringArg } from './activeOrg';
import { registerCommand, type ErrorReporter } from './commands';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { formatNumber, monthName } from './progressText';
import type { ResultStore } from './resultStore';

type ExportFormat = 'csv' | 'json';

/**
 * The file's text. The CSV always starts with a UTF-8 byte order mark: these files are opened in
 * spreadsheets, and Excel reads a CSV without one in the system's code page, garbling every name
 * outside ASCII. Its columns are what the Users tree shows of a user, city and device included.
 */
function exportText(report: MauReport, format: ExportFormat): string {
  return format === 'json' ? reportToJson(report) : reportToCsv(report, { byteOrderMark: true });
}

export function registerExport(orgs: OrgStore, results: ResultStore, errors: ErrorReporter): vscode.Disposable[] {
  // Args (scripts, tests, the month node's menu): `{ orgId?, month?, uri?: string | Uri, format?: 'csv' | 'json' }`.
  return [
    registerCommand('oktaMau.exportReport', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      if (!org) return undefined;
      let month = stringArg(arg, 'month');
      if (!month) {
        const months = await results.months(org.id);
        if (months.length === 0) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to export for {0} yet: count MAUs first.', orgLabel(org)));
          return undefined;
        }
        const loaded = await Promise.all(months.map(async (m) => ({ month: m, report: await results.load(org.id, m) })));
        // A month whose file turned out damaged was just set aside: nothing to export.
        const items = loaded.flatMap(({ month: m, report: r }) => (r ? [{ label: monthName(m, true), description: vscode.l10n.t('{0} MAU', formatNumber(r.mau)), month: m }] : []));
        month = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export a report of {0}', orgLabel(org)), placeHolder: vscode.l10n.t('Month') }))?.month;
        if (!month) return undefined;
      }
      const stored = await results.load(org.id, month);
      if (!stored) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no saved count for {1}.', orgLabel(org), monthName(month, true)));
        return undefined;
      }
      const given = arg && typeof arg === 'object' ? (arg as { uri?: unknown }).uri : undefined;
      const givenUri = given instanceof vscode.Uri ? given : typeof given === 'string' ? toUri(given) : undefined;
      const givenFormat = formatArg(stringArg(arg, 'format'));
      // A script that names the file but not the format gets the format of the file's extension;
      // a person is asked, so a name typed without (or with another) extension changes nothing.
      const format = givenFormat ?? (givenUri ? formatOfPath(givenUri.path) : await pickFormat(org, month));
      if (!format) return undefined;
      const target = givenUri ?? (await askTarget(org, month, format));
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, Buffer.from(exportText({ ...stored, orgUrl: org.orgUrl }, format), 'utf8'));
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} users to {1}.', formatNumber(stored.users.length), target.fsPath), open).then((c) => {
        if (c === open) void vscode.commands.executeCommand('vscode.open', target);
      });
      return target.toString();
    }),
  ];
}

function formatArg(value: string | undefined): ExportFormat | undefined {
  return value === 'csv' || value === 'json' ? value : undefined;
}

function formatOfPath(path: string): ExportFormat {
  return path.toLowerCase().endsWith('.json') ? 'json' : 'csv';
}

async function pickFormat(org: OrgEntry, month: string): Promise<ExportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    { label: 'CSV', detail: vscode.l10n.t('One row per user with the details the Users view shows; for spreadsheets'), format: 'csv' },
    { label: 'JSON', detail: vscode.l10n.t('The whole report: totals, daily active users and every user; for scripts'), format: 'json' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Export {0} of {1}', monthName(month, true), orgLabel(org)),
    placeHolder: vscode.l10n.t('Format'),
  });
  return picked?.format;
}

function askTarget(org: OrgEntry, month: string, format: ExportFormat): Thenable<vscode.Uri | undefined> {
  const filters: Record<string, string[]> = format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] };
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export MAU report'),
    defaultUri: vscode.Uri.joinPath(defaultFolder(), `okta-mau-${new URL(org.orgUrl).hostname}-${month}.${format}`),
    filters,
  });
}

function toUri(value: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
}

function defaultFolder(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}
