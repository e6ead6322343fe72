/**
 * Okta: List Users (Inactive and Dormant) and Okta: List Users From Scratch: list the org's users as a
 * cancellable notification ("Listing users of acme.okta.com: page 3 · 600 users", or "updating the
 * user list: 14 changed since …" when only the changes since the saved listing are read), then say
 * what became of the listing. A credential that may not read the Users API gets one line saying what
 * to grant; counting never needs it, so nothing else changes. When `oktaMau.licensedStatuses` asks for
 * a status a saved listing lacks, that org's users are listed again.
 */
import * as vscode from 'vscode';
import { errorKind } from '../core/errors';
import { resolveOrg, stringArg } from './activeOrg';
import { registerCommand, runCommand, type ErrorReporter } from './commands';
import { onDidChangeLicensedStatuses, readSettings } from './config';
import type { Notices } from './countProgress';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { formatNumber, userCount } from './progressText';
import { missingStatuses } from './storedUsers';
import { accountTime } from './tree/nodes';
import type { UserListing, UserListStore } from './userListStore';
import type { ListingOptions, ListingRun, UsersService } from './usersService';

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
    void notices.show(listedText(org, listing, run.since));
    return listing;
  }

  async function list(arg: unknown, options: ListingOptions): Promise<UserListing | boolean | undefined> {
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
    return follow(org, runs.start(org, options), hadListing);
  }

  /**
   * The setting asked for a status a saved listing lacks: that org's users are listed again, as the
   * command would (a notification with Cancel; a failure said once). Its tree rows offer to list them
   * until then; a listing already running is left to finish, and looked at again once it has.
   */
  async function relistForStatuses(org: OrgEntry): Promise<void> {
    const running = runs.running(org.id);
    if (running) {
      void running.done.then(
        () => relistForStatuses(org),
        () => relistForStatuses(org),
      );
      return;
    }
    const saved = await listings.load(org.id);
    if (saved && missingStatuses(saved, readSettings().licensedStatuses).length > 0) void runCommand('oktaMau.listUsers', { orgId: org.id });
  }

  return [
    // Args: `{ orgId?, fromScratch? }` lists; `{ orgId?, cancel: true }` cancels a running listing (returns whether one ran).
    registerCommand('oktaMau.listUsers', errors, (arg) => list(arg, { fromScratch: arg !== null && typeof arg === 'object' && (arg as { fromScratch?: unknown }).fromScratch === true })),
    // Every user, whatever the saved listing. Args: `{ orgId? }` (an org or group node has one).
    registerCommand('oktaMau.listUsersFromScratch', errors, (arg) => list(arg, { fromScratch: true })),
    onDidChangeLicensedStatuses(() => {
      listings.announceChange();
      void orgs.list().then((all) => all.forEach((org) => void relistForStatuses(org)));
    }),
  ];
}

/** `Okta MAU: listed 3,412 users of acme.okta.com.`, or for an incremental listing `… updated the users of acme.okta.com: 14 changed since …; 3,412 listed.` */
function listedText(org: OrgEntry, listing: UserListing, since: string | undefined): string {
  if (listing.incremental && since) {
    return vscode.l10n.t(
      'Okta MAU: updated the users of {0}: {1} changed since {2} (UTC); {3} listed.',
      orgLabel(org),
      formatNumber(listing.changed ?? 0),
      accountTime(since, vscode.env.language || 'en'),
      userCount(listing.users.length),
    );
  }
  return vscode.l10n.t('Okta MAU: listed {0} of {1}.', userCount(listing.users.length), orgLabel(org));
}
