/**
 * A running count as a cancellable notification. The notification's CancellationToken aborts the
 * count's AbortSignal; closing the notification (hiding it) leaves the count running.
 */
import * as vscode from 'vscode';
import { coveredPercent } from '../core/reportFacts';
import type { MauReport } from '../core/types';
import type { CountService, RunState } from './countService';
import { orgLabel, type OrgEntry } from './orgStore';
import { monthName } from './progressText';

export function showCountProgress(counts: CountService, org: OrgEntry, state: RunState): Thenable<MauReport | undefined> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Okta MAU: counting {0}, {1}', orgLabel(org), monthName(state.month, true)),
      cancellable: true,
    },
    async (progress, token) => {
      let percent = 0;
      const report = () => {
        const covered = coveredPercent(state.progress?.covered ?? 0);
        progress.report({ message: state.message, increment: Math.max(0, covered - percent) });
        percent = Math.max(percent, covered);
      };
      const cancel = token.onCancellationRequested(() => counts.cancel(state.orgId));
      const updates = counts.onDidChange((e) => {
        if (e.state === state && e.phase === 'progress') report();
      });
      report();
      try {
        return await state.done;
      } finally {
        cancel.dispose();
        updates.dispose();
      }
    },
  );
}

/** When a count for the org is already running: offer to show it or cancel it, never start a second. */
export async function offerRunning(counts: CountService, org: OrgEntry, state: RunState): Promise<MauReport | undefined> {
  const show = vscode.l10n.t('Show Progress');
  const cancel = vscode.l10n.t('Cancel It');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('A count for {0} ({1}) is already running.', orgLabel(org), monthName(state.month, true)),
    show,
    cancel,
  );
  if (choice === show) return showCountProgress(counts, org, state);
  if (choice === cancel) counts.cancel(org.id);
  return undefined;
}
