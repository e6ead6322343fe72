/** The Users view and its commands: sort, filter, paging, and the per-user actions. */
import * as vscode from 'vscode';
import { DEFAULT_PRESET_ID, definitionName } from '../../core/definitions';
import { adminConsoleOrigin } from '../../core/orgUrl';
import { countDefinition, onDidChangeDefinition, readSettings } from '../config';
import { registerCommand, type ErrorReporter } from '../commands';
import type { OrgStore } from '../orgStore';
import type { Node, OrgUserNode, SortMode, UserNode } from './nodes';
import type { UsersTreeProvider } from './usersTree';

const SORT_MODES: SortMode[] = ['sessions', 'leastActive', 'alphabetical', 'recent'];

/** How often the visible rows' relative times ("counted 3 min ago") are redrawn: their finest unit. */
export const RELATIVE_TIME_REFRESH_MS = 60_000;

export function registerUsersView(provider: UsersTreeProvider, orgs: OrgStore, errors: ErrorReporter): vscode.Disposable[] {
  const view = vscode.window.createTreeView('oktaMau.users', { treeDataProvider: provider, showCollapseAll: true });
  const showFilter = () => {
    view.message = provider.filter ? vscode.l10n.t('Users matching "{0}"', provider.filter) : undefined;
  };
  // The view's title names any definition of "active" other than sign-ins, so its numbers are never read as another's.
  const showDefinition = () => {
    const settings = readSettings();
    view.description = settings.definition === DEFAULT_PRESET_ID ? undefined : definitionName(countDefinition(settings));
  };
  showDefinition();
  const sortLabels: Record<SortMode, string> = {
    sessions: vscode.l10n.t('Most sessions'),
    leastActive: vscode.l10n.t('Least active'),
    alphabetical: vscode.l10n.t('Alphabetical'),
    recent: vscode.l10n.t('Most recent'),
  };
  return [
    view,
    provider,
    onDidChangeDefinition(showDefinition),
    keepTimesCurrent(view, provider),
    // Args: a sort mode (`sessions`, `leastActive`, `alphabetical`, `recent`).
    registerCommand('oktaMau.sortUsers', errors, async (arg) => {
      let mode = typeof arg === 'string' && (SORT_MODES as string[]).includes(arg) ? (arg as SortMode) : undefined;
      if (!mode) {
        const picked = await vscode.window.showQuickPick(
          SORT_MODES.map((m) => ({ label: sortLabels[m], description: m === provider.sort ? vscode.l10n.t('current') : undefined, mode: m })),
          { placeHolder: vscode.l10n.t('Sort users by') },
        );
        mode = picked?.mode;
      }
      if (mode) provider.setSort(mode);
      return mode;
    }),
    // Args: the filter text.
    registerCommand('oktaMau.filterUsers', errors, async (arg) => {
      const text =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Filter users'),
              prompt: vscode.l10n.t('Part of a login or a name'),
              value: provider.filter,
            });
      if (text === undefined) return;
      provider.setFilter(text);
      showFilter();
    }),
    registerCommand('oktaMau.clearFilter', errors, () => {
      provider.setFilter('');
      showFilter();
    }),
    registerCommand('oktaMau.showMore', errors, (arg) => {
      if (isNode(arg, 'more')) provider.showMore(arg.parent);
    }),
    registerCommand('oktaMau.copyLogin', errors, async (arg) => {
      const user = userOf(arg);
      if (user) await vscode.env.clipboard.writeText(user.user.login);
    }),
    registerCommand('oktaMau.copyUserId', errors, async (arg) => {
      const user = userOf(arg);
      if (user) await vscode.env.clipboard.writeText(user.user.id);
    }),
    registerCommand('oktaMau.openInAdminConsole', errors, async (arg) => {
      const user = userOf(arg);
      const org = user ? await orgs.get(user.orgId) : undefined;
      if (!user || !org) return undefined;
      // The core knows the console's host (`acme-admin.okta.com`; loopback orgs are their own console).
      const url = `${adminConsoleOrigin(org.orgUrl)}/admin/user/profile/view/${encodeURIComponent(user.user.id)}`;
      // Not awaited: the browser may ask first, and the command's caller has nothing to wait for.
      void vscode.env.openExternal(vscode.Uri.parse(url, true));
      return url;
    }),
  ];
}

/**
 * Redraws the org and month rows once a minute while the view is visible, and at once when it shows
 * again, so "counted just now" does not stay on screen for an hour. No timer runs while it is hidden.
 * A saved count restarts the minute: its "just now" then turns into "1 min ago" when that is true.
 */
function keepTimesCurrent(view: vscode.TreeView<Node>, provider: UsersTreeProvider): vscode.Disposable {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const start = () => {
    stop();
    if (view.visible) timer = setInterval(() => provider.refreshTimes(), RELATIVE_TIME_REFRESH_MS);
  };
  const subscriptions = [
    view.onDidChangeVisibility((e) => {
      if (e.visible) provider.refreshTimes();
      start();
    }),
    provider.onDidChangeResults(() => start()),
  ];
  start();
  return vscode.Disposable.from(...subscriptions, { dispose: stop });
}

function isNode<K extends Node['kind']>(arg: unknown, kind: K): arg is Extract<Node, { kind: K }> {
  return !!arg && typeof arg === 'object' && (arg as Node).kind === kind;
}

/** A user node (active or listed), or the user a detail row belongs to (so the actions also work on details). */
function userOf(arg: unknown): UserNode | OrgUserNode | undefined {
  if (isNode(arg, 'user') || isNode(arg, 'orgUser')) return arg;
  if (isNode(arg, 'detail')) return arg.parent;
  return undefined;
}
