/** How each kind of node looks: labels, descriptions, tooltips, icons, context values and commands. */
import * as vscode from 'vscode';
import { definitionName } from '../../core/definitions';
import { browserName, osName } from '../../core/clientNames';
import { dayLabel, monthState, utilisationPercent } from '../../core/reportFacts';
import type { ClientInfo } from '../../core/types';
import { commandRef } from '../commands';
import { markdownText, safeMarkdown } from '../markdown';
import { orgLabel } from '../orgStore';
import { ago, formatNumber, monthName } from '../progressText';
import { accountDay, accountTime, nodeId, placeName, seenTime, type GroupNode, type MonthNode, type Node } from './nodes';

export const PAGE_SIZE = 200;

export function treeItemFor(node: Node, runningMessage: (orgId: string) => string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  switch (node.kind) {
    case 'org': {
      item.label = orgLabel(node);
      const running = runningMessage(node.orgId);
      item.description = [node.active ? vscode.l10n.t('active') : '', running ?? ''].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(running ? 'sync~spin' : 'organization');
      item.contextValue = node.active ? 'org.active' : 'org';
      item.collapsibleState = node.active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
      item.tooltip = node.orgUrl;
      break;
    }
    case 'notCounted':
      item.label = vscode.l10n.t('Not counted yet');
      item.description = vscode.l10n.t('click to count this month');
      item.iconPath = new vscode.ThemeIcon('play');
      item.command = commandRef('oktaMau.countMaus', vscode.l10n.t('Count MAUs'), { orgId: node.orgId });
      break;
    case 'month': {
      item.label = monthName(node.month, true);
      item.description = monthDescription(node);
      item.tooltip = monthTooltip(node);
      item.iconPath = new vscode.ThemeIcon(monthState(node.summary).kind === 'partial' ? 'warning' : 'calendar');
      item.contextValue = 'month';
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
      break;
    }
    case 'listUsers':
      item.label = vscode.l10n.t('List users to see who is not active');
      item.description = node.running
        ? vscode.l10n.t('listing… {0}', node.running)
        : node.refusal
          ? vscode.l10n.t('the credential may not read the Users API')
          : node.missing
            ? vscode.l10n.t('click to list them with {0} too', node.missing.map(statusName).join(', '))
            : vscode.l10n.t('click to list users');
      // The refusal is Okta's answer in the core's words (it names the scope to grant): plain text.
      item.tooltip =
        node.refusal ??
        (node.missing
          ? vscode.l10n.t('The saved listing has no users in {0}, which the setting oktaMau.licensedStatuses counts as licensed: list the users again.', node.missing.map(statusName).join(', '))
          : vscode.l10n.t('Lists the org\'s users through the Users API (okta.users.read), to show who holds a licence without signing in.'));
      item.iconPath = new vscode.ThemeIcon(node.running ? 'sync~spin' : node.refusal ? 'warning' : 'account');
      item.contextValue = 'listUsers';
      item.command = commandRef('oktaMau.listUsers', vscode.l10n.t('List Users'), { orgId: node.orgId });
      break;
    case 'group':
      item.label = groupLabel(node);
      item.description = groupDescription(node);
      item.tooltip = groupTooltip(node);
      item.iconPath = new vscode.ThemeIcon(node.what === 'inactive' ? 'circle-slash' : 'watch');
      item.contextValue = `group.${node.what}`;
      item.collapsibleState = node.total > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
      break;
    case 'orgUser': {
      const u = node.user;
      const locale = language();
      item.label = u.displayName || u.login;
      item.description = `${u.login} · ${u.lastLogin ? vscode.l10n.t('last signed in {0}', accountDay(u.lastLogin, locale)) : vscode.l10n.t('never signed in')}`;
      // Names and logins come from the org: escaped, so they show as text and never as links or images.
      const md = safeMarkdown();
      md.appendMarkdown(`**${markdownText(u.displayName || u.login)}**\n\n${markdownText(u.login)}\n\n`);
      md.appendMarkdown(`${markdownText(vscode.l10n.t('Status: {0}', statusName(u.status)))}\n\n`);
      md.appendMarkdown(markdownText(u.lastLogin ? vscode.l10n.t('Last signed in {0} (UTC)', accountTime(u.lastLogin, locale)) : vscode.l10n.t('Never signed in')));
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon('person');
      item.contextValue = 'orgUser';
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
      break;
    }
    case 'user': {
      const u = node.user;
      item.label = u.displayName || u.login;
      item.description = `${u.login} · ${sessions(u.sessions)}`;
      // Names, logins and places come from the org: escaped, so they show as text and never as links or images.
      const md = safeMarkdown();
      md.appendMarkdown(`**${markdownText(u.displayName || u.login)}**\n\n${markdownText(u.login)}\n\n`);
      md.appendMarkdown(`${markdownText(vscode.l10n.t('{0} on {1}', sessions(u.sessions), days(u.activeDays)))}\n\n`);
      const locale = language();
      const [first, last] = [seenTime(u.firstSeen, locale), seenTime(u.lastSeen, locale)];
      md.appendMarkdown(`${markdownText(first === last ? vscode.l10n.t('Seen {0} (UTC)', first) : vscode.l10n.t('First seen {0}; last seen {1} (UTC)', first, last))}\n\n`);
      const client = clientLine(u.lastClient);
      if (client) md.appendMarkdown(markdownText(vscode.l10n.t('Last signed in from {0}', client)));
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon('person');
      item.contextValue = 'user';
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
      break;
    }
    case 'noMatch':
      item.label =
        node.parent.kind === 'group'
          ? vscode.l10n.t('No users match "{0}" among them', node.filter)
          : vscode.l10n.t('No users match "{0}" in {1}', node.filter, monthName(node.month));
      item.description = vscode.l10n.t('click to change the filter');
      item.iconPath = new vscode.ThemeIcon('search-stop');
      item.contextValue = 'noMatch';
      item.command = commandRef('oktaMau.filterUsers', vscode.l10n.t('Filter Users…'));
      break;
    case 'more':
      item.label = vscode.l10n.t('Show {0} more…', formatNumber(Math.min(PAGE_SIZE, node.remaining)));
      item.description = vscode.l10n.t('{0} of {1} shown', formatNumber(node.shown), formatNumber(node.shown + node.remaining));
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'more';
      item.command = commandRef('oktaMau.showMore', vscode.l10n.t('Show More'), node);
      break;
    case 'detail':
      item.label = node.label;
      item.description = node.value;
      // First and last seen are on the org's UTC clock; the row says so when hovered, the value stays short.
      item.tooltip = UTC_DETAILS.has(node.key) ? vscode.l10n.t('{0}: {1} (UTC)', node.label, node.value) : `${node.label}: ${node.value}`;
      item.contextValue = 'detail';
      break;
  }
  return item;
}

