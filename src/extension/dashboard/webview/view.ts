/**
 * The dashboard's HTML: header with the month selector, figures as text (every number a chart shows
 * is also readable as text, for screen readers and for tests), chart frames and the user tables.
 * Built with DOM calls and `textContent`, so names and logins from the System Log are never parsed as HTML.
 * A month counted to date reads "so far" wherever its number shows, and is compared like for like.
 * Dates and times are in one style, the reader's locale, in UTC (said once, in the summary line).
 */
import { coveredPercent } from '../../../core/reportFacts';
import { ALL_ORGS, type AllOrgsView, type DashboardModel, type LiveCount, type MonthBar, type MonthDetail, type UserRow } from '../protocol';
import type { Formatters } from './charts';
import { el } from './dom';
import { buildLicencesCard, renderLicences, type LicencesCard } from './licences';

export interface ViewFormatters extends Formatters {
  /** `Dec 2, 3:04 PM` in UTC (with the year when it is not this year): the one date style of the page. */
  dateTime: (iso: string) => string;
  /** `Dec 2`: the UTC day of an instant; as the end of a range, midnight reads as the day before. */
  dayOf: (iso: string, endOfRange?: boolean) => string;
  /** `1 user` or `58 users`: the string keys for one and for many. */
  count: (n: number, one: string, many: string) => string;
  /** `November`: a month without its year, as the Users view names it in "Not active in November (412)". */
  monthName: (month: string) => string;
}

export interface Elements {
  title: HTMLElement;
  orgSelect: HTMLSelectElement;
  select: HTMLSelectElement;
  recount: HTMLButtonElement;
  live: HTMLElement;
  empty: HTMLElement;
  content: HTMLElement;
  mau: HTMLElement;
  mauNote: HTMLElement;
  summary: HTMLElement;
  splitLegend: HTMLElement;
  peak: HTMLElement;
  peakNote: HTMLElement;
  newUsers: HTMLElement;
  returning: HTMLElement;
  lapsed: HTMLElement;
  comparisonNote: HTMLElement;
  dailyCaption: HTMLElement;
  partialLegend: HTMLElement;
  toDateLegend: HTMLElement;
  most: HTMLTableSectionElement;
  least: HTMLTableSectionElement;
  projectedCard: HTMLElement;
  projected: HTMLElement;
  projectedNote: HTMLElement;
  cumulativeCaption: HTMLElement;
  projectionNote: HTMLElement;
  backtestNote: HTMLElement;
  allOrgs: HTMLElement;
  allOrgsCaption: HTMLElement;
  allOrgsBody: HTMLTableSectionElement;
  allOrgsTotal: HTMLTableSectionElement;
  allOrgsNotes: HTMLElement;
  licences: LicencesCard;
  canvases: { months: HTMLCanvasElement; daily: HTMLCanvasElement; split: HTMLCanvasElement; cumulative: HTMLCanvasElement };
}

function card(id: string, label: string): { root: HTMLElement; value: HTMLElement; note: HTMLElement } {
  const value = el('div', { class: 'value', id });
  const note = el('div', { class: 'note' });
  return { root: el('div', { class: 'card' }, el('div', { class: 'label' }, label), value, note), value, note };
}

function table(id: string, caption: string, f: Formatters): { root: HTMLElement; body: HTMLTableSectionElement } {
  const body = el('tbody');
  const head = el('tr', {}, ...[f.t('user'), f.t('sessions'), f.t('activeDays'), f.t('lastSeen')].map((h, i) => el('th', i > 0 ? { class: 'num' } : {}, h)));
  const root = el('section', { class: 'panel' }, el('h2', {}, caption), el('table', { id }, el('thead', {}, head), body));
  return { root, body };
}

