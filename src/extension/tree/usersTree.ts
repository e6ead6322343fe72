/**
 * The Users tree: org → month → users → a user's details. Sorting, filtering and paging are state
 * of this provider (one instance per window), not of the data; users are read from the result store.
 */
import * as vscode from 'vscode';
import { browserName, osName } from '../../core/clientNames';
import { monthState } from '../../core/reportFacts';
import type { UserActivity } from '../../core/types';
import type { OrgUser } from '../../core/users';
import { onDidChangeDormantDays, readSettings } from '../config';
import type { CountService } from '../countService';
import type { InactiveReport, InactiveUsers } from '../inactiveUsers';
import { projectionText, type Projections } from '../projections';
import type { OrgStore } from '../orgStore';
import { formatNumber } from '../progressText';
import type { ResultStore, StoredReport } from '../resultStore';
import type { UserListStore } from '../userListStore';
import type { UsersService } from '../usersService';
import {
  accountTime,
  countMatches,
  nodeId,
  placeName,
  seenTime,
  sortOrgUsers,
  sortUsers,
  userFilter,
  type GroupNode,
  type ListUsersNode,
  type MonthNode,
  type Named,
  type Node,
  type OrgNode,
  type OrgUserNode,
  type SortMode,
  type UserGroup,
  type UserNode,
} from './nodes';
import { PAGE_SIZE, statusName, treeItemFor } from './treeItems';

/** Where the tree finds the org's listed users: the saved listings, who is inactive in them, and running listings. */
export interface ListingSources {
  listings: UserListStore;
  inactive: InactiveUsers;
  runs: UsersService;
}