/** Detail rows holding an instant on the org's UTC clock: their tooltips say so. */
const UTC_DETAILS = new Set(['firstSeen', 'lastSeen', 'created', 'lastLogin', 'passwordChanged']);

/** `Active`, `Password reset`, `Locked out`: Okta's user statuses as its Admin Console names them; a status added later as Okta sends it. */
export function statusName(status: string): string {
  switch (status) {
    case 'ACTIVE':
      return vscode.l10n.t('Active');
    case 'RECOVERY':
      return vscode.l10n.t('Password reset');
    case 'PASSWORD_EXPIRED':
      return vscode.l10n.t('Password expired');
    case 'LOCKED_OUT':
      return vscode.l10n.t('Locked out');
    case 'STAGED':
      return vscode.l10n.t('Staged');
    case 'PROVISIONED':
      return vscode.l10n.t('Pending user action');
    case 'SUSPENDED':
      return vscode.l10n.t('Suspended');
    case 'DEPROVISIONED':
      return vscode.l10n.t('Deactivated');
    default:
      return status;
  }
}

/** `Not active in November (412)`, `Not active in December so far (60)`, `Dormant for 90 days (37)`. */
function groupLabel(node: GroupNode): string {
  const n = formatNumber(node.total);
  if (node.what === 'inactive') {
    return node.toDate ? vscode.l10n.t('Not active in {0} so far ({1})', monthName(node.month), n) : vscode.l10n.t('Not active in {0} ({1})', monthName(node.month), n);
  }
  return node.days === 1 ? vscode.l10n.t('Dormant for 1 day ({0})', n) : vscode.l10n.t('Dormant for {0} days ({1})', formatNumber(node.days ?? 0), n);
}

