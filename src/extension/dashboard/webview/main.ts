/**
 * The dashboard webview's script (bundled for the browser into dist/webview/dashboard.js). It only
 * draws: every number arrives computed from the extension. The selected month is kept with
 * `setState`, so a reloaded or restored panel opens on the same month.
 */
import { dateTimeLabel, dayLabel, formatNumber, monthLabel } from '../../../core/reportFacts';
import { ALL_ORGS, type DashboardModel, type FromWebview, type LiveCount, type ToWebview, type WebviewState } from '../protocol';
import { DashboardCharts, type Formatters } from './charts';
import { watchTheme } from './theme';
import { renderListing } from './licences';
import { buildPage, render, renderLive, type Elements, type ViewFormatters } from './view';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let strings: Record<string, string> = {};
let locale = 'en';
let page: { elements: Elements; charts: DashboardCharts; f: ViewFormatters } | undefined;
let model: DashboardModel | undefined;

function formatters(): ViewFormatters {
  const thisYear = new Date().getUTCFullYear();
  const t = (key: string, ...values: (string | number)[]) => (strings[key] ?? key).replace(/\{(\d)\}/g, (_, i: string) => String(values[Number(i)] ?? ''));
  return {
    number: (n) => formatNumber(n, locale),
    monthShort: (m) => monthLabel(m, locale, 'short-year'),
    monthLong: (m) => monthLabel(m, locale, 'long-year'),
    monthName: (m) => monthLabel(m, locale, 'long'),
    day: (d) => (d ? dateTimeLabel(`${d}T00:00:00Z`, locale, 'weekday') : ''),
    dateTime: (iso) => {
      const at = Date.parse(iso);
      return Number.isNaN(at) ? '' : dateTimeLabel(iso, locale, new Date(at).getUTCFullYear() === thisYear ? 'day-time' : 'day-time-year');
    },
    dayOf: (iso, endOfRange) => dayLabel(iso, locale, endOfRange),
    count: (n, one, many) => (n === 1 ? t(one) : t(many, formatNumber(n, locale))),
    t,
  };
}

/**
 * The charts name a month counted to date `Dec 2026 (to Dec 2)`, on the axis and in the tooltip, so
 * its bar never passes for a whole month beside the finished ones.
 */
function chartFormatters(f: ViewFormatters): Formatters {
  const mark = (name: (m: string) => string) => (m: string) => {
    const upTo = model?.months.find((b) => b.month === m && !b.live)?.toDate;
    return upTo ? f.t('toDateLabel', name(m), f.dayOf(upTo, true)) : name(m);
  };
  return { ...f, monthShort: mark(f.monthShort), monthLong: mark(f.monthLong) };
}

function selectMonth(month: string): void {
  vscode.setState({ ...vscode.getState(), month });
  vscode.postMessage({ type: 'selectMonth', month });
}

function ensurePage(): NonNullable<typeof page> {
  if (page) return page;
  const f = formatters();
  const elements = buildPage(document.getElementById('app')!, f);
  const charts = new DashboardCharts(elements.canvases, chartFormatters(f), selectMonth);
  charts.retheme();
  elements.select.addEventListener('change', () => selectMonth(elements.select.value));
  elements.orgSelect.addEventListener('change', () => {
    const orgId = elements.orgSelect.value;
    vscode.setState({ orgId });
    vscode.postMessage({ type: 'selectOrg', orgId });
  });
  elements.recount.addEventListener('click', () => {
    if (model?.selected) vscode.postMessage({ type: 'recount', month: model.selected.month });
  });
  // The extension lists the users of the org it shows; the card follows the listing's progress.
  elements.licences.listUsers.addEventListener('click', () => {
    elements.licences.listUsers.disabled = true;
    vscode.postMessage({ type: 'listUsers' });
  });
  page = { elements, charts, f };
  return page;
}

function draw(animate: boolean): void {
  if (!model) return;
  const { elements, charts, f } = ensurePage();
  render(elements, model, f);
  const orgId = model.allOrgs ? ALL_ORGS : vscode.getState()?.orgId;
  if (model.allOrgs) {
    vscode.setState({ month: model.allOrgs.month, orgId });
    return;
  }
  charts.showMonths(model.months, model.selected?.month, animate);
  if (model.selected) {
    charts.showCumulative(model.selected.month, model.selected.cumulative, model.selected.projection);
    charts.showDaily(model.selected.daily);
    charts.showSplit(model.selected.comparison);
    vscode.setState({ month: model.selected.month, ...(orgId && orgId !== ALL_ORGS ? { orgId } : {}) });
  }
}

/** Live progress: the banner, and the bar of a month being counted for the first time. */
function progress(live: LiveCount | undefined): void {
  if (!model || !page || model.allOrgs) return;
  model = { ...model, live, months: model.months.filter((m) => !m.live || m.month === live?.month) };
  const bar = live && model.months.find((m) => m.month === live.month && m.live);
  if (bar) bar.mau = live.users;
  else if (live && !model.months.some((m) => m.month === live.month)) {
    model.months = [...model.months, { month: live.month, mau: live.users, complete: true, incremental: live.incremental, countedAt: '', live: true }].sort((a, b) =>
      a.month.localeCompare(b.month),
    );
  }
  renderLive(page.elements, live, page.f);
  page.charts.showMonths(model.months, model.selected?.month, false);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      locale = message.locale;
      // Words and number formats changed: build the page again (a reload sends init once more).
      page?.charts.retheme();
      page = undefined;
      break;
    case 'model':
      model = message.model;
      draw(true);
      break;
    case 'progress':
      progress(message.live);
      break;
    case 'listing':
      if (page && model && !model.allOrgs) renderListing(page.elements.licences, model.selected, message.message, page.f);
      break;
  }
});

// After the window's layout settles (the next frame), so each chart reads its box's new size.
window.addEventListener('resize', () => requestAnimationFrame(() => page?.charts.resize()));

watchTheme(() => {
  if (!page) return;
  page.charts.retheme();
  draw(false);
});

vscode.postMessage({ type: 'ready', month: vscode.getState()?.month, orgId: vscode.getState()?.orgId });