export class UsersTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly resultsChanged = new vscode.EventEmitter<void>();
  /** A count was saved or results were removed: the rows' "counted just now" starts anew. */
  readonly onDidChangeResults = this.resultsChanged.event;
  private sortMode: SortMode = 'sessions';
  private filterText = '';
  /** Users shown per month node id; grows by PAGE_SIZE with "Show more". */
  private readonly shown = new Map<string, number>();
  /** The org nodes last handed out, so a progress update can refresh just that row. */
  private readonly orgNodes = new Map<string, OrgNode>();
  /** Per org whose months were listed: whether one of them has users, for `oktaMau.usersShown`. */
  private readonly orgsWithUsers = new Map<string, boolean>();
  private usersShown: boolean | undefined;
  /** The "List users" rows last handed out, by id, so a listing's progress redraws just them. */
  private readonly listRows = new Map<string, ListUsersNode>();
  /** Matches of the current filter per report (or group), so progress redraws (twice a second) do not recount them. */
  private matchCounts = new WeakMap<object, number>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly orgs: OrgStore,
    private readonly results: ResultStore,
    private readonly counts: CountService,
    private readonly projections?: Projections,
    private readonly users?: ListingSources,
  ) {
    if (users) {
      this.subscriptions.push(
        users.listings.onDidChange(() => this.refresh()),
        // A listing's start and end change the months' rows; its pages redraw only the "List users" rows.
        users.runs.onDidChange((e) => {
          if (e.phase !== 'progress') return this.refresh();
          for (const row of this.listRows.values()) if (row.orgId === e.run.orgId) this.changed.fire(row);
        }),
        users.runs.onDidChangeAccess(() => this.refresh()),
        onDidChangeDormantDays(() => this.refresh()),
      );
    }
    this.subscriptions.push(
      orgs.onDidChange(() => this.refresh()),
      results.onDidChange(() => {
        this.refresh();
        this.resultsChanged.fire();
      }),
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
    this.resultsChanged.dispose();
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
    this.matchCounts = new WeakMap();
    void vscode.commands.executeCommand('setContext', 'oktaMau.filtered', this.filterText !== '');
    this.refresh();
  }

  showMore(parent: MonthNode | GroupNode): void {
    const id = pageKey(parent);
    this.shown.set(id, (this.shown.get(id) ?? PAGE_SIZE) + PAGE_SIZE);
    this.changed.fire(parent);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /**
   * Redraws the org rows and the months under them, so relative times ("counted 3 min ago") stay
   * true while the view is open. Users and details are read again from the cached, sorted lists.
   */
  refreshTimes(): void {
    for (const node of this.orgNodes.values()) this.changed.fire(node);
  }

  /**
   * `oktaMau.usersShown`: true once a listed month has users, so the view's Filter and Sort buttons
   * appear only when there is something to filter or sort. Set only when it changes.
   */
  private updateUsersShown(): void {
    const shown = [...this.orgsWithUsers.values()].some(Boolean);
    if (shown === this.usersShown) return;
    this.usersShown = shown;
    void vscode.commands.executeCommand('setContext', 'oktaMau.usersShown', shown);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    // A "List users" row shows the listing's newest progress, not what it was when the row was made.
    if (node.kind === 'listUsers' && this.users) node = { ...node, running: this.users.runs.running(node.orgId)?.message, refusal: this.users.runs.refusal(node.orgId) };
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
        return [...(await this.groupsOf(node)), ...(await this.usersOf(node))];
      case 'group':
        return this.groupUsersOf(node);
      case 'user':
        return detailsOf(node);
      case 'orgUser':
        return orgUserDetailsOf(node);
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
    this.listRows.clear();
    for (const id of [...this.orgsWithUsers.keys()]) if (!withMonths.some((o) => o.org.id === id && o.months.length > 0)) this.orgsWithUsers.delete(id);
    this.updateUsersShown();
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
        const { mau, complete, partialReason, countedAt, events, since, until, incremental, fetchedUntil, requests, skippedEvents, source, eventTypes } = r;
        const summary = { mau, complete, partialReason, countedAt, events, since, until, incremental, fetchedUntil, requests, skippedEvents, source, eventTypes };
        const filter = this.filterText ? { text: this.filterText, matches: this.matchesIn(r) } : undefined;
        const projection = projectionText(await this.projections?.of(org.orgId, r), r.until);
        return { kind: 'month', orgId: org.orgId, month, parent: org, summary, ...(filter ? { filter } : {}), ...(projection ? { projection } : {}) };
      }),
    );
    const listed = nodes.filter((n): n is MonthNode => n !== undefined);
    this.orgsWithUsers.set(org.orgId, listed.some((n) => n.summary.mau > 0));
    this.updateUsersShown();
    return listed;
  }

  private matchesIn(report: { users: readonly Named[] }): number {
    let n = this.matchCounts.get(report);
    if (n === undefined) this.matchCounts.set(report, (n = countMatches(report.users, this.filterText)));
    return n;
  }

  /** The visible users of a month, in the current order and filter, for tests and the tree alike. */
  async visibleUsers(month: MonthNode): Promise<{ users: UserActivity[]; total: number }> {
    const report = await this.results.load(month.orgId, month.month);
    const users = report ? this.ordered(report) : [];
    return { users, total: report?.users.length ?? 0 };
  }

  private async usersOf(month: MonthNode): Promise<Node[]> {
    const { users, total } = await this.visibleUsers(month);
    if (users.length === 0 && total > 0 && this.filterText) {
      return [{ kind: 'noMatch', orgId: month.orgId, month: month.month, parent: month, filter: this.filterText }];
    }
    const limit = this.shown.get(pageKey(month)) ?? PAGE_SIZE;
    const page: Node[] = users.slice(0, limit).map((user): UserNode => ({ kind: 'user', orgId: month.orgId, month: month.month, parent: month, user }));
    if (users.length > limit) page.push({ kind: 'more', orgId: month.orgId, month: month.month, parent: month, shown: limit, remaining: users.length - limit });
    return page;
  }

  private sortedCache?: { report: StoredReport; sort: SortMode; filter: string; users: UserActivity[] };

  private ordered(report: StoredReport): UserActivity[] {
    const c = this.sortedCache;
    if (c && c.report === report && c.sort === this.sortMode && c.filter === this.filterText) return c.users;
    const users = sortUsers(report.users.filter(userFilter(this.filterText)), this.sortMode);
    this.sortedCache = { report, sort: this.sortMode, filter: this.filterText, users };
    return users;
  }

  /**
   * Under a counted month: who of the listed users was not active in it and who is dormant, or,
   * before the org's users are listed, a row that lists them. Nothing without a listing source.
   */
  private async groupsOf(month: MonthNode): Promise<Node[]> {
    if (!this.users) return [];
    const org = { id: month.orgId, orgUrl: month.parent.orgUrl };
    const [listing, report] = await Promise.all([this.users.listings.load(month.orgId), this.results.load(month.orgId, month.month)]);
    // A listing made before oktaMau.licensedStatuses asked for a status holds none of its users: list them again.
    const missing = listing ? this.users.inactive.missing(listing) : [];
    if (!listing || missing.length > 0) {
      const running = this.users.runs.running(month.orgId);
      const refusal = this.users.runs.refusal(month.orgId);
      const row: ListUsersNode = {
        kind: 'listUsers',
        orgId: month.orgId,
        month: month.month,
        parent: month,
        ...(running ? { running: running.message } : {}),
        ...(refusal ? { refusal } : {}),
        ...(missing.length > 0 ? { missing } : {}),
      };
      this.listRows.set(nodeId(row), row);
      return [row];
    }
    this.listRows.delete(`${nodeId(month)}/list-users`);
    if (!report) return [];
    const state = monthState(report);
    const group = (what: UserGroup, r: InactiveReport): GroupNode => ({
      kind: 'group',
      what,
      orgId: month.orgId,
      month: month.month,
      parent: month,
      total: r.users.length,
      licensed: r.licensed,
      active: r.active,
      statuses: r.statuses,
      ...(r.days !== undefined ? { days: r.days } : {}),
      listedAt: listing.listedAt,
      toDate: what === 'inactive' && state.kind === 'toDate',
      partial: what === 'inactive' && state.kind === 'partial',
      ...(this.filterText ? { filter: { text: this.filterText, matches: this.matchesIn(r) } } : {}),
    });
    const statuses = this.users.inactive.statuses();
    return [group('inactive', this.users.inactive.inMonthOf(org, listing, report, statuses)), group('dormant', this.users.inactive.dormantOf(org, listing, readSettings().dormantDays, statuses))];
  }

  /** The users of a group, in the current order and filter, for tests and the tree alike. */
  async visibleGroupUsers(group: GroupNode): Promise<{ users: OrgUser[]; total: number }> {
    const report = await this.groupReport(group);
    return { users: report ? this.orderedGroup(report) : [], total: report?.users.length ?? 0 };
  }

  private async groupReport(group: GroupNode): Promise<InactiveReport | undefined> {
    if (!this.users) return undefined;
    const org = { id: group.orgId, orgUrl: group.parent.parent.orgUrl };
    if (group.what === 'dormant') return this.users.inactive.dormantIn(org, group.days);
    return this.users.inactive.inMonth(org, group.month);
  }

  private async groupUsersOf(group: GroupNode): Promise<Node[]> {
    const { users, total } = await this.visibleGroupUsers(group);
    if (users.length === 0 && total > 0 && this.filterText) {
      return [{ kind: 'noMatch', orgId: group.orgId, month: group.month, parent: group, filter: this.filterText }];
    }
    const limit = this.shown.get(pageKey(group)) ?? PAGE_SIZE;
    const page: Node[] = users.slice(0, limit).map((user): OrgUserNode => ({ kind: 'orgUser', orgId: group.orgId, month: group.month, parent: group, user }));
    if (users.length > limit) page.push({ kind: 'more', orgId: group.orgId, month: group.month, parent: group, shown: limit, remaining: users.length - limit });
    return page;
  }

  private readonly groupCache = new Map<string, { report: InactiveReport; sort: SortMode; filter: string; users: OrgUser[] }>();

  private orderedGroup(report: InactiveReport): OrgUser[] {
    const key = `${report.kind}/${report.month ?? report.days}`;
    const c = this.groupCache.get(key);
    if (c && c.report === report && c.sort === this.sortMode && c.filter === this.filterText) return c.users;
    const users = sortOrgUsers(report.users.filter(userFilter(this.filterText)), this.sortMode);
    this.groupCache.set(key, { report, sort: this.sortMode, filter: this.filterText, users });
    return users;
  }
}

