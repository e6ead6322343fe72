/**
 * Count MAUs (current month), Count MAUs for Month…, Cancel Count, Recount Month and Clear Cached
 * Results. Each count shows a cancellable notification; a finished count is saved and announced
 * (a month still running as "so far"), and a cancelled one says what became of the saved result.
 */
import * as vscode from 'vscode';
import { DEFAULT_PRESET_ID, describeDefinition } from '../core/definitions';
import { currentMonth, monthWindow, retainedMonths } from '../core/month';
import { monthState } from '../core/reportFacts';
import type { MauReport } from '../core/types';
import { resolveOrg, stringArg } from './activeOrg';
import { registerCommand, runCommand, type ErrorReporter } from './commands';
import { offerRunning, showCountProgress, type Notices } from './countProgress';
import type { CountService, RunState, StartOptions } from './countService';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { dayName, formatNumber, monthName } from './progressText';
import type { ResultStore } from './resultStore';
import type { UserListStore } from './userListStore';

export interface CountDeps {
  orgs: OrgStore;
  results: ResultStore;
  counts: CountService;
  errors: ErrorReporter;
  /** Information messages, observable through the API. */
  notices: Notices;
  /** The saved user listings, cleared with the results. */
  listings?: UserListStore;
}

export function registerCountCommands(deps: CountDeps): vscode.Disposable[] {
  const { orgs, results, counts, errors, notices, listings } = deps;
  /** Runs being cancelled: the notification's Cancel and "Cancel Count" together say it once. */
  const cancelling = new WeakSet<RunState>();

  async function countInForeground(org: OrgEntry, month: string, options: Pick<StartOptions, 'fromScratch'> = {}): Promise<MauReport | undefined> {
    const running = counts.running(org.id);
    if (running) return offerRunning(counts, org, running, cancelRun, notices);
    const completeness = await confirmCompleteness(org, month);
    if (!completeness) return undefined;
    const state = counts.start(org, month, { background: false, ...options, ...completeness });
    const report = await showCountProgress(counts, org, state, cancelRun);
    if (report) announce(notices, org, report);
    return report;
  }

  /**
   * Cancels the run and, once it has stopped, says so and what became of the month: a cancelled
   * count never replaces the saved one, so there either is an earlier result, kept, or nothing saved.
   */
  function cancelRun(org: OrgEntry, state: RunState): void {
    if (cancelling.has(state) || counts.running(org.id) !== state) return;
    cancelling.add(state);
    counts.cancel(org.id);
    const month = monthName(state.month, true);
    void state.done
      .then(async (report) => {
        // A report means the count finished before the cancel landed (and was announced as such).
        if (report) return;
        const kept = await results.load(org.id, state.month).catch(() => undefined);
        void notices.show(
          kept
            ? vscode.l10n.t('Count of {0} cancelled; the earlier result is kept.', month)
            : vscode.l10n.t('Count of {0} cancelled; nothing was saved.', month),
        );
      })
      // A count that failed instead has said so through the error reporter.
      .catch(() => undefined);
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
    // Returns at once (true when a count was running); the outcome is said once the run has stopped.
    registerCommand('oktaMau.cancelCount', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      if (!org) return false;
      const running = counts.running(org.id);
      if (!running) {
        void notices.show(vscode.l10n.t('Nothing to cancel: no count of {0} is running.', orgLabel(org)));
        return false;
      }
      cancelRun(org, running);
      return true;
    }),
    registerCommand('oktaMau.clearCache', errors, async () => {
      await results.clear();
      await listings?.clear();
      void notices.show(vscode.l10n.t('Okta MAU: cached results cleared.'));
    }),
  ];
}

/** A finished count: a month still running is "so far", to the day the count reached. */
function announce(notices: Notices, org: OrgEntry, report: MauReport): void {
  const state = monthState(report);
  const [host, mau, month] = [orgLabel(org), formatNumber(report.mau), monthName(report.month, true)];
  const counted =
    state.kind === 'toDate'
      ? vscode.l10n.t('{0}: {1} MAU in {2} so far (to {3}, UTC).', host, mau, month, dayName(state.upTo, true))
      : state.kind === 'partial'
        ? vscode.l10n.t('{0}: {1} MAU in {2} (partial: {3}).', host, mau, month, state.reason ?? '')
        : vscode.l10n.t('{0}: {1} MAU in {2}.', host, mau, month);
  // The default needs no word; any other definition is named, as every view names it.
  const definition = describeDefinition(report);
  const text = definition.id === DEFAULT_PRESET_ID ? counted : `${counted} ${vscode.l10n.t('Counted as {0}.', definition.name)}`;
  const showUsers = vscode.l10n.t('Show Users');
  void notices.show(text, showUsers).then((choice) => {
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
