/**
 * Entry point: wires the feature modules and nothing else. Nothing here talks to Okta; the core's
 * count module (and the Okta SDK with it) is imported on the first count or credential check.
 */
import * as vscode from 'vscode';
import { createApi, type OktaMauApi } from './api';
import { registerAutoRefresh } from './autoRefresh';
import { createErrorReporter, registerCommand } from './commands';
import { countDefinition, onDidChangeDefinition } from './config';
import { registerContextKeys } from './contextKeys';
import { registerCountCommands } from './countCommands';
import { Notices } from './countProgress';
import { CountService } from './countService';
import { Dashboard } from './dashboard/panel';
import { registerDashboard } from './dashboard/register';
import { registerExport } from './exportReport';
import { createLogger } from './log';
import { registerOrgCommands } from './orgCommands';
import { OrgStore } from './orgStore';
import { ResultStore } from './resultStore';
import { MauStatusBar } from './statusBar';
import { Projections } from './projections';
import { InactiveUsers } from './inactiveUsers';
import { registerUsersView } from './tree/treeCommands';
import { UsersTreeProvider } from './tree/usersTree';
import { UserListStore } from './userListStore';
import { registerUsersCommands } from './usersCommands';
import { UsersService } from './usersService';

export function activate(context: vscode.ExtensionContext): OktaMauApi {
  const channel = vscode.window.createOutputChannel(vscode.l10n.t('Okta MAU'), { log: true });
  const orgs = new OrgStore(context.secrets, context.globalState);
  const secrets = () => orgs.knownSecrets();
  const log = createLogger(channel, secrets);
  const errors = createErrorReporter(log, secrets);
  const notices = new Notices();
  const results = new ResultStore(vscode.Uri.joinPath(context.globalStorageUri, 'results'), { definition: () => countDefinition(), log });
  const counts = new CountService(orgs, results, log, context.globalState);
  const projections = new Projections(results);
  const listings = new UserListStore(vscode.Uri.joinPath(context.globalStorageUri, 'users'), log);
  const listingRuns = new UsersService(orgs, listings, log, context.globalState);
  const inactive = new InactiveUsers(listings, results);
  const listingSources = { listings, inactive, runs: listingRuns };
  const tree = new UsersTreeProvider(orgs, results, counts, projections, listingSources);
  const statusBar = new MauStatusBar(orgs, results, counts, projections);
  const dashboard = new Dashboard(context.extensionUri, orgs, results, counts, log, listingSources);

  context.subscriptions.push(
    channel,
    orgs,
    errors,
    notices,
    results,
    counts,
    projections,
    listings,
    listingRuns,
    statusBar,
    ...registerOrgCommands({ orgs, results, counts, errors, notices, listings, listingRuns }),
    ...registerCountCommands({ orgs, results, counts, errors, notices, listings }),
    ...registerUsersCommands({ orgs, listings, runs: listingRuns, errors, notices }),
    ...registerExport(orgs, results, errors, notices, inactive, projections),
    ...registerUsersView(tree, orgs, errors),
    ...registerAutoRefresh(orgs, counts, statusBar, log),
    ...registerContextKeys(orgs, results),
    ...registerDashboard(dashboard, errors),
    // The views show the results of the current definition of "active".
    onDidChangeDefinition(() => results.forget()),
    registerCommand('oktaMau.showLog', errors, () => log.show()),
  );
  return createApi({ orgs, results, counts, tree, statusBar, errors, notices, dashboard, logUri: context.logUri, listings, listingRuns, inactive });
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions; disposing them aborts running counts.
}
