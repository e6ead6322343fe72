/**
 * The Licences card: licensed versus active users of the selected month and the share used, from
 * the org's saved user listing (every figure arrives computed: the core's `inactiveInMonth` and
 * `utilisationPercent`, the numbers of the Users view's "Not active in <month> (N)" and of
 * `okta-mau inactive`, and its "Dormant for N days (M)"). Before the users are listed it offers to list them; when the credential
 * was refused the Users API it says what to grant, in the core's words. Text only (`textContent`):
 * Okta's refusal is shown, never parsed.
 */
import type { LicencesView, MonthDetail } from '../protocol';
import { el } from './dom';
import type { ViewFormatters } from './view';

export interface LicencesCard {
  root: HTMLElement;
  value: HTMLElement;
  /** `1,234 licensed · 987 active` */
  split: HTMLElement;
  /** `247 not active in November` (`… so far` for the running month). */
  inactive: HTMLElement;
  /** `Dormant for 90 days: 412`, by Okta's `lastLogin` (`data-value`, `data-days`). */
  dormant: HTMLElement;
  /** `users listed Dec 2, 3:04 PM`, or why there is nothing to show. */
  status: HTMLElement;
  listUsers: HTMLButtonElement;
}

export function buildLicencesCard(f: ViewFormatters): LicencesCard {
  const value = el('div', { class: 'value', id: 'licences-value' });
  const split = el('div', { class: 'note', id: 'licences-split' });
  const inactive = el('div', { class: 'note', id: 'licences-inactive' });
  const dormant = el('div', { class: 'note', id: 'licences-dormant' });
  const status = el('div', { class: 'note', id: 'licences-status' });
  const listUsers = el('button', { id: 'list-users', type: 'button' }, f.t('listUsers'));
  const root = el('div', { class: 'card licences', id: 'licences-card' }, el('div', { class: 'label' }, f.t('licences')), value, split, inactive, dormant, status, listUsers);
  return { root, value, split, inactive, dormant, status, listUsers };
}

export function renderLicences(c: LicencesCard, s: MonthDetail, f: ViewFormatters): void {
  const l: LicencesView | undefined = s.licences;
  c.root.hidden = l === undefined;
  if (!l) return;
  const figures = l.figures;
  c.root.dataset.state = figures ? 'listed' : l.listing !== undefined ? 'listing' : l.refusal !== undefined ? 'refused' : 'notListed';
  if (figures) {
    const month = f.monthName(s.month);
    c.value.textContent = f.t('percentUsed', f.number(figures.percent));
    c.value.dataset.value = String(figures.percent);
    c.root.dataset.licensed = String(figures.licensed);
    c.root.dataset.active = String(figures.active);
    c.root.dataset.inactive = String(figures.inactive);
    c.split.textContent = f.t('licensedActive', f.number(figures.licensed), f.number(figures.active));
    c.inactive.textContent = f.t(s.state.kind === 'toDate' ? 'notActiveSoFar' : 'notActiveIn', f.number(figures.inactive), month);
    renderDormant(c.dormant, figures.dormant, figures.statuses, f);
    c.root.title = f.t('licencesHint', figures.statuses.join(', '), f.monthLong(s.month));
  } else {
    c.value.textContent = '–';
    delete c.value.dataset.value;
    for (const key of ['licensed', 'active', 'inactive']) delete c.root.dataset[key];
    c.split.textContent = '';
    c.inactive.textContent = '';
    c.dormant.textContent = '';
    delete c.dormant.dataset.value;
    delete c.dormant.dataset.days;
    c.dormant.removeAttribute('title');
    c.root.removeAttribute('title');
  }
  c.split.hidden = !figures;
  c.inactive.hidden = !figures;
  c.dormant.hidden = !figures;
  renderStatus(c, l, s, f);
}

/** `Dormant for 90 days: 412` (`1 day`), the Users view's group, with what it means as its tooltip. */
function renderDormant(e: HTMLElement, d: { days: number; users: number }, statuses: readonly string[], f: ViewFormatters): void {
  e.textContent = d.days === 1 ? f.t('dormantOne', f.number(d.users)) : f.t('dormantMany', f.number(d.days), f.number(d.users));
  e.dataset.value = String(d.users);
  e.dataset.days = String(d.days);
  e.title = d.days === 1 ? f.t('dormantHintOne', statuses.join(', ')) : f.t('dormantHintMany', statuses.join(', '), f.number(d.days));
}

/** When the users were listed, the running listing, the refusal, or the offer to list them. */
function renderStatus(c: LicencesCard, l: LicencesView, s: MonthDetail, f: ViewFormatters): void {
  const lines: string[] = [];
  if (l.figures) {
    lines.push(f.t('usersListed', f.dateTime(l.figures.listedAt)));
    if (s.state.kind === 'partial') lines.push(f.t('licencesPartial'));
  }
  if (l.listing !== undefined) lines.push(f.t('listingUsers', l.listing));
  else if (!l.figures) lines.push(l.refusal !== undefined ? f.t('usersRefused', l.refusal) : f.t('usersNotListed'));
  c.status.textContent = lines.join(' · ');
  c.status.classList.toggle('warning', !l.figures && l.listing === undefined && l.refusal !== undefined);
  // Listed users need no button (the tree and the palette list them again); a refused credential may have been granted the scope since.
  c.listUsers.hidden = l.figures !== undefined;
  c.listUsers.disabled = l.listing !== undefined;
  c.listUsers.textContent = l.refusal !== undefined ? f.t('tryAgain') : f.t('listUsers');
}

/** A page of a running listing: only the card's line changes. */
export function renderListing(c: LicencesCard, s: MonthDetail | undefined, message: string, f: ViewFormatters): void {
  if (!s?.licences) return;
  s.licences.listing = message;
  renderLicences(c, s, f);
}