/** Builds the page skeleton once; `render` fills it on every model. */
export function buildPage(app: HTMLElement, f: ViewFormatters): Elements {
  const title = el('h1');
  const orgSelect = el('select', { id: 'org-select', 'aria-label': f.t('org') });
  const select = el('select', { id: 'month-select', 'aria-label': f.t('month') });
  const recount = el('button', { id: 'recount', type: 'button' }, f.t('recount'));
  const live = el('div', { id: 'live', class: 'banner', role: 'status' });
  live.hidden = true;
  const empty = el('p', { id: 'empty', class: 'empty' });
  const mau = card('mau-value', f.t('mau'));
  const peak = card('peak-value', f.t('peakDay'));
  const newUsers = card('new-value', f.t('newUsers'));
  const returning = card('returning-value', f.t('returning'));
  const lapsed = card('lapsed-value', f.t('lapsed'));
  const projected = card('projected-value', f.t('projected'));
  const licences = buildLicencesCard(f);
  const comparisonNote = el('p', { id: 'comparison-note', class: 'note' });
  const summary = el('p', { id: 'summary', class: 'note' });
  const splitLegend = el('div', { class: 'legend' });
  const canvas = (id: string, label: string) => el('canvas', { id, role: 'img', 'aria-label': label });
  const canvases = {
    months: canvas('months-chart', f.t('mauPerMonth')),
    daily: canvas('daily-chart', f.t('dailyActive', '')),
    split: canvas('split-chart', f.t('newVsReturning')),
    cumulative: canvas('cumulative-chart', f.t('usersSoFar', '')),
  };
  const cumulativeCaption = el('h2');
  const projectionNote = el('p', { id: 'projection-note', class: 'note' });
  const backtestNote = el('p', { id: 'backtest-note', class: 'note' });
  const dailyCaption = el('h2');
  const partialLegend = el('p', { class: 'note' }, f.t('partialLegend'));
  const toDateLegend = el('p', { id: 'to-date-legend', class: 'note' });
  const most = table('most-active', f.t('mostActive'), f);
  const least = table('least-active', f.t('leastActive'), f);
  const allOrgsCaption = el('h2');
  const allOrgsBody = el('tbody');
  const allOrgsTotal = el('tbody', { class: 'total' });
  const allOrgsNotes = el('div', { id: 'all-orgs-notes' });
  const orgsHead = el('tr', {}, ...[f.t('org'), f.t('mau'), f.t('status'), f.t('countedAt')].map((h, i) => el('th', i === 1 ? { class: 'num' } : {}, h)), el('th', { class: 'num licences' }, f.t('licences')));
  const allOrgs = el('section', { id: 'all-orgs', class: 'panel' }, allOrgsCaption, el('table', { id: 'all-orgs-table' }, el('thead', {}, orgsHead), allOrgsBody, allOrgsTotal), allOrgsNotes);
  allOrgs.hidden = true;
  const content = el(
    'div',
    { id: 'content' },
    summary,
    el('section', { class: 'cards' }, mau.root, projected.root, peak.root, newUsers.root, returning.root, lapsed.root, licences.root),
    comparisonNote,
    el(
      'div',
      { class: 'grid' },
      el('section', { class: 'panel' }, el('h2', {}, f.t('mauPerMonth')), el('div', { class: 'chart' }, canvases.months), toDateLegend, partialLegend),
      el('section', { class: 'panel' }, el('h2', {}, f.t('newVsReturning')), el('div', { class: 'chart' }, canvases.split), splitLegend),
      el('section', { class: 'panel wide' }, cumulativeCaption, el('div', { class: 'chart' }, canvases.cumulative), projectionNote, backtestNote),
      el('section', { class: 'panel wide' }, dailyCaption, el('div', { class: 'chart' }, canvases.daily)),
    ),
    el('div', { class: 'tables' }, most.root, least.root),
  );
  const controls = el('div', { class: 'controls' }, el('label', { for: 'org-select' }, f.t('org')), orgSelect, el('label', { for: 'month-select' }, f.t('month')), select, recount);
  app.replaceChildren(el('header', {}, title, controls), live, empty, content, allOrgs);
  return {
    title, orgSelect, select, recount, projectedCard: projected.root, projected: projected.value, projectedNote: projected.note,
    cumulativeCaption, projectionNote, backtestNote, allOrgs, allOrgsCaption, allOrgsBody, allOrgsTotal, allOrgsNotes, live, empty, content, canvases, dailyCaption, partialLegend, toDateLegend, comparisonNote,
    mau: mau.value, mauNote: mau.note, summary, splitLegend, peak: peak.value, peakNote: peak.note,
    newUsers: newUsers.value, returning: returning.value, lapsed: lapsed.value,
    most: most.body, least: least.body, licences,
  };
}

