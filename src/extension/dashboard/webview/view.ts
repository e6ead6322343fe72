/**
 * The dashboard's HTML: header with the month selector, figures as text (every number a chart shows
 * is also readable as text, for screen readers and for tests), chart frames and the user tables.
 * Built with DOM calls and `textContent`, so names and logins from the System Log are never parsed as HTML.
 */
import { coveredPercent } from '../../../core/reportFacts';
import type { DashboardModel, LiveCount, MonthDetail, UserRow } from '../protocol';
import type { Formatters } from './charts';

export interface Elements {
  title: HTMLElement;
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
  most: HTMLTableSectionElement;
  least: HTMLTableSectionElement;
  canvases: { months: HTMLCanvasElement; daily: HTMLCanvasElement; split: HTMLCanvasElement };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
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
export function buildPage(app: HTMLElement, f: Formatters): Elements {
  const title = el('h1');
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
  const comparisonNote = el('p', { id: 'comparison-note', class: 'note' });
  const summary = el('p', { id: 'summary', class: 'note' });
  const splitLegend = el('div', { class: 'legend' });
  const canvas = (id: string, label: string) => el('canvas', { id, role: 'img', 'aria-label': label });
  const canvases = {
    months: canvas('months-chart', f.t('mauPerMonth')),
    daily: canvas('daily-chart', f.t('dailyActive', '')),
    split: canvas('split-chart', f.t('newVsReturning')),
  };
  const dailyCaption = el('h2');
  const partialLegend = el('p', { class: 'note' }, f.t('partialLegend'));
  const most = table('most-active', f.t('mostActive'), f);
  const least = table('least-active', f.t('leastActive'), f);
  const content = el(
    'div',
    { id: 'content' },
    summary,
    el('section', { class: 'cards' }, mau.root, peak.root, newUsers.root, returning.root, lapsed.root),
    comparisonNote,
    el(
      'div',
      { class: 'grid' },
      el('section', { class: 'panel' }, el('h2', {}, f.t('mauPerMonth')), el('div', { class: 'chart' }, canvases.months), partialLegend),
      el('section', { class: 'panel' }, el('h2', {}, f.t('newVsReturning')), el('div', { class: 'chart' }, canvases.split), splitLegend),
      el('section', { class: 'panel wide' }, dailyCaption, el('div', { class: 'chart' }, canvases.daily)),
    ),
    el('div', { class: 'tables' }, most.root, least.root),
  );
  app.replaceChildren(el('header', {}, title, el('div', { class: 'controls' }, el('label', { for: 'month-select' }, f.t('month')), select, recount)), live, empty, content);
  return {
    title, select, recount, live, empty, content, canvases, dailyCaption, partialLegend, comparisonNote,
    mau: mau.value, mauNote: mau.note, summary, splitLegend, peak: peak.value, peakNote: peak.note,
    newUsers: newUsers.value, returning: returning.value, lapsed: lapsed.value,
    most: most.body, least: least.body,
  };
}

export function render(e: Elements, model: DashboardModel, f: Formatters): void {
  e.title.textContent = model.org ? `${f.t('title')} · ${model.org}` : f.t('title');
  const saved = model.months.filter((m) => !m.live);
  e.select.replaceChildren(
    ...[...saved].reverse().map((m) => {
      const option = el('option', { value: m.month }, `${f.monthLong(m.month)}${m.complete ? '' : ` (${f.t('partial')})`}`);
      option.selected = m.month === model.selected?.month;
      return option;
    }),
  );
  e.select.disabled = saved.length === 0;
  e.recount.disabled = !model.selected || model.live !== undefined;
  e.partialLegend.hidden = saved.every((m) => m.complete);
  const s = model.selected;
  e.empty.hidden = s !== undefined;
  e.content.hidden = s === undefined;
  e.empty.textContent = model.org ? f.t('noData', model.org) : f.t('noOrg');
  if (s) renderMonth(e, s, f);
  renderLive(e, model.live, f);
}

function renderMonth(e: Elements, s: MonthDetail, f: Formatters): void {
  e.mau.textContent = f.number(s.mau);
  e.mau.dataset.value = String(s.mau);
  const when = new Date(s.countedAt).toUTCString();
  e.mauNote.textContent = s.complete ? f.monthLong(s.month) : `${f.monthLong(s.month)} (${f.t('partial')})`;
  e.summary.textContent = [
    s.complete ? '' : f.t('partialNote', s.partialReason ?? ''),
    s.incremental ? f.t('refreshed', when) : f.t('counted', when),
    s.fetchedUntil ? f.t('upTo', s.fetchedUntil.slice(0, 16).replace('T', ' ')) : '',
    f.t('events', f.number(s.events), f.number(s.requests)),
  ].filter(Boolean).join(' · ');
  const peak = s.daily.reduce<MonthDetail['daily'][number] | undefined>((best, p) => (!best || p.users > best.users ? p : best), undefined);
  e.peak.textContent = peak ? f.number(peak.users) : '–';
  e.peakNote.textContent = peak ? f.day(peak.date) : '';
  const c = s.comparison;
  for (const [node, value] of [[e.newUsers, c.counted ? c.newUsers : undefined], [e.returning, c.counted ? c.returning : undefined], [e.lapsed, c.counted ? c.lapsed : undefined]] as const) {
    node.textContent = value === undefined ? '–' : f.number(value);
    if (value === undefined) delete node.dataset.value;
    else node.dataset.value = String(value);
  }
  e.comparisonNote.textContent = c.counted ? f.t('comparedWith', f.monthLong(c.previousMonth)) : f.t('previousNotCounted', f.monthLong(c.previousMonth));
  e.comparisonNote.classList.toggle('warning', !c.counted);
  e.splitLegend.replaceChildren(
    ...(c.counted
      ? [
          el('span', { class: 'key new' }, `${f.t('newUsers')} ${f.number(c.newUsers)}`),
          el('span', { class: 'key returning' }, `${f.t('returning')} ${f.number(c.returning)}`),
        ]
      : []),
  );
  e.dailyCaption.textContent = f.t('dailyActive', f.monthLong(s.month));
  e.canvases.daily.setAttribute('aria-label', e.dailyCaption.textContent);
  fillTable(e.most, s.most, f);
  fillTable(e.least, s.least, f);
}

export function renderLive(e: Elements, live: LiveCount | undefined, f: Formatters): void {
  e.live.hidden = live === undefined;
  e.recount.disabled = live !== undefined || e.content.hidden;
  if (!live) return;
  const percent = coveredPercent(live.covered);
  const line = f.t(live.incremental ? 'refreshing' : 'counting', f.monthLong(live.month), f.number(live.users), percent);
  e.live.textContent = live.rateLimitWaitMs > 0 ? `${line} · ${f.t('waiting', Math.ceil(live.rateLimitWaitMs / 1000))}` : line;
  e.live.style.setProperty('--covered', `${percent}%`);
}

function fillTable(body: HTMLTableSectionElement, rows: UserRow[], f: Formatters): void {
  body.replaceChildren(
    ...rows.map((u) =>
      el(
        'tr',
        { 'data-user-id': u.id },
        el('td', { title: u.id }, el('div', { class: 'name' }, u.displayName || u.login), el('div', { class: 'login' }, u.login)),
        el('td', { class: 'num' }, f.number(u.sessions)),
        el('td', { class: 'num' }, f.number(u.activeDays)),
        el('td', { class: 'num' }, u.lastSeen.slice(0, 16).replace('T', ' ')),
      ),
    ),
  );
}
