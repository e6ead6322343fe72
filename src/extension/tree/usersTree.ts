/**
 * The Users tree: org → month → users → a user's details. Sorting, filtering and paging are state
 * of this provider (one instance per window), not of the data; users are read from the result store.
 */
import * as vscode from 'vscode';
import type { UserActivity } from '../../core/types';
import type { CountService } from '../countService';
import type { OrgStore } from '../orgStore';
import { formatNumber } from '../progressText';
import type { ResultStore, StoredReport } from '../resultStore';
import { matchesFilter, sortUsers, type MonthNode, type Node, type OrgNode, type SortMode, type UserNode } from './nodes';
import { PAGE_SIZE, treeItemFor } from './treeItems';

export class UsersTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private sortMode: SortMode = 'sessions';
  private filterText = '';
  /** Users shown per month node id; grows by PAGE_SIZE with "Show more". */
  private readonly shown = new Map<string, number>();
  /** The org nodes last handed out, so a progress update can refresh just that row. */
  private readonly orgNodes = new Map<string, OrgNode>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly orgs: OrgStore,
    private readonly results: ResultStore,
    private readonly counts: CountService,
  ) {
    this.subscriptions.push(
      orgs.onDidChange(() => this.refresh()),
      results.onDidChange(() => this.refresh()),
      // The count service already throttles progress: every event redraws, as the status bar and
      // the dashboard do, so all show the same numbers. Progress changes only the org's row.
      counts.onDidChange((e) => {
        const node = this.orgNodes.get(e.state.orgId);
        this.changed.fire(e.phase === 'progress' && node ? node : undefined);
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  get sort(): SortMode {
    return this.sortMode;
  }

  get filter(): string {
    return this.filterText;
  }

  setSort(mode: SortMode): void {
    this.sortMode = mode;
    this.shown.clear();
    this.refresh();
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.shown.clear();
    void vscode.commands.executeCommand('setContext', 'oktaMau.filtered', this.filterText !== '');
    this.refresh();
  }

  showMore(month: MonthNode): void {
    const id = monthKey(month);
    this.shown.set(id, (this.shown.get(id) ?? PAGE_SIZE) + PAGE_SIZE);
    this.changed.fire(month);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return treeItemFor(node, (orgId) => this.counts.running(orgId)?.message);
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'org' ? undefined : node.parent;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'org':
        return this.monthsOf(node);
      case 'month':
        return this.usersOf(node);
      case 'user':
        return detailsOf(node);
      default:
        return [];
    }
  }

  /** Every org once any has a result; none before, so the "not counted yet" welcome shows. */
  private async roots(): Promise<OrgNode[]> {
    const [orgs, active] = await Promise.all([this.orgs.list(), this.orgs.active()]);
    const withMonths = await Promise.all(orgs.map(async (o) => ({ org: o, months: await this.results.months(o.id) })));
    const hasResults = withMonths.some((o) => o.months.length > 0);
    this.orgNodes.clear();
    if (!hasResults) return [];
    return withMonths.map(({ org, months }) => {
      const node: OrgNode = { kind: 'org', orgId: org.id, orgUrl: org.orgUrl, active: org.id === active?.id, hasResults: months.length > 0 };
      this.orgNodes.set(org.id, node);
      return node;
    });
  }

  private async monthsOf(org: OrgNode): Promise<Node[]> {
    const months = await this.results.months(org.orgId);
    if (months.length === 0) return [{ kind: 'notCounted', orgId: org.orgId, parent: org }];
    const nodes = await Promise.all(
      months.map(async (month): Promise<MonthNode | undefined> => {
        const r = await this.results.load(org.orgId, month);
        if (!r) return undefined;
        const { mau, complete, partialReason, countedAt, events, since, until, incremental, fetchedUntil, requests, skippedEvents } = r;
        const summary = { mau, complete, partialReason, countedAt, events, since, until, incremental, fetchedUntil, requests, skippedEvents };
        return { kind: 'month', orgId: org.orgId, month, parent: org, summary };
      }),
    );
    return nodes.filter((n): n is MonthNode => n !== undefined);
  }

  /** The visible users of a month, in the current order and filter, for tests and the tree alike. */
  async visibleUsers(month: MonthNode): Promise<{ users: UserActivity[]; total: number }> {
    const report = await this.results.load(month.orgId, month.month);
    const users = report ? this.ordered(report) : [];
    return { users, total: report?.users.length ?? 0 };
  }

  private async usersOf(month: MonthNode): Promise<Node[]> {
    const { users } = await this.visibleUsers(month);
    const limit = this.shown.get(monthKey(month)) ?? PAGE_SIZE;
    const page: Node[] = users.slice(0, limit).map((user): UserNode => ({ kind: 'user', orgId: month.orgId, month: month.month, parent: month, user }));
    if (users.length > limit) page.push({ kind: 'more', orgId: month.orgId, month: month.month, parent: month, shown: limit, remaining: users.length - limit });
    return page;
  }

  private sortedCache?: { report: StoredReport; sort: SortMode; filter: string; users: UserActivity[] };

  private ordered(report: StoredReport): UserActivity[] {
    const c = this.sortedCache;
    if (c && c.report === report && c.sort === this.sortMode && c.filter === this.filterText) return c.users;
    const users = sortUsers(report.users.filter((u) => matchesFilter(u, this.filterText)), this.sortMode);
    this.sortedCache = { report, sort: this.sortMode, filter: this.filterText, users };
    return users;
  }
}

function monthKey(month: MonthNode): string {
  return `${month.orgId}/${month.month}`;
}

function detailsOf(node: UserNode): Node[] {
  const u = node.user;
  const c = u.lastClient ?? {};
  const location = [c.city, c.country].filter(Boolean).join(', ');
  const rows: [string, string, string | undefined][] = [
    ['login', vscode.l10n.t('Login'), u.login],
    ['id', vscode.l10n.t('User ID'), u.id],
    ['sessions', vscode.l10n.t('Sessions'), formatNumber(u.sessions)],
    ['activeDays', vscode.l10n.t('Active days'), formatNumber(u.activeDays)],
    ['firstSeen', vscode.l10n.t('First seen'), u.firstSeen],
    ['lastSeen', vscode.l10n.t('Last seen'), u.lastSeen],
    ['ip', vscode.l10n.t('Last client IP'), c.ipAddress],
    ['location', vscode.l10n.t('Last location'), location || undefined],
    ['browser', vscode.l10n.t('Last browser'), c.browser],
    ['os', vscode.l10n.t('Last OS'), c.os],
    ['device', vscode.l10n.t('Last device'), c.device],
  ];
  return rows
    .filter((r): r is [string, string, string] => typeof r[2] === 'string' && r[2] !== '')
    .map(([key, label, value]) => ({ kind: 'detail', orgId: node.orgId, parent: node, key, label, value }));
}