/** `December 2026 (to Dec 2)` for a month counted to date, `October 2026 (partial)`, or the plain name. */
export function barLabel(m: MonthBar, name: string, f: ViewFormatters): string {
  if (!m.complete) return `${name} (${f.t('partial')})`;
  return m.toDate && !m.live ? f.t('toDateLabel', name, f.dayOf(m.toDate, true)) : name;
}

export function render(e: Elements, model: DashboardModel, f: ViewFormatters): void {
  const all = model.allOrgs;
  e.orgSelect.replaceChildren(
    ...model.orgs.map((o) => {
      const option = el('option', { value: o.id }, o.label);
      option.selected = !all && o.id === model.orgId;
      return option;
    }),
    ...(model.orgs.length > 1 || all ? [el('option', { value: ALL_ORGS }, f.t('allOrgs'))] : []),
  );
  e.orgSelect.value = all ? ALL_ORGS : model.orgId;
  e.orgSelect.disabled = model.orgs.length === 0;
  e.allOrgs.hidden = all === undefined;
  e.recount.hidden = all !== undefined;
  if (all) {
    renderAllOrgs(e, all, f);
    return;
  }
  e.title.textContent = model.org ? `${f.t('title')} · ${model.org}` : f.t('title');
  const saved = model.months.filter((m) => !m.live);
  e.select.replaceChildren(
    ...[...saved].reverse().map((m) => {
      const option = el('option', { value: m.month }, barLabel(m, f.monthLong(m.month), f));
      option.selected = m.month === model.selected?.month;
      return option;
    }),
  );
  e.select.disabled = saved.length === 0;
  e.recount.disabled = !model.selected || model.live !== undefined;
  e.partialLegend.hidden = saved.every((m) => m.complete);
  const toDate = saved.filter((m) => m.toDate).at(-1);
  e.toDateLegend.hidden = toDate?.toDate === undefined;
  e.toDateLegend.textContent = toDate?.toDate ? f.t('toDateLegend', f.monthLong(toDate.month), f.dayOf(toDate.toDate, true)) : '';
  const s = model.selected;
  e.empty.hidden = s !== undefined;
  e.content.hidden = s === undefined;
  e.empty.textContent = model.org ? f.t('noData', model.org) : f.t('noOrg');
  if (s) renderMonth(e, s, f);
  renderLive(e, model.live, f);
}

function renderMonth(e: Elements, s: MonthDetail, f: ViewFormatters): void {
  e.mau.textContent = f.number(s.mau);
  e.mau.dataset.value = String(s.mau);
  e.mau.dataset.state = s.state.kind;
  const name = f.monthLong(s.month);
  const when = f.dateTime(s.countedAt);
  const st = s.state;
  e.mauNote.textContent = st.kind === 'toDate' ? f.t('soFar', name, f.dayOf(st.upTo, true)) : st.kind === 'partial' ? `${name} (${f.t('partial')})` : `${name} · ${f.t('complete')}`;
  e.summary.textContent = [
    st.kind === 'toDate' ? f.t('monthToDate', f.dateTime(st.upTo)) : st.kind === 'partial' ? f.t('partialNote', st.reason ?? '') : f.t('completeNote'),
    s.incremental ? f.t('refreshed', when) : f.t('counted', when),
    f.count(s.events, 'eventOne', 'eventMany'),
    f.count(s.requests, 'requestOne', 'requestMany'),
    f.t('definitionIs', s.definition),
    f.t('timesUtc'),
  ].join(' · ');
  const peak = s.daily.reduce<MonthDetail['daily'][number] | undefined>((best, p) => (!best || p.users > best.users ? p : best), undefined);
  e.peak.textContent = peak ? f.number(peak.users) : '–';
  e.peakNote.textContent = peak ? f.day(peak.date) : '';
  const c = s.comparison;
  for (const [node, value] of [[e.newUsers, c.counted ? c.newUsers : undefined], [e.returning, c.counted ? c.returning : undefined], [e.lapsed, c.counted ? c.lapsed : undefined]] as const) {
    node.textContent = value === undefined ? '–' : f.number(value);
    if (value === undefined) delete node.dataset.value;
    else node.dataset.value = String(value);
  }
  e.comparisonNote.textContent = comparisonNote(s, f);
  e.comparisonNote.classList.toggle('warning', !c.counted);
  e.splitLegend.replaceChildren(
    ...(c.counted
      ? [
          el('span', { class: 'key new' }, `${f.t('newUsers')} ${f.number(c.newUsers)}`),
          el('span', { class: 'key returning' }, `${f.t('returning')} ${f.number(c.returning)}`),
        ]
      : []),
  );
  renderProjection(e, s, f);
  renderLicences(e.licences, s, f);
  e.dailyCaption.textContent = f.t('dailyActive', f.monthLong(s.month));
  e.canvases.daily.setAttribute('aria-label', e.dailyCaption.textContent);
  fillTable(e.most, s.most, f);
  fillTable(e.least, s.least, f);
}

