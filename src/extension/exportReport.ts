/** Export Report…: a cached month of the active org (or a month node's org) to CSV or JSON. */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { formatReport } from '../core/format';
import { resolveOrg, stringArg } from './activeOrg';
import { registerCommand, type ErrorReporter } from './commands';
import { orgLabel, type OrgStore } from './orgStore';
import { formatNumber, monthName } from './progressText';
import type { ResultStore } from './resultStore';

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
      const target =
        given instanceof vscode.Uri
          ? given
          : typeof given === 'string'
            ? toUri(given)
            : await vscode.window.showSaveDialog({
                title: vscode.l10n.t('Export MAU report'),
                defaultUri: vscode.Uri.joinPath(defaultFolder(), `okta-mau-${new URL(org.orgUrl).hostname}-${month}.csv`),
                filters: { CSV: ['csv'], JSON: ['json'] },
              });
      if (!target) return undefined;
      const format = stringArg(arg, 'format') === 'json' || (!stringArg(arg, 'format') && target.path.toLowerCase().endsWith('.json')) ? 'json' : 'csv';
      const text = formatReport({ ...stored, orgUrl: org.orgUrl }, format);
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} users to {1}.', formatNumber(stored.users.length), target.fsPath), open).then((c) => {
        if (c === open) void vscode.commands.executeCommand('vscode.open', target);
      });
      return target.toString();
    }),
  ];
}

function toUri(value: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
}

function defaultFolder(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}
