/**
 * A running count as a cancellable notification. The notification's CancellationToken cancels the
 * count (through `cancel`, which also says what became of the saved result); closing the
 * notification (hiding it) leaves the count running.
 */
import * as vscode from 'vscode';
import { coveredPercent } from '../core/reportFacts';
import type { MauReport } from '../core/types';
import type { CountService, RunState } from './countService';
import { orgLabel, type OrgEntry } from './orgStore';
import { monthName } from './progressText';

/** Cancels a running count and tells the person what became of the month's saved result. */
export type CancelRun = (org: OrgEntry, state: RunState) => void;

export function showCountProgress(counts: CountService, org: OrgEntry, state: RunState, cancel: CancelRun): Thenable<MauReport | undefined> {
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
      const cancelled = token.onCancellationRequested(() => cancel(org, state));
      const updates = counts.onDidChange((e) => {
        if (e.state === state && e.phase === 'progress') report();
      });
      report();
      try {
        return await state.done;
      } finally {
        cancelled.dispose();
        updates.dispose();
      }
    },
  );
}

/** When a count for the org is already running: offer to show it or cancel it, never start a second. */
export async function offerRunning(counts: CountService, org: OrgEntry, state: RunState, cancel: CancelRun, info: Notices): Promise<MauReport | undefined> {
  const show = vscode.l10n.t('Show Progress');
  const cancelIt = vscode.l10n.t('Cancel It');
  const choice = await info.show(vscode.l10n.t('A count for {0} ({1}) is already running.', orgLabel(org), monthName(state.month, true)), show, cancelIt);
  if (choice === show) return showCountProgress(counts, org, state, cancel);
  if (choice === cancelIt) cancel(org, state);
  return undefined;
}

/**
 * The count commands' information messages, each also fired as an event so scripts and tests can
 * observe what a person was told (as `ErrorReporter.onDidShowError` does for errors).
 */
export class Notices implements vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<string>();
  readonly onDidShow = this.shown.event;

  show(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.shown.fire(message);
    return vscode.window.showInformationMessage(message, ...actions);
  }

  dispose(): void {
    this.shown.dispose();
  }
}