/** The projected card and the notes under the distinct-users curve: the same figures as the status bar and the tree. */
function renderProjection(e: Elements, s: MonthDetail, f: ViewFormatters): void {
  e.cumulativeCaption.textContent = f.t('usersSoFar', f.monthLong(s.month));
  e.canvases.cumulative.setAttribute('aria-label', e.cumulativeCaption.textContent);
  const p = s.projection;
  e.projectedCard.hidden = p === undefined;
  e.projectionNote.hidden = p === undefined;
  e.backtestNote.hidden = p?.kind !== 'projected';
  if (p === undefined) return;
  if (p.kind === 'unavailable') {
    e.projected.textContent = '–';
    delete e.projected.dataset.value;
    e.projectedNote.textContent = f.t('noProjection');
    e.projectionNote.textContent = f.t('projectionUnavailable', p.reason);
    return;
  }
  const by = f.dayOf(p.until, true);
  e.projected.textContent = `≈ ${f.number(p.estimate)}`;
  e.projected.dataset.value = String(p.estimate);
  e.projected.dataset.low = String(p.low);
  e.projected.dataset.high = String(p.high);
  e.projectedNote.textContent = f.t('projectedBy', by, f.number(p.low), f.number(p.high));
  e.projectionNote.textContent = f.t('projectionNote', f.number(p.estimate), by, f.number(p.low), f.number(p.high), p.basedOn.map((m) => f.monthShort(m)).join(', '));
  const b = p.backtest;
  e.backtestNote.textContent =
    'reason' in b
      ? f.t('backtestNone', b.reason)
      : b.months === 1
        ? f.t(b.inRange === 1 ? 'backtestOneInside' : 'backtestOneOutside', b.day, (b.meanAbsError * 100).toFixed(1))
        : f.t('backtest', b.months, b.day, (b.meanAbsError * 100).toFixed(1), b.inRange);
}

