/** Progress and report numbers as a person reads them. */
import * as vscode from 'vscode';
import { coveredPercent, formatNumber as formatNumberIn, monthLabel } from '../core/reportFacts';
import type { Progress } from '../core/types';

/** The core's number format in VS Code's display language. */
export function formatNumber(n: number): string {
  return formatNumberIn(n, language());
}

/** `November` for `2025-11`; `November 2025` with the year: the core's month label in VS Code's display language. */
export function monthName(month: string, withYear = false): string {
  return monthLabel(month, language(), withYear ? 'long-year' : 'long');
}

const language = (): string => vscode.env.language || 'en';

/** `page 12 · 11,800 events · 3,412 users · 46% of November`, or the rate-limit wait. */
export function progressMessage(p: Progress, month: string): string {
  if (p.rateLimitWaitMs > 0) {
    return vscode.l10n.t('waiting for rate limit ({0} s)', Math.ceil(p.rateLimitWaitMs / 1000));
  }
  return vscode.l10n.t(
    'page {0} · {1} events · {2} users · {3}% of {4}',
    formatNumber(p.pages),
    formatNumber(p.events),
    formatNumber(p.users),
    coveredPercent(p.covered),
    monthName(month),
  );
}

/** `3 min ago`, `2 h ago`, `5 days ago`: when a result was counted. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return vscode.l10n.t('just now');
  if (seconds < 3600) return vscode.l10n.t('{0} min ago', Math.floor(seconds / 60));
  if (seconds < 86400) return vscode.l10n.t('{0} h ago', Math.floor(seconds / 3600));
  return vscode.l10n.t('{0} days ago', Math.floor(seconds / 86400));
}