/** What "Show 200 more…" grows: a month's active users, or one of its groups. */
function pageKey(node: MonthNode | GroupNode): string {
  return node.kind === 'month' ? `${node.orgId}/${node.month}` : `${node.orgId}/${node.month}/${node.what}`;
}

/** A listed user's account, as the Admin Console shows it; instants on the org's UTC clock, with the year. */
function orgUserDetailsOf(node: OrgUserNode): Node[] {
  const u = node.user;
  const locale = vscode.env.language || 'en';
  const rows: [string, string, string | undefined][] = [
    ['login', vscode.l10n.t('Login'), u.login],
    ['name', vscode.l10n.t('Name'), u.displayName],
    ['id', vscode.l10n.t('User ID'), u.id],
    ['status', vscode.l10n.t('Status'), statusName(u.status)],
    ['created', vscode.l10n.t('Created'), u.created && accountTime(u.created, locale)],
    u.lastLogin ? ['lastLogin', vscode.l10n.t('Last sign-in'), accountTime(u.lastLogin, locale)] : ['neverSignedIn', vscode.l10n.t('Last sign-in'), vscode.l10n.t('never')],
    ['passwordChanged', vscode.l10n.t('Password changed'), u.passwordChanged && accountTime(u.passwordChanged, locale)],
  ];
  return rows
    .filter((r): r is [string, string, string] => typeof r[2] === 'string' && r[2] !== '')
    .map(([key, label, value]) => ({ kind: 'detail', orgId: node.orgId, parent: node, key, label, value }));
}