/** Every org's count of one month, with the total and what it adds. */
function renderAllOrgs(e: Elements, all: AllOrgsView, f: ViewFormatters): void {
  e.title.textContent = `${f.t('title')} · ${f.t('allOrgs')}`;
  e.select.replaceChildren(
    ...all.months.map((m) => {
      const option = el('option', { value: m }, f.monthLong(m));
      option.selected = m === all.month;
      return option;
    }),
  );
  e.select.disabled = all.months.length === 0;
  e.recount.disabled = true;
  e.empty.hidden = true;
  e.content.hidden = true;
  e.live.hidden = true;
  e.allOrgsCaption.textContent = f.t('allOrgsCaption', f.monthLong(all.month));
  e.allOrgsBody.replaceChildren(
    ...all.orgs.map((o) => {
      const state = o.state;
      const status = !state ? f.t('notCounted', f.monthLong(all.month)) : state.kind === 'toDate' ? f.t('soFarTo', f.dayOf(state.upTo, true)) : state.kind === 'partial' ? f.t('partial') : f.t('complete');
      return el(
        'tr',
        { 'data-org-id': o.orgId, ...(o.mau !== undefined ? { 'data-value': String(o.mau) } : {}) },
        el('td', {}, o.org),
        el('td', { class: 'num' }, o.mau === undefined ? '–' : f.number(o.mau)),
        el('td', {}, status),
        el('td', {}, o.countedAt ? f.dateTime(o.countedAt) : ''),
        // Used of licensed, when the org's users are listed: `80.2% of 1,234`.
        o.licences
          ? el('td', { class: 'num licences', 'data-percent': String(o.licences.percent), 'data-licensed': String(o.licences.licensed), 'data-active': String(o.licences.active) }, f.t('percentOf', f.number(o.licences.percent), f.number(o.licences.licensed)))
          : el('td', { class: 'num licences' }, '–'),
      );
    }),
  );
  e.allOrgsTotal.replaceChildren(
    el('tr', { id: 'all-orgs-total', 'data-value': String(all.total) }, el('th', {}, all.orgs.length === 1 ? f.t('totalOfOne', f.number(all.counted)) : f.t('totalOf', f.number(all.counted), f.number(all.orgs.length))), el('th', { class: 'num' }, f.number(all.total)), el('th', {}), el('th', {}), el('th', { class: 'licences' })),
  );
  // The Licences column only once an org's users are listed: a column of dashes says nothing.
  e.allOrgsBody.parentElement?.classList.toggle('no-licences', !all.orgs.some((o) => o.licences));
  const notes = [f.t('allOrgsNote')];
  if (all.counted < all.orgs.length) notes.push(f.t('allOrgsMissing', f.monthLong(all.month)));
  if (all.mayBeLow) notes.push(f.t('allOrgsLow'));
  e.allOrgsNotes.replaceChildren(...notes.map((n) => el('p', { class: 'note' }, n)));
}

/** What the new, returning and lapsed figures are set against, or why there are none. */
function comparisonNote(s: MonthDetail, f: ViewFormatters): string {
  const c = s.comparison;
  const before = f.monthLong(c.previousMonth);
  if (!c.counted) return c.countedUpTo ? f.t('previousShort', before, f.dayOf(c.countedUpTo, true)) : f.t('previousNotCounted', before);
  if (!c.sameSpan) return f.t('comparedWith', before);
  const from = f.dayOf(`${c.previousMonth}-01T00:00:00.000Z`);
  const to = f.dayOf(c.sameSpan.upTo, true);
  return f.t('comparedSameSpan', before, from === to ? from : `${from} – ${to}`, f.count(c.sameSpan.mau, 'userOne', 'userMany'));
}

export function renderLive(e: Elements, live: LiveCount | undefined, f: ViewFormatters): void {
  e.live.hidden = live === undefined;
  e.recount.disabled = live !== undefined || e.content.hidden;
  if (!live) return;
  const percent = coveredPercent(live.covered);
  const line = f.t(live.incremental ? 'refreshing' : 'counting', f.monthLong(live.month), f.count(live.users, 'userOne', 'userMany'), percent);
  e.live.textContent = live.rateLimitWaitMs > 0 ? `${line} · ${f.t('waiting', Math.ceil(live.rateLimitWaitMs / 1000))}` : line;
  e.live.style.setProperty('--covered', `${percent}%`);
  // The progress the banner shows, with the page the notification and the tree name: one progress on every surface.
  Object.assign(e.live.dataset, { month: live.month, page: String(live.pages), users: String(live.users), percent: String(percent) });
}

function fillTable(body: HTMLTableSectionElement, rows: UserRow[], f: ViewFormatters): void {
  body.replaceChildren(
    ...rows.map((u) =>
      el(
        'tr',
        { 'data-user-id': u.id },
        el('td', { title: u.id }, el('div', { class: 'name' }, u.displayName || u.login), el('div', { class: 'login' }, u.login)),
        el('td', { class: 'num' }, f.number(u.sessions)),
        el('td', { class: 'num' }, f.number(u.activeDays)),
        el('td', { class: 'num' }, f.dateTime(u.lastSeen)),
      ),
    ),
  );
}
