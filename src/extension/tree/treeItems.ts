/** How each kind of node looks: labels, descriptions, tooltips, icons, context values and commands. */
import * as vscode from 'vscode';
import { countedUpTo } from '../../core/reportFacts';
import { commandRef } from '../commands';
import { markdownText, safeMarkdown } from '../markdown';
import { orgLabel } from '../orgStore';
import { ago, formatNumber, monthName } from '../progressText';
import { nodeId, type Node } from './nodes';

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
      const s = node.summary;
      item.label = monthName(node.month, true);
      item.description = [
        vscode.l10n.t('{0} MAU', formatNumber(s.mau)),
        s.complete ? vscode.l10n.t('complete') : vscode.l10n.t('partial'),
        s.incremental ? vscode.l10n.t('refreshed {0}', ago(s.countedAt)) : vscode.l10n.t('counted {0}', ago(s.countedAt)),
      ].join(' · ');
      // Only the count's own numbers, dates and the core's reason text: no org data.
      const md = safeMarkdown();
      md.appendMarkdown(`**${monthName(node.month, true)}** — ${vscode.l10n.t('{0} MAU', formatNumber(s.mau))}\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('{0} sign-in events, {1} to {2} (UTC)', formatNumber(s.events), s.since, s.until)}\n\n`);
      if (!s.complete && s.partialReason) md.appendMarkdown(`${vscode.l10n.t('Partial: {0}', s.partialReason)}\n\n`);
      if (typeof s.skippedEvents === 'number' && s.skippedEvents > 0) md.appendMarkdown(`${vscode.l10n.t('{0} sign-in events could not be read (no user id, no event id or an unreadable time) and are not counted', formatNumber(s.skippedEvents))}\n\n`);
      const upTo = countedUpTo(s);
      if (upTo) md.appendMarkdown(`${vscode.l10n.t('Events up to {0} (UTC)', upTo)}\n\n`);
      md.appendMarkdown(
        s.incremental
          ? vscode.l10n.t('Refreshed {0}: only events published since the previous count were fetched ({1} requests)', new Date(s.countedAt).toUTCString(), formatNumber(s.requests))
          : vscode.l10n.t('Counted {0} ({1} requests)', new Date(s.countedAt).toUTCString(), formatNumber(s.requests)),
      );
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon(s.complete ? 'calendar' : 'warning');
      item.contextValue = 'month';
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
      break;
    }
    case 'user': {
      const u = node.user;
      item.label = u.displayName || u.login;
      item.description = `${u.login} · ${vscode.l10n.t('{0} sessions', formatNumber(u.sessions))}`;
      // Names and logins come from the org: escaped, so they show as text and never as links or images.
      const md = safeMarkdown();
      md.appendMarkdown(`**${markdownText(u.displayName || u.login)}**\n\n${markdownText(u.login)}\n\n`);
      md.appendMarkdown(markdownText(vscode.l10n.t('{0} sessions on {1} days; last seen {2}', u.sessions, u.activeDays, u.lastSeen)));
      item.tooltip = md;
      item.iconPath = new vscode.ThemeIcon('person');
      item.contextValue = 'user';
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
      break;
    }
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
      item.tooltip = `${node.label}: ${node.value}`;
      item.contextValue = 'detail';
      break;
  }
  return item;
}
