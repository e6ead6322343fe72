/**
 * What `activate()` returns: a small, read-mostly view of the extension's real state, so scripts
 * and the extension-host tests can observe the tree, the status bar and progress without stubbing
 * anything. Inputs go through the commands (most accept an options object, see docs/extension.md).
 */
import type * as vscode from 'vscode';
import { coveredPercent } from '../core/reportFacts';
import type { Progress } from '../core/types';
import type { CountService, RunEvent } from './countService';
import type { ExportWhat } from './commandIds';
import type { ErrorReporter } from './commands';
import type { Notices } from './countProgress';
import type { Dashboard } from './dashboard/panel';
import type { DashboardModel, ToWebview } from './dashboard/protocol';
import type { OrgStore } from './orgStore';
import type { ResultStore } from './resultStore';
import { exportChoices } from './exportReport';
import type { MauStatusBar } from './statusBar';
import type { InactiveReport, InactiveUsers } from './inactiveUsers';
import type { Node } from './tree/nodes';
import type { UsersTreeProvider } from './tree/usersTree';
import type { UserListing, UserListStore } from './userListStore';
import type { ListingEvent, ListingProgress, UsersService } from './usersService';

export interface OrgSummary {
  id: string;
  orgUrl: string;
  authMode: 'SSWS' | 'PrivateKey';
  active: boolean;
}

export interface ProgressEvent {
  orgId: string;
  month: string;
  phase: 'started' | 'progress' | 'finished';
  /** Started by auto-refresh rather than by a person. */
  background: boolean;
  /** The line the progress notification, the tree's org row and the status bar tooltip show. */
  message: string;
  /** The numbers every surface shows at this moment (a copy); absent before the first page. */
  progress?: Progress;
  /** `progress.covered` as the whole percent the status bar, notification and dashboard show. */
  percent?: number;
}

export interface ListingProgressEvent {
  orgId: string;
  phase: 'started' | 'progress' | 'finished';
  /** The notification's line: `page 3 · 600 users`. */
  message: string;
  progress?: ListingProgress;
}

export interface OktaMauApi {
  /** Folder of saved counts: `<orgId>/<YYYY-MM>.json`. */
  readonly resultsUri: vscode.Uri;
  /** This extension's log folder; the "Okta MAU" channel's file is inside it. */
  readonly logUri: vscode.Uri;
  orgs(): Promise<OrgSummary[]>;
  /** The Users tree as VS Code sees it: children of a node (roots when omitted) and their items. */
  treeChildren(node?: Node): Promise<Node[]>;
  treeItem(node: Node): vscode.TreeItem;
  /** Fired when the Users tree asks VS Code to redraw a node (or, with undefined, all of it). */
  readonly onDidChangeTree: vscode.Event<Node | undefined>;
  /** The status bar text after it caught up with the latest state; undefined while hidden. */
  statusBarText(): Promise<string | undefined>;
  /** The status bar tooltip's Markdown source after it caught up with the latest state; undefined while hidden. */
  statusBarTooltip(): Promise<string | undefined>;
  readonly onDidReportProgress: vscode.Event<ProgressEvent>;
  /** Every error message shown to the user, exactly as shown. */
  readonly onDidShowError: vscode.Event<string>;
  /** Every information message of the count, org, listing and export commands (announcements, confirmations, cancellations, files written), exactly as shown. */
  readonly onDidShowInfo: vscode.Event<string>;
  /** Drops what was read from storage (counts and user listings), so the next read comes from disk (as after a restart). */
  reloadResults(): void;
  /**
   * The org's users from the Users API (Okta: List Users), and who among those holding a licence did
   * not use it. `orgId` defaults to the active org; undefined before the users are listed.
   */
  readonly users: {
    /** Folder of saved user listings: `<orgId>.json`. */
    readonly listingsUri: vscode.Uri;
    /** The saved listing: when it was made, the statuses listed and the users. */
    listing(orgId?: string): Promise<UserListing | undefined>;
    /** Users in the listed statuses with no counted sign-in in the month's saved count, with licensed, active and utilisation. */
    inactiveInMonth(month: string, orgId?: string): Promise<InactiveReport | undefined>;
    /** Users in the listed statuses with no sign-in (`lastLogin`) for `days` (default `oktaMau.dormantDays`) before the listing. */
    dormant(orgId?: string, days?: number): Promise<InactiveReport | undefined>;
    /** What Export Report… offers to export of a counted month once the users are listed (labels as shown); undefined before, or for a month not counted. */
    exportChoices(month: string, orgId?: string): Promise<{ label: string; description?: string; what: ExportWhat }[] | undefined>;
    readonly onDidReportProgress: vscode.Event<ListingProgressEvent>;
  };
  readonly dashboard: {
    /** What the dashboard shows for an org (default: the active one) and month (default: the newest saved). */
    model(orgId?: string, month?: string): Promise<DashboardModel | undefined>;
    isOpen(): boolean;
    /** Every message the extension sends to the dashboard webview (models, live progress). */
    readonly onDidPost: vscode.Event<ToWebview>;
  };
}