/**
 * A user's details. Instants read as people read them, in VS Code's language on the org's UTC clock
 * (the user's tooltip says "UTC" once); browsers and systems by their usual names (`Chrome`, `macOS`).
 */
function detailsOf(node: UserNode): Node[] {
  const u = node.user;
  const c = u.lastClient ?? {};
  const locale = vscode.env.language || 'en';
  const rows: [string, string, string | undefined][] = [
    ['login', vscode.l10n.t('Login'), u.login],
    ['id', vscode.l10n.t('User ID'), u.id],
    ['sessions', vscode.l10n.t('Sessions'), formatNumber(u.sessions)],
    ['activeDays', vscode.l10n.t('Active days'), formatNumber(u.activeDays)],
    ['firstSeen', vscode.l10n.t('First seen'), u.firstSeen && seenTime(u.firstSeen, locale)],
    ['lastSeen', vscode.l10n.t('Last seen'), u.lastSeen && seenTime(u.lastSeen, locale)],
    ['ip', vscode.l10n.t('Last client IP'), c.ipAddress],
    ['location', vscode.l10n.t('Last location'), placeName(c.city, c.country)],
    ['browser', vscode.l10n.t('Last browser'), browserName(c.browser)],
    ['os', vscode.l10n.t('Last OS'), osName(c.os)],
    ['device', vscode.l10n.t('Last device'), c.device],
  ];
  return rows
    .filter((r): r is [string, string, string] => typeof r[2] === 'string' && r[2] !== '')
    .map(([key, label, value]) => ({ kind: 'detail', orgId: node.orgId, parent: node, key, label, value }));
}
