/**
 * The MAU dashboard: one webview panel per window, revealed when already open, restored after a
 * reload by a serializer (the webview keeps its month with `setState`). It shows the active org
 * unless opened for another one (a month item's context menu), and follows the org's saved counts
 * and any running count live: progress goes out as it arrives, the report once saved.
 */
import * as vscode from 'vscode';
import { runCommand } from '../commands';
import { onDidChangeDormantDays, readSettings } from '../config';
import type { RunEvent, RunState, CountService } from '../countService';
import type { Logger } from '../log';
import { orgLabel, type OrgEntry, type OrgStore } from '../orgStore';
import type { ResultStore, StoredReport } from '../resultStore';
import type { ListingSources } from '../tree/usersTree';
import type { ListingEvent } from '../usersService';
import { dashboardHtml, dashboardRoots } from './html';
import { previousMonth } from '../../core/history';
import { currentMonth } from '../../core/month';
import { buildAllOrgsView, buildDashboardModel, type LicencesInput } from './model';
import { ALL_ORGS, fromWebview, type DashboardModel, type FromWebview, type LiveCount, type ToWebview, type WebviewState } from './protocol';
import { dashboardStrings } from './strings';

export const DASHBOARD_VIEW_TYPE = 'oktaMau.dashboard';

export class Dashboard implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  /** Owned by the current panel; disposed with it. */
  private panelSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly posted = new vscode.EventEmitter<ToWebview>();
  /** Every message sent to the webview, for scripts and tests. */
  readonly onDidPost = this.posted.event;
  /** An org chosen explicitly (a month item's menu); otherwise the dashboard follows the active org. */
  private pinnedOrgId?: string;
  private month?: string;
  private ready = false;
  /** The org of the last model posted: the one whose running count the panel follows. */
  private shownOrgId?: string;
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly orgs: OrgStore,
    private readonly results: ResultStore,
    private readonly counts: CountService,
    private readonly log: Logger,
    /** The org's user listings, for the Licences card (licensed versus active users). */
    private readonly users?: ListingSources,
  ) {
    this.subscriptions.push(
      this.posted,
      orgs.onDidChange(() => this.scheduleRefresh()),
      results.onDidChange(() => this.scheduleRefresh()),
      counts.onDidChange((e) => this.onCount(e)),
      // A listing saved (or removed), started, ended or refused changes the Licences card, as a saved count changes the rest.
      // The card's dormant users follow oktaMau.dormantDays, as the Users view's "Dormant for N days (M)" does.
      ...(users
        ? [
            users.listings.onDidChange(() => this.scheduleRefresh()),
            users.runs.onDidChange((e) => this.onListing(e)),
            users.runs.onDidChangeAccess(() => this.scheduleRefresh()),
            onDidChangeDormantDays(() => this.scheduleRefresh()),
          ]
        : []),
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const month = (state as WebviewState | undefined)?.month;
          this.adopt(panel, undefined, typeof month === 'string' ? month : undefined);
        },
      }),
    );
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel on the org and month given, else the active org's newest month. */
  async show(orgId?: string, month?: string): Promise<DashboardModel | undefined> {
    if (this.panel) {
      this.pinnedOrgId = orgId;
      if (month) this.month = month;
      this.panel.reveal(undefined, false);
      await this.refresh();
    } else {
      const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, dashboardStrings().title, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: dashboardRoots(this.extensionUri),
      });
      this.adopt(panel, orgId, month);
    }
    return this.model();
  }

  /**
   * The data the panel shows (or would show) for an org and month; the active org's newest month by
   * default. `ALL_ORGS` gives every org's count of one month (the last whole UTC month by default,
   * as \`okta-mau history --all\`: counts of a running month each stop at their own instant).
   */
  async model(orgId = this.pinnedOrgId, month = this.month): Promise<DashboardModel | undefined> {
    const all = await this.orgs.list();
    const orgs = all.map((o) => ({ id: o.id, label: orgLabel(o) }));
    if (orgId === ALL_ORGS) {
      const chosen = month ?? previousMonth(currentMonth(new Date()));
      const rows = await Promise.all(
        all.map(async (o) => ({
          id: o.id,
          label: orgLabel(o),
          orgUrl: o.orgUrl,
          months: await this.results.months(o.id),
          report: await this.results.load(o.id, chosen),
          licences: await this.users?.inactive.inMonth(o, chosen),
        })),
      );
      return { orgs, orgId: '', org: '', months: [], allOrgs: buildAllOrgsView({ orgs: rows, month: chosen }) };
    }
    const org = await this.org(orgId);
    if (!org) return undefined;
    const months = await this.results.months(org.id);
    const reports = (await Promise.all(months.map((m) => this.results.load(org.id, m)))).filter((r): r is StoredReport => r !== undefined);
    return buildDashboardModel({ orgs, orgId: org.id, org: orgLabel(org), reports, month, live: this.live(org.id), licences: await this.licences(org) });
  }

  /**
   * The org's saved listing, a listing running, or the refusal that says what to grant. The dormant
   * users are the tree's: `dormantOf` with the same setting and licensed statuses.
   */
  private async licences(org: OrgEntry): Promise<LicencesInput | undefined> {
    if (!this.users) return undefined;
    const { inactive, runs } = this.users;
    const listing = await inactive.listing(org.id);
    const running = runs.running(org.id)?.message;
    const refusal = runs.refusal(org.id);
    const days = readSettings().dormantDays;
    return {
      ...(listing
        ? {
            listed: {
              listedAt: listing.listedAt,
              inMonth: (report: StoredReport) => inactive.inMonthOf(org, listing, report),
              dormant: { days, users: inactive.dormantOf(org, listing, days).users.length },
            },
          }
        : {}),
      ...(running !== undefined ? { listing: running } : {}),
      ...(refusal !== undefined ? { refusal } : {}),
    };
  }

  private adopt(panel: vscode.WebviewPanel, orgId: string | undefined, month: string | undefined): void {
    this.panel = panel;
    this.pinnedOrgId = orgId;
    this.month = month;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'okta-mau.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: dashboardRoots(this.extensionUri) };
    panel.webview.html = dashboardHtml(panel.webview, this.extensionUri, dashboardStrings().title);
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const message = fromWebview(m);
        if (message) void this.onMessage(message);
        else this.log.warn('dashboard: ignored a message of unknown shape from the webview');
      }),
      panel.onDidDispose(() => {
        for (const s of this.panelSubscriptions) s.dispose();
        this.panelSubscriptions = [];
        this.panel = undefined;
        this.ready = false;
        this.shownOrgId = undefined;
      }),
    ];
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A restored webview remembers its month and org; one opened for a month item asks for that one.
        this.month = this.month ?? message.month;
        if (this.pinnedOrgId === undefined && typeof message.orgId === 'string') this.pinnedOrgId = message.orgId;
        this.ready = true;
        this.post({ type: 'init', locale: vscode.env.language || 'en', strings: dashboardStrings() });
        await this.refresh();
        break;
      case 'selectMonth':
        this.month = message.month;
        await this.refresh();
        break;
      case 'selectOrg':
        // Another org's months are not this one's: its newest month, or the last whole month for all orgs.
        if (message.orgId !== this.pinnedOrgId) this.month = undefined;
        this.pinnedOrgId = message.orgId === ALL_ORGS || (await this.orgs.get(message.orgId)) ? message.orgId : undefined;
        await this.refresh();
        break;
      case 'recount': {
        if (this.pinnedOrgId === ALL_ORGS) break;
        const org = await this.org(this.pinnedOrgId);
        if (org) void runCommand('oktaMau.recountMonth', { orgId: org.id, month: message.month });
        break;
      }
      case 'listUsers':
        // The org whose card offered it; never for All orgs. The command says itself when one already runs.
        if (this.shownOrgId && (await this.orgs.get(this.shownOrgId))) void runCommand('oktaMau.listUsers', { orgId: this.shownOrgId });
        break;
    }
  }

  private async org(orgId: string | undefined): Promise<OrgEntry | undefined> {
    return (orgId && orgId !== ALL_ORGS ? await this.orgs.get(orgId) : undefined) ?? (await this.orgs.active());
  }

  private live(orgId: string): LiveCount | undefined {
    const run = this.counts.running(orgId);
    return run ? liveOf(run) : undefined;
  }

  /**
   * Posted in the same turn as the event, so the panel shows what the tree and the status bar show;
   * the count service throttles progress for all of them. A new month being counted gets a bar of
   * its own at once ('started'); the saved report follows on 'finished'.
   */
  private onCount(e: RunEvent): void {
    if (!this.panel || !this.ready || e.state.orgId !== this.shownOrgId) return;
    if (e.phase === 'progress') this.post({ type: 'progress', live: liveOf(e.state) });
    else this.scheduleRefresh();
  }

  /** A listing's pages update the card's line; its start and end (a listing saved or not) send a new model. */
  private onListing(e: ListingEvent): void {
    if (!this.panel || !this.ready || e.run.orgId !== this.shownOrgId) return;
    if (e.phase === 'progress') this.post({ type: 'listing', message: e.run.message });
    else this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (!this.panel || !this.ready) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 50);
  }

  private async refresh(): Promise<void> {
    if (!this.panel || !this.ready) return;
    try {
      const model = await this.model();
      if (model?.selected) this.month = model.selected.month;
      if (model?.allOrgs) this.month = model.allOrgs.month;
      this.shownOrgId = model?.allOrgs ? undefined : model?.orgId;
      this.post({ type: 'model', model: model ?? { orgs: [], orgId: '', org: '', months: [] } });
    } catch (err) {
      this.log.warn(`dashboard: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private post(message: ToWebview): void {
    if (!this.panel) return;
    void this.panel.webview.postMessage(message);
    this.posted.fire(message);
  }
}

/** What the dashboard shows of a running count. */
function liveOf(run: RunState): LiveCount {
  const p = run.progress;
  return {
    month: run.month,
    users: p?.users ?? 0,
    covered: p?.covered ?? 0,
    events: p?.events ?? 0,
    pages: p?.pages ?? 0,
    rateLimitWaitMs: p?.rateLimitWaitMs ?? 0,
    incremental: run.incremental,
  };
}
