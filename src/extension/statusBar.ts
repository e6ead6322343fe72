/**
 * The active org's count in the status bar. Early in a month the figure people ask for is last
 * month's final count and this month so far, so the text shows both when both are saved
 * (`$(person) Nov 3,412 · Dec 60 so far`); `$(sync~spin)` while a count runs (background refreshes
 * included, whose progress shows here rather than in a notification). The tooltip gives each month's
 * state (complete, partial, or to date), compares like for like, and says what a click does.
 */
import * as vscode from 'vscode';
import { definitionName } from '../core/definitions';
import { compareWithMonthBefore, previousMonth, type MonthComparison } from '../core/history';
import { currentMonth } from '../core/month';
import { coveredPercent, monthState } from '../core/reportFacts';
import { commandRef } from './commands';
import { readSettings, SECTION } from './config';
import { resumable, type CountService, type RunState } from './countService';
import { markdownText, safeMarkdown } from './markdown';
import { orgLabel, type OrgStore } from './orgStore';
import { ago, dayName, formatNumber, monthName, shortMonthName } from './progressText';
import { projectionText, type Projections } from './projections';
import type { ResultStore, StoredReport } from './resultStore';

/** "Counted 3 min ago" must stay true while the window stays open (the minute restarts when a count is saved); the month also turns over. */
const REDRAW_MS = 60_000;

/** The two months the status bar speaks of: the running one and the one before. */
interface Months {
  month: string;
  previous: string;
  report?: StoredReport;
  last?: StoredReport;
}

