/** How each kind of node looks: labels, descriptions, tooltips, icons, context values and commands. */
import * as vscode from 'vscode';
import { browserName, osName } from '../../core/clientNames';
import { dayLabel, monthState } from '../../core/reportFacts';
import type { ClientInfo } from '../../core/types';
import { commandRef } from '../commands';
import { markdownText, safeMarkdown } from '../markdown';
import { orgLabel } from '../orgStore';
import { ago, formatNumber, monthName } from '../progressText';
import { nodeId, placeName, seenTime, type MonthNode, type Node } from './nodes';

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
      item.label = vscode.l10n.t('No users match "{0}" in {1}', node.filter, monthName(node.month));
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
      item.tooltip = node.key === 'firstSeen' || node.key === 'lastSeen' ? vscode.l10n.t('{0}: {1} (UTC)', node.label, node.value) : `${node.label}: ${node.value}`;
      item.contextValue = 'detail';
      break;
  }
  return item;
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
  if (typeof s.skippedEvents === 'number' && s.skippedEvents > 0) {
    md.appendMarkdown(`${vscode.l10n.t('{0} could not be read (no user id, no event id or an unreadable time) and are not counted', signInEvents(s.skippedEvents))}\n\n`);
  }
  if (node.filter) {
    md.appendMarkdown(`${markdownText(vscode.l10n.t('Filter "{0}": {1} of {2} users match', node.filter.text, formatNumber(node.filter.matches), formatNumber(s.mau)))}\n\n`);
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

const language = (): string => vscode.env.language || 'en';
