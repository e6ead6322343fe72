/**
 * `oktaMau.autoRefreshMinutes` (0 = off): recounts the active org's current month in the
 * background. Progress shows in the status bar; a failure goes to the log and the status bar
 * tooltip, never to a notification every few minutes.
 */
import * as vscode from 'vscode';
import { describeError, isCancelled } from '../core/errors';
import { currentMonth } from '../core/month';
import { clampDelay } from '../core/sleep';
import { readSettings, SECTION } from './config';
import type { CountService } from './countService';
import type { Logger } from './log';
import type { OrgStore } from './orgStore';
import type { MauStatusBar } from './statusBar';

/** A tick finds the previous recount still running anyway; nothing is gained by checking more often. */
const MIN_INTERVAL_MS = 1000;

export function registerAutoRefresh(orgs: OrgStore, counts: CountService, statusBar: MauStatusBar, log: Logger): vscode.Disposable[] {
  let timer: ReturnType<typeof setInterval> | undefined;

  const tick = async () => {
    const org = await orgs.active();
    if (!org || counts.running(org.id)) return;
    try {
      await counts.start(org, currentMonth(new Date()), { background: true }).done;
      statusBar.setBackgroundError(undefined);
    } catch (err) {
      if (isCancelled(err)) return;
      const message = describeError(err, orgs.knownSecrets());
      log.warn(`background refresh failed: ${message}`);
      statusBar.setBackgroundError(message);
    }
  };

  const arm = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    // Bounded on read; clamped again because a delay past 2^31 - 1 ms makes Node fire every millisecond.
    const minutes = readSettings().autoRefreshMinutes;
    if (minutes > 0) timer = setInterval(() => void tick(), clampDelay(Math.max(MIN_INTERVAL_MS, minutes * 60_000)));
  };
  arm();

  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.autoRefreshMinutes`)) arm();
    }),
    { dispose: () => timer && clearInterval(timer) },
  ];
}