/** `users listed 3 min ago`; with a filter on, `12 match "ann" · users listed 3 min ago`. */
function groupDescription(node: GroupNode): string {
  const listed = vscode.l10n.t('users listed {0}', ago(node.listedAt));
  return node.filter ? [(node.filter.matches === 1 ? vscode.l10n.t('1 match "{0}"', node.filter.text) : vscode.l10n.t('{0} match "{1}"', formatNumber(node.filter.matches), node.filter.text)), listed].join(' · ') : listed;
}

/** What the group means, how it compares with the licensed users, and when they were listed. Only the extension's words, the numbers and the filter (escaped). */
function groupTooltip(node: GroupNode): vscode.MarkdownString {
  const md = safeMarkdown();
  const statuses = node.statuses.map(statusName).join(', ');
  md.appendMarkdown(`**${markdownText(groupLabel(node))}**\n\n`);
  if (node.what === 'inactive') {
    md.appendMarkdown(`${markdownText(vscode.l10n.t('Users holding a licence (status {0}) with no counted sign-in in {1}.', statuses, monthName(node.month, true)))}\n\n`);
    if (node.toDate) md.appendMarkdown(`${markdownText(vscode.l10n.t('The month is not over: some of them may still sign in.'))}\n\n`);
    if (node.partial) md.appendMarkdown(`${markdownText(vscode.l10n.t('The count of the month is partial: some of them may have signed in.'))}\n\n`);
  } else {
    md.appendMarkdown(
      `${markdownText(
        node.days === 1
          ? vscode.l10n.t('Users holding a licence (status {0}) whose last sign-in (Okta\'s lastLogin) is more than 1 day before the listing, or who never signed in. The days are the setting oktaMau.dormantDays.', statuses)
          : vscode.l10n.t('Users holding a licence (status {0}) whose last sign-in (Okta\'s lastLogin) is more than {1} days before the listing, or who never signed in. The days are the setting oktaMau.dormantDays.', statuses, formatNumber(node.days ?? 0)),
      )}\n\n`,
    );
  }
  md.appendMarkdown(`${markdownText(vscode.l10n.t('{0} licensed, {1} of them active ({2}%)', formatNumber(node.licensed), formatNumber(node.active), formatNumber(utilisationPercent(node))))}\n\n`);
  if (node.filter) md.appendMarkdown(`${markdownText(filterMatches(node.filter.text, node.filter.matches, node.total))}\n\n`);
  md.appendMarkdown(markdownText(vscode.l10n.t('Users listed {0} ({1}, UTC)', ago(node.listedAt), accountTime(node.listedAt, language()))));
  return md;
}

/**
 * `60 MAU so far · to Dec 2 · counted 3 min ago` for a running month; `· complete ·` only for an ended
 * month with nothing missing, `· partial ·` otherwise (the tooltip gives the reason). With a filter on:
 * `12 of 60 match "ann" · to Dec 2`, so the row says which filter is on and what it found.
 */
function monthDescription(node: MonthNode): string {
  const s = node.summary;
  const state = monthState(s);
  const locale = language();
  const stateText = state.kind === 'toDate' ? vscode.l10n.t('to {0}', dayLabel(state.upTo, locale, true)) : state.kind === 'complete' ? vscode.l10n.t('complete') : vscode.l10n.t('partial');
  if (node.filter) {
    return [vscode.l10n.t('{0} of {1} match "{2}"', formatNumber(node.filter.matches), formatNumber(s.mau), node.filter.text), stateText].join(' · ');
  }
  return [
    state.kind === 'toDate' ? vscode.l10n.t('{0} MAU so far', formatNumber(s.mau)) : vscode.l10n.t('{0} MAU', formatNumber(s.mau)),
    stateText,
    ...(node.projection ? [node.projection] : []),
    s.incremental ? vscode.l10n.t('refreshed {0}', ago(s.countedAt)) : vscode.l10n.t('counted {0}', ago(s.countedAt)),
  ].join(' · ');
}

