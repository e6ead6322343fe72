/**
 * Count MAUs (current month), Count MAUs for Month…, Cancel Count, Recount Month and Clear Cached
 * Results. Each count shows a cancellable notification; a finished count is saved and announced.
 */
import * as vscode from 'vscode';
import { currentMonth, monthWindow, retainedMonths } from '../core/month';
import type { MauReport } from '../core/types';
import { resolveOrg, stringArg } from './activeOrg';
import { registerCommand, runCommand, type ErrorReporter } from './commands';
import { offerRunning, showCountProgress } from './countProgress';
import type { CountService, StartOptions } from './countService';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { formatNumber, monthName } from './progressText';
import type { ResultStore } from './resultStore';

export interface CountDeps {
  orgs: OrgStore;
  results: ResultStore;
  counts: CountService;
  errors: ErrorReporter;
}

export function registerCountCommands(deps: CountDeps): vscode.Disposable[] {
  const { orgs, results, counts, errors } = deps;

  async function countInForeground(org: OrgEntry, month: string, options: Pick<StartOptions, 'fromScratch'> = {}): Promise<MauReport | undefined> {
    const running = counts.running(org.id);
    if (running) return offerRunning(counts, org, running);
    const completeness = await confirmCompleteness(org, month);
    if (!completeness) return undefined;
    const state = counts.start(org, month, { background: false, ...options, ...completeness });
    const report = await showCountProgress(counts, org, state);
    if (report) announce(org, report);
    return report;
  }

  /**
   * A complete count of a month that has since left the 90-day retention cannot be made again:
   * the System Log no longer holds its early events. Ask before replacing it with a partial one;
   * undefined when the person declines. Without the confirmation the store keeps the complete count.
   */
  async function confirmCompleteness(org: OrgEntry, month: string): Promise<Pick<StartOptions, 'replaceComplete'> | undefined> {
    const saved = await results.load(org.id, month);
    if (!saved?.complete || monthWindow(month, new Date()).complete) return {};
    const recount = vscode.l10n.t('Recount Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} was counted completely, but the System Log no longer holds all of it: a recount would replace {1} MAU with a partial count.', monthName(month, true), formatNumber(saved.mau)),
      { modal: true },
      recount,
    );
    return choice === recount ? { replaceComplete: true } : undefined;
  }

  return [
    // Args (optional, for scripts and tests): `{ orgId?: string }`.
    registerCommand('oktaMau.countMaus', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      return org ? countInForeground(org, currentMonth(new Date())) : undefined;
    }),
    // Args: a `YYYY-MM` string, or `{ orgId?: string, month?: string }`.
    registerCommand('oktaMau.countMausForMonth', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      if (!org) return undefined;
      const month = typeof arg === 'string' ? arg : (stringArg(arg, 'month') ?? (await pickMonth(org, results)));
      if (!month) return undefined;
      monthWindow(month, new Date()); // throws InvalidInputError for a malformed month, before any request
      return countInForeground(org, month);
    }),
    // From the tree: a month node carries `orgId` and `month`.
    registerCommand('oktaMau.recountMonth', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      const month = stringArg(arg, 'month');
      return org && month ? countInForeground(org, month) : undefined;
    }),
    // Ignores the saved count (no incremental refresh). Args: a month node, or `{ orgId?, month? }`.
    registerCommand('oktaMau.recountFromScratch', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      if (!org) return undefined;
      const month = typeof arg === 'string' ? arg : (stringArg(arg, 'month') ?? (await pickMonth(org, results)));
      if (!month) return undefined;
      monthWindow(month, new Date());
      return countInForeground(org, month, { fromScratch: true });
    }),
    registerCommand('oktaMau.cancelCount', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      return org ? counts.cancel(org.id) : false;
    }),
    registerCommand('oktaMau.clearCache', errors, async () => {
      await results.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Okta MAU: cached results cleared.'));
    }),
  ];
}

function announce(org: OrgEntry, report: MauReport): void {
  const text = report.complete
    ? vscode.l10n.t('{0}: {1} MAU in {2}.', orgLabel(org), formatNumber(report.mau), monthName(report.month, true))
    : vscode.l10n.t('{0}: {1} MAU in {2} (partial: {3}).', orgLabel(org), formatNumber(report.mau), monthName(report.month, true), report.partialReason ?? '');
  const showUsers = vscode.l10n.t('Show Users');
  void vscode.window.showInformationMessage(text, showUsers).then((choice) => {
    if (choice === showUsers) void runCommand('oktaMau.users.focus');
  });
}

async function pickMonth(org: OrgEntry, results: ResultStore): Promise<string | undefined> {
  const now = new Date();
  const current = currentMonth(now);
  const items = await Promise.all(
    retainedMonths(now).map(async (month) => {
      const cached = await results.load(org.id, month);
      const window = monthWindow(month, now);
      const notes = [
        month === current ? vscode.l10n.t('current month') : undefined,
        window.complete || month === current ? undefined : vscode.l10n.t('partial: beyond the 90-day System Log retention'),
        cached ? vscode.l10n.t('last count {0} MAU', formatNumber(cached.mau)) : undefined,
      ].filter(Boolean);
      return { label: monthName(month, true), description: notes.join(' · '), month };
    }),
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Count MAUs for {0}', orgLabel(org)),
    placeHolder: vscode.l10n.t('Month (UTC) to count'),
  });
  return picked?.month;
}