export class MauStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('oktaMau.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private visible = false;
  private tooltipText = '';
  private backgroundError: string | undefined;
  /** Ignore results of an older update that finishes after a newer one. */
  private generation = 0;
  readonly ready: Promise<void>;

  constructor(
    private readonly orgs: OrgStore,
    private readonly results: ResultStore,
    private readonly counts: CountService,
    private readonly projections?: Projections,
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
    // A saved count restarts the minute, as in the Users view: its "Counted just now" turns into
    // "1 min ago" when that becomes true, not up to a minute later.
    let redraw: ReturnType<typeof setInterval> | undefined;
    const restartRedraw = () => {
      clearInterval(redraw);
      redraw = setInterval(() => void this.update(), REDRAW_MS);
    };
    restartRedraw();
    this.subscriptions.push(results.onDidChange(restartRedraw), { dispose: () => clearInterval(redraw) });
    this.ready = this.update();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** What a person sees, for tests and scripts: undefined while hidden. */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  /** The tooltip's Markdown source, for tests and scripts: undefined while hidden. */
  get tooltip(): string | undefined {
    return this.visible ? this.tooltipText : undefined;
  }

  setBackgroundError(message: string | undefined): void {
    this.backgroundError = message;
    void this.update();
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const org = await this.orgs.active();
    const settings = readSettings();
    if (!org || !settings.statusBarEnabled) {
      if (generation === this.generation) this.hide();
      return;
    }
    const month = currentMonth(new Date());
    const previous = previousMonth(month);
    const [report, last] = await Promise.all([this.results.load(org.id, month), this.results.load(org.id, previous)]);
    const projection = report ? await this.projections?.of(org.id, report) : undefined;
    if (generation !== this.generation) return;
    const m: Months = { month, previous, report, last };
    const running = this.counts.running(org.id);
    const click = clickLine(m, running, settings.incrementalRefresh);
    // Theme icons for the spinner; the org's host, progress and Okta's error text are escaped. The
    // rest is this extension's own words, numbers and Intl's month and day names.
    const md = safeMarkdown(true);
    md.appendMarkdown(`**${vscode.l10n.t('Okta MAU')}** · ${markdownText(orgLabel(org))}\n\n`);
    if (last) md.appendMarkdown(`${monthLine(last, month)}\n\n`);
    if (report) {
      md.appendMarkdown(`${monthLine(report, month)}\n\n`);
      md.appendMarkdown(
        `${report.incremental ? vscode.l10n.t('Refreshed {0} (only new events fetched)', ago(report.countedAt)) : vscode.l10n.t('Counted {0}', ago(report.countedAt))}\n\n`,
      );
      if (last) md.appendMarkdown(`${comparisonLine(compareWithMonthBefore(report, last), report.mau)}\n\n`);
      md.appendMarkdown(`${markdownText(vscode.l10n.t('Definition: {0}', definitionName(report)))}\n\n`);
      const projected = projectionText(projection, report.until);
      if (projected) md.appendMarkdown(`${vscode.l10n.t('Projected: {0}', projected)}\n\n`);
      else if (projection?.kind === 'tooLittleHistory') md.appendMarkdown(`${markdownText(vscode.l10n.t('No projection yet: {0}', projection.reason))}\n\n`);
    } else {
      md.appendMarkdown(`${vscode.l10n.t('{0} not counted yet.', monthName(month, true))}\n\n`);
    }
    if (running) md.appendMarkdown(`$(sync~spin) ${markdownText(vscode.l10n.t('Counting {0}: {1}', monthName(running.month, true), running.message))}\n\n`);
    if (this.backgroundError) md.appendMarkdown(`$(warning) ${markdownText(vscode.l10n.t('Last background refresh failed: {0}', this.backgroundError))}\n\n`);
    md.appendMarkdown(click);
    const percent = running?.progress ? ` ${coveredPercent(running.progress.covered)}%` : '';
    const figures = statusFigures(m);
    this.item.text = running ? `$(sync~spin) ${vscode.l10n.t('Okta MAU')}${percent}` : `$(person) ${figures ?? vscode.l10n.t('Count MAU')}`;
    this.item.tooltip = md;
    this.tooltipText = md.value;
    this.item.accessibilityInformation = {
      label: running
        ? vscode.l10n.t('Okta MAU: counting {0}', orgLabel(org))
        : figures
          ? vscode.l10n.t('Okta MAU, {0}: {1}. {2}', orgLabel(org), figures, click)
          : vscode.l10n.t('Okta MAU, {0}: not counted yet. {1}', orgLabel(org), click),
    };
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }
}

/**
 * The status bar's figures: `Nov 3,412 · Dec 60 so far` when last month was counted to its end and
 * this month so far; one month alone otherwise; undefined when neither is saved.
 */
function statusFigures({ month, report, last }: Months): string | undefined {
  const lastWhole = last !== undefined && monthState(last).kind !== 'toDate';
  if (report && last && lastWhole) return `${figure(last, month)} · ${figure(report, month)}`;
  if (report) {
    return monthState(report).kind === 'toDate' ? vscode.l10n.t('{0} MAU so far', formatNumber(report.mau)) : vscode.l10n.t('{0} MAU', formatNumber(report.mau));
  }
  if (last) {
    const state = monthState(last);
    return state.kind === 'toDate'
      ? vscode.l10n.t('{0} {1} MAU to {2}', shortMonthName(last.month), formatNumber(last.mau), dayName(state.upTo, true))
      : vscode.l10n.t('{0} {1} MAU', shortMonthName(last.month), formatNumber(last.mau));
  }
  return undefined;
}

/** `Nov 3,412`, or `Dec 60 so far` for the running month counted to date. */
function figure(r: StoredReport, month: string): string {
  const short = shortMonthName(r.month);
  return monthState(r).kind === 'toDate' && r.month === month
    ? vscode.l10n.t('{0} {1} so far', short, formatNumber(r.mau))
    : `${short} ${formatNumber(r.mau)}`;
}

/** `November 2026: **3,412 MAU** · complete`, `December 2026: **60 MAU** so far · to Dec 2 (UTC)`. */
function monthLine(r: StoredReport, month: string): string {
  const name = monthName(r.month, true);
  const mau = `**${vscode.l10n.t('{0} MAU', formatNumber(r.mau))}**`;
  const state = monthState(r);
  switch (state.kind) {
    case 'complete':
      return vscode.l10n.t('{0}: {1} · complete', name, mau);
    case 'partial':
      return vscode.l10n.t('{0}: {1} · partial: {2}', name, mau, markdownText(state.reason ?? ''));
    case 'toDate':
      return r.month === month
        ? vscode.l10n.t('{0}: {1} so far · to {2} (UTC)', name, mau, dayName(state.upTo, true))
        : vscode.l10n.t('{0}: {1} to {2} (UTC), counted before the month ended', name, mau, dayName(state.upTo, true));
  }
}

/** The running month against the month before, like for like (the same span), or why not. */
function comparisonLine(c: MonthComparison, mau: number): string {
  switch (c.kind) {
    case 'sameSpan': {
      const span = dayRange(`${c.previousMonth}-01T00:00:00.000Z`, c.upTo);
      return c.mau === 0
        ? vscode.l10n.t('No active users in the same span of {0} ({1}) to compare with', monthName(c.previousMonth), span)
        : vscode.l10n.t('{0} vs the same span of {1} ({2}: {3} MAU)', change(mau, c.mau), monthName(c.previousMonth), span, formatNumber(c.mau));
    }
    case 'month':
      return c.mau === 0
        ? vscode.l10n.t('{0}: {1} MAU', monthName(c.previousMonth, true), formatNumber(0))
        : vscode.l10n.t('{0} vs {1} ({2} MAU)', change(mau, c.mau), monthName(c.previousMonth, true), formatNumber(c.mau));
    case 'short':
      return vscode.l10n.t('{0} was counted only to {1}: count it again to compare like for like', monthName(c.previousMonth, true), dayName(c.upTo, true));
  }
}

function change(now: number, before: number): string {
  const pct = ((now - before) / before) * 100;
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct).toFixed(1)}%`;
}

/** `Nov 1 – Nov 2`, or `Nov 1` for a span within one day. */
function dayRange(since: string, upTo: string): string {
  const from = dayName(since);
  const to = dayName(upTo, true);
  return from === to ? from : `${from} – ${to}`;
}

/** What clicking does (it runs Count MAUs), so the tooltip never offers to count "again" what was never counted. */
function clickLine({ month, report }: Months, running: RunState | undefined, incremental: boolean): string {
  if (running) return vscode.l10n.t('Click to show the running count or cancel it.');
  if (!report) return vscode.l10n.t('Click to count {0}.', monthName(month, true));
  return incremental && resumable(report)
    ? vscode.l10n.t('Click to refresh {0} (only new events are fetched).', monthName(month, true))
    : vscode.l10n.t('Click to count {0} again.', monthName(month, true));
}