/** The month's story in full, agreeing with its row. Only the count's own numbers and the filter (escaped): no org data. */
function monthTooltip(node: MonthNode): vscode.MarkdownString {
  const s = node.summary;
  const state = monthState(s);
  const locale = language();
  const mau = state.kind === 'toDate' ? vscode.l10n.t('{0} MAU so far', formatNumber(s.mau)) : vscode.l10n.t('{0} MAU', formatNumber(s.mau));
  const md = safeMarkdown();
  md.appendMarkdown(`**${monthName(node.month, true)}** — ${mau}\n\n`);
  switch (state.kind) {
    case 'toDate':
      md.appendMarkdown(`${vscode.l10n.t('Month to date: sign-ins up to {0}. The month is not over, so this is not its final count.', seenTime(state.upTo, locale))}\n\n`);
      break;
    case 'partial':
      md.appendMarkdown(`${state.reason ? vscode.l10n.t('Partial: {0}', markdownText(state.reason)) : vscode.l10n.t('Partial: part of the month was not counted')}\n\n`);
      break;
    case 'complete':
      md.appendMarkdown(`${vscode.l10n.t('Complete: the whole month, nothing missing.')}\n\n`);
      break;
  }
  const last = state.kind === 'toDate' ? state.upTo : s.until;
  md.appendMarkdown(`${vscode.l10n.t('{0}, {1} to {2}', signInEvents(s.events), dayLabel(s.since, locale), dayLabel(last, locale, true))}\n\n`);
  md.appendMarkdown(`${markdownText(vscode.l10n.t('Definition: {0}', definitionName(s)))}\n\n`);
  if (typeof s.skippedEvents === 'number' && s.skippedEvents > 0) {
    const unread =
      s.skippedEvents === 1
        ? vscode.l10n.t('1 sign-in event could not be read (no user id, no event id or an unreadable time) and is not counted')
        : vscode.l10n.t('{0} could not be read (no user id, no event id or an unreadable time) and are not counted', signInEvents(s.skippedEvents));
    md.appendMarkdown(`${unread}\n\n`);
  }
  if (node.filter) {
    md.appendMarkdown(`${markdownText(filterMatches(node.filter.text, node.filter.matches, s.mau))}\n\n`);
  }
  const at = seenTime(s.countedAt, locale);
  md.appendMarkdown(
    `${
      s.incremental
        ? vscode.l10n.t('Refreshed {0} ({1}): only events published since the previous count were fetched ({2})', ago(s.countedAt), at, requests(s.requests))
        : vscode.l10n.t('Counted {0} ({1}, {2})', ago(s.countedAt), at, requests(s.requests))
    }\n\n`,
  );
  md.appendMarkdown(vscode.l10n.t('Months, days and times are UTC.'));
  return md;
}

/** `Chrome on macOS in Paris, France`: the last sign-in's client, named as people name browsers and systems. */
function clientLine(c: ClientInfo | undefined): string | undefined {
  if (!c) return undefined;
  const browser = browserName(c.browser);
  const os = osName(c.os);
  const software = browser && os ? vscode.l10n.t('{0} on {1}', browser, os) : (browser ?? os);
  const place = placeName(c.city, c.country);
  return software && place ? vscode.l10n.t('{0} in {1}', software, place) : (software ?? place);
}

// Plurals: one literal per form, so the l10n bundle has a string a translator can get right.
const sessions = (n: number) => (n === 1 ? vscode.l10n.t('1 session') : vscode.l10n.t('{0} sessions', formatNumber(n)));
const days = (n: number) => (n === 1 ? vscode.l10n.t('1 day') : vscode.l10n.t('{0} days', formatNumber(n)));
const signInEvents = (n: number) => (n === 1 ? vscode.l10n.t('1 sign-in event') : vscode.l10n.t('{0} sign-in events', formatNumber(n)));
const requests = (n: number) => (n === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', formatNumber(n)));
/** `Filter "ann": 12 of 60 users match`; `1 of 60 users matches` and `1 of 1 user matches` in the singular. */
function filterMatches(text: string, matches: number, total: number): string {
  if (total === 1) return matches === 1 ? vscode.l10n.t('Filter "{0}": 1 of 1 user matches', text) : vscode.l10n.t('Filter "{0}": 0 of 1 user match', text);
  return matches === 1
    ? vscode.l10n.t('Filter "{0}": 1 of {1} users matches', text, formatNumber(total))
    : vscode.l10n.t('Filter "{0}": {1} of {2} users match', text, formatNumber(matches), formatNumber(total));
}

const language = (): string => vscode.env.language || 'en';