export function createApi(parts: {
  orgs: OrgStore;
  results: ResultStore;
  counts: CountService;
  tree: UsersTreeProvider;
  statusBar: MauStatusBar;
  errors: ErrorReporter;
  notices: Notices;
  dashboard: Dashboard;
  logUri: vscode.Uri;
  listings: UserListStore;
  listingRuns: UsersService;
  inactive: InactiveUsers;
}): OktaMauApi {
  const { orgs, results, counts, tree, statusBar, errors, notices, dashboard, listings, listingRuns, inactive } = parts;
  const orgOf = async (orgId?: string) => (orgId ? orgs.get(orgId) : orgs.active());
  return {
    resultsUri: results.root,
    logUri: parts.logUri,
    async orgs() {
      const active = await orgs.active();
      return (await orgs.list()).map((o) => ({ id: o.id, orgUrl: o.orgUrl, authMode: o.authMode, active: o.id === active?.id }));
    },
    treeChildren: (node) => tree.getChildren(node),
    treeItem: (node) => tree.getTreeItem(node),
    onDidChangeTree: tree.onDidChangeTreeData,
    async statusBarText() {
      await statusBar.update();
      return statusBar.text;
    },
    async statusBarTooltip() {
      await statusBar.update();
      return statusBar.tooltip;
    },
    onDidReportProgress: (listener, thisArg, disposables) =>
      counts.onDidChange((e) => listener.call(thisArg, progressEvent(e)), undefined, disposables),
    onDidShowError: errors.onDidShowError,
    onDidShowInfo: notices.onDidShow,
    reloadResults: () => {
      results.forget();
      listings.forget();
    },
    users: {
      listingsUri: listings.root,
      async listing(orgId) {
        const org = await orgOf(orgId);
        return org && listings.load(org.id);
      },
      async inactiveInMonth(month, orgId) {
        const org = await orgOf(orgId);
        return org && inactive.inMonth(org, month);
      },
      async dormant(orgId, days) {
        const org = await orgOf(orgId);
        return org && inactive.dormantIn(org, days);
      },
      async exportChoices(month, orgId) {
        const org = await orgOf(orgId);
        const stored = org && (await results.load(org.id, month));
        const choices = org && stored && (await exportChoices(inactive, org, stored));
        return choices?.map(({ label, description, what }) => ({ label, ...(description !== undefined ? { description } : {}), what }));
      },
      onDidReportProgress: (listener, thisArg, disposables) => listingRuns.onDidChange((e) => listener.call(thisArg, listingEvent(e)), undefined, disposables),
    },
    dashboard: {
      model: (orgId, month) => dashboard.model(orgId, month),
      isOpen: () => dashboard.isOpen,
      onDidPost: dashboard.onDidPost,
    },
  };
}

function progressEvent({ state, phase }: RunEvent): ProgressEvent {
  const { orgId, month, background, message, progress } = state;
  return { orgId, month, phase, background, message, ...(progress ? { progress: { ...progress }, percent: coveredPercent(progress.covered) } : {}) };
}

function listingEvent({ run, phase }: ListingEvent): ListingProgressEvent {
  return { orgId: run.orgId, phase, message: run.message, ...(run.progress ? { progress: { ...run.progress } } : {}) };
}
