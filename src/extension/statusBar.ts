/**
 * `$(person) 12,345 MAU` for the active org's current month; `$(sync~spin)` while a count runs
 * (including background refreshes, whose progress shows here rather than in a notification).
 */
import * as vscode from 'vscode';
import { previousMonth } from '../core/history';
import { currentMonth } from '../core/month';
import { coveredPercent } from '../core/reportFacts';
import { commandRef } from './commands';
import { readSettings, SECTION } from './config';
import { markdownText, safeMarkdown } from './markdown';
import type { CountService } from './countService';
import { orgLabel, type OrgStore } from './orgStore';
import { ago, formatNumber, monthName } from './progressText';
import type { ResultStore } from './resultStore';

export class MauStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('oktaMau.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private visible = false;
  private backgroundError: string | undefined;
  /** Ignore results of an older update that finishes after a newer one. */
  private generation = 0;
  readonly ready: Promise<void>;

  constructor(
    private readonly orgs: OrgStore,
    private readonly results: ResultStore,
    private readonly counts: CountService,
  ) {
    this.item.name = vscode.l10n.t('Okta MAU');
    this.item.command = commandRef('oktaMau.countMaus', vscode.l10n.t('Count MAUs'));
    this.subscriptions.push(
      this.item,
      orgs.onDidChange(() => void this.update()),
      results.onDidChange(() => void this.update()),
      counts.onDidChange(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SECTION) && void this.update()),
    );
    // The month turns over while the window stays open.
    const hourly = setInterval(() => void this.update(), 3_600_000);
    this.subscriptions.push({ dispose: () => clearInterval(hourly) });
    this.ready = this.update();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** What a person sees, for tests and scripts: undefined while hidden. */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  setBackgroundError(message: string | undefined): void {
    this.backgroundError = message;
    void this.update();
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const org = await this.orgs.active();
    if (!org || !readSettings().statusBarEnabled) {
      if (generation === this.generation) this.hide();
      return;
    }
    const month = currentMonth(new Date());
    const previous = previousMonth(month);
    const [report, last] = await Promise.all([this.results.load(org.id, month), this.results.load(org.id, previous)]);
    if (generation !== this.generation) return;
    const running = this.counts.running(org.id);
    // Theme icons for the spinner; the org's host, progress and Okta's error text are escaped.
    const md = safeMarkdown(true);
    md.appendMarkdown(`**${vscode.l10n.t('Okta MAU')}** · ${markdownText(orgLabel(org))}\n\n`);
    if (report) {
      md.appendMarkdown(`${monthName(month, true)}: **${vscode.l10n.t('{0} MAU', formatNumber(report.mau))}** ${vscode.l10n.t('so far')}\n\n`);
      md.appendMarkdown(
        `${report.incremental ? vscode.l10n.t('Refreshed {0} (only new events fetched)', ago(report.countedAt)) : vscode.l10n.t('Counted {0}', ago(report.countedAt))}\n\n`,
      );
      if (last) md.appendMarkdown(`${changeLine(report.mau, last.mau, previous)}\n\n`);
    } else {
      md.appendMarkdown(`${vscode.l10n.t('{0} not counted yet.', monthName(month, true))}\n\n`);
    }
    if (running) md.appendMarkdown(`$(sync~spin) ${markdownText(running.message)}\n\n`);
    if (this.backgroundError) md.appendMarkdown(`$(warning) ${markdownText(vscode.l10n.t('Last background refresh failed: {0}', this.backgroundError))}\n\n`);
    md.appendMarkdown(vscode.l10n.t('Click to count again.'));
    const percent = running?.progress ? ` ${coveredPercent(running.progress.covered)}%` : '';
    this.item.text = running
      ? `$(sync~spin) ${vscode.l10n.t('Okta MAU')}${percent}`
      : report
        ? `$(person) ${vscode.l10n.t('{0} MAU', formatNumber(report.mau))}`
        : `$(person) ${vscode.l10n.t('Count MAU')}`;
    this.item.tooltip = md;
    this.item.accessibilityInformation = {
      label: running
        ? vscode.l10n.t('Okta MAU: counting {0}', orgLabel(org))
        : report
          ? vscode.l10n.t('Okta MAU: {0} monthly active users in {1}', formatNumber(report.mau), orgLabel(org))
          : vscode.l10n.t('Okta MAU: not counted yet; activate to count'),
    };
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }
}

function changeLine(now: number, before: number, beforeMonth: string): string {
  if (before === 0) return vscode.l10n.t('{0}: {1} MAU', monthName(beforeMonth, true), formatNumber(before));
  const pct = ((now - before) / before) * 100;
  const sign = pct > 0 ? '+' : '';
  return vscode.l10n.t('{0}{1}% vs {2} ({3} MAU)', sign, pct.toFixed(1), monthName(beforeMonth, true), formatNumber(before));
}
