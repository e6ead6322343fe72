/** Progress and report numbers as a person reads them. */
import * as vscode from 'vscode';
import { coveredPercent, dayLabel, formatNumber as formatNumberIn, monthLabel } from '../core/reportFacts';
import type { Progress } from '../core/types';

/** The core's number format in VS Code's display language. */
export function formatNumber(n: number): string {
  return formatNumberIn(n, language());
}

/** `November` for `2025-11`; `November 2025` with the year: the core's month label in VS Code's display language. */
export function monthName(month: string, withYear = false): string {
  return monthLabel(month, language(), withYear ? 'long-year' : 'long');
}

/** `Nov` for `2025-11`, where space is scarce (the status bar's text). */
export function shortMonthName(month: string): string {
  return monthLabel(month, language(), 'short');
}

/** `Dec 2`: the UTC day of an instant; as the end of a range, midnight reads as the day before. */
export function dayName(iso: string, endOfRange = false): string {
  return dayLabel(iso, language(), endOfRange);
}

const language = (): string => vscode.env.language || 'en';

/** `1 event`, `11,800 events`. */
export function eventCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 event') : vscode.l10n.t('{0} events', formatNumber(n));
}

/** `1 user`, `3,412 users`. */
export function userCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 user') : vscode.l10n.t('{0} users', formatNumber(n));
}

/** `1 request`, `12 requests`. */
export function requestCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', formatNumber(n));
}

/** `page 12 · 11,800 events · 3,412 users · 46% of November`, or the rate-limit wait. */
export function progressMessage(p: Progress, month: string): string {
  if (p.rateLimitWaitMs > 0) {
    return vscode.l10n.t('waiting for rate limit ({0} s)', Math.ceil(p.rateLimitWaitMs / 1000));
  }
  return vscode.l10n.t('page {0} · {1} · {2} · {3}% of {4}', formatNumber(p.pages), eventCount(p.events), userCount(p.users), coveredPercent(p.covered), monthName(month));
}

/** `3 min ago`, `2 h ago`, `5 days ago`: when a result was counted. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return vscode.l10n.t('just now');
  if (seconds < 3600) return vscode.l10n.t('{0} min ago', Math.floor(seconds / 60));
  if (seconds < 86400) return vscode.l10n.t('{0} h ago', Math.floor(seconds / 3600));
  const days = Math.floor(seconds / 86400);
  return days === 1 ? vscode.l10n.t('1 day ago') : vscode.l10n.t('{0} days ago', days);
}
