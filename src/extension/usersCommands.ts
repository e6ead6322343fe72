/**
 * Okta: List Users (Inactive and Dormant): lists the org's users as a cancellable notification
 * ("Listing users of acme.okta.com: page 3 · 600 users"), then says what became of the listing. A
 * credential that may not read the Users API gets one line saying what to grant; counting never
 * needs it, so nothing else changes.
 */
import * as vscode from 'vscode';
import { errorKind } from '../core/errors';
import { resolveOrg, stringArg } from './activeOrg';
import { registerCommand, runCommand, type ErrorReporter } from './commands';
import type { Notices } from './countProgress';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { userCount } from './progressText';
import type { UserListing, UserListStore } from './userListStore';
import type { ListingRun, UsersService } from './usersService';

export interface UsersCommandDeps {
  orgs: OrgStore;
  listings: UserListStore;
  runs: UsersService;
  errors: ErrorReporter;
  notices: Notices;
}

export function registerUsersCommands(deps: UsersCommandDeps): vscode.Disposable[] {
  const { orgs, listings, runs, errors, notices } = deps;

  /**
   * Waits for a listing in a notification whose Cancel stops it. The command that started it says
   * what became of the listing; one that only shows its progress again (`announce` false) does not
   * say it twice.
   */
  async function follow(org: OrgEntry, run: ListingRun, hadListing: boolean, announce = true): Promise<UserListing | undefined> {
    let listing: UserListing | undefined;
    try {
      listing = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing users of {0}', orgLabel(org)), cancellable: true },
        async (progress, token) => {
          const cancelled = token.onCancellationRequested(() => runs.cancel(org.id));
          const updates = runs.onDidChange((e) => e.run === run && e.phase === 'progress' && progress.report({ message: run.message }));
          progress.report({ message: run.message });
          try {
            return await run.done;
          } finally {
            cancelled.dispose();
            updates.dispose();
          }
        },
      );
    } catch (err) {
      if (!announce) return undefined;
      if (errorKind(err) === 'auth') {
        // The core's line names the API, the host, Okta's answer and the scope or role to grant.
        errors.report(err, 'oktaMau.listUsers', { title: vscode.l10n.t('Try Again'), run: () => runCommand('oktaMau.listUsers', { orgId: org.id }) });
        return undefined;
      }
      throw err;
    }
    if (!announce) return listing;
    if (!listing) {
      void notices.show(
        hadListing
          ? vscode.l10n.t('Listing users of {0} cancelled; the earlier listing is kept.', orgLabel(org))
          : vscode.l10n.t('Listing users of {0} cancelled; nothing was saved.', orgLabel(org)),
      );
      return undefined;
    }
    void notices.show(vscode.l10n.t('Okta MAU: listed {0} of {1}.', userCount(listing.users.length), orgLabel(org)));
    return listing;
  }

  return [
    // Args: `{ orgId? }` lists; `{ orgId?, cancel: true }` cancels a running listing (returns whether one ran).
    registerCommand('oktaMau.listUsers', errors, async (arg) => {
      const org = await resolveOrg(orgs, stringArg(arg, 'orgId'));
      if (!org) return undefined;
      if (arg && typeof arg === 'object' && (arg as { cancel?: unknown }).cancel === true) return runs.cancel(org.id);
      const running = runs.running(org.id);
      if (running) {
        const show = vscode.l10n.t('Show Progress');
        const cancelIt = vscode.l10n.t('Cancel It');
        const choice = await notices.show(vscode.l10n.t('The users of {0} are already being listed.', orgLabel(org)), show, cancelIt);
        if (choice === cancelIt) runs.cancel(org.id);
        if (choice === show) return follow(org, running, false, false);
        return undefined;
      }
      const hadListing = (await listings.load(org.id)) !== undefined;
      return follow(org, runs.start(org), hadListing);
    }),
  ];
}
