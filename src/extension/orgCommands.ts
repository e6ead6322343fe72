/**
 * Add Org, Update Credential, Switch Org and Remove Org. A credential is checked against the org
 * (one System Log request) before anything is stored, so a wrong token leaves no trace.
 */
import * as vscode from 'vscode';
import { InvalidInputError, OktaApiError, describeError, errorKind, isCancelled, maskSecrets } from '../core/errors';
import { normalizeOrgUrl } from '../core/orgUrl';
import type { AuthConfig } from '../core/types';
import { resolveOrg, stringArg } from './activeOrg';
import type { CommandArgs, CredentialArg } from './commandIds';
import { registerCommand, runCommand } from './commands';
import type { CountDeps } from './countCommands';
import { askCredential, keyProblem } from './credentialInput';
import { notificationText } from './markdown';
import { orgLabel, type OrgEntry, type OrgStore } from './orgStore';
import { countModule } from './coreModule';
import type { UsersService } from './usersService';

/** What the count commands need, and the listing runs, when the extension lists users. */
export interface OrgDeps extends CountDeps {
  listingRuns?: UsersService;
}

/** What the credential check found out about the Users API: readable, refused (with what to grant), or not known (why). */
type UsersAccess = { readable: true } | { readable: false; reason: string } | { readable: 'unknown'; reason: string };

/** The commands that take a credential, and so are offered again when Okta refuses one. */
type CredentialCommand = 'oktaMau.addOrg' | 'oktaMau.updateCredential';

export function registerOrgCommands(deps: OrgDeps): vscode.Disposable[] {
  const { orgs, results, counts, errors, notices, listings, listingRuns } = deps;

  /**
   * Checks then stores; returns the org id, or undefined when the check failed (already reported).
   * A refused credential or an org that could not be asked offers Try Again, which runs the command
   * again with `retryArg`: Add Org keeps the URL already entered, Update Credential the org.
   */
  async function verifyAndSave<K extends CredentialCommand>(orgUrl: string, auth: AuthConfig, retryCommand: K, retryArg: CommandArgs[K]): Promise<string | undefined> {
    orgs.remember(auth);
    // A key the SDK cannot sign with is refused here, as in the input box, before the org is asked.
    const problem = auth.mode === 'PrivateKey' ? keyProblem(auth.privateKey) : undefined;
    if (problem) throw new InvalidInputError(problem);
    let access: UsersAccess;
    try {
      access = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the credential for {0}…', orgLabel({ orgUrl })), cancellable: true },
        async (_progress, token): Promise<UsersAccess> => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          try {
            const { checkCredential, checkUsersAccess } = countModule();
            await checkCredential(orgUrl, auth, controller.signal);
            // Then whether inactive users can be listed. Counting never needs it, so a refusal (or
            // a Users API that could not be asked) is said in the confirmation, and the org is kept.
            try {
              return await checkUsersAccess(orgUrl, auth, controller.signal);
            } catch (err) {
              if (isCancelled(err) || controller.signal.aborted) throw err;
              return { readable: 'unknown', reason: describeError(err, orgs.knownSecrets()) };
            }
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (err) {
      // An auth failure is about the credential just typed; an API or network failure (the core's
      // message names the host) most often about the URL. Either way: offer to type it again.
      const kind = errorKind(err);
      if (kind === 'auth' || kind === 'api') {
        const advice = retryCommand === 'oktaMau.addOrg' ? vscode.l10n.t('check the org URL and the network, then try again') : vscode.l10n.t('check the network, then try again');
        errors.report(kind === 'api' ? withAdvice(err as OktaApiError, advice) : err, retryCommand, {
          title: vscode.l10n.t('Try Again'),
          run: () => runCommand(retryCommand, retryArg),
        });
        return undefined;
      }
      throw err;
    }
    const entry = await orgs.save(orgUrl, auth);
    if (access.readable !== 'unknown') listingRuns?.noteAccess(entry.id, access.readable ? undefined : maskSecrets(access.reason, orgs.knownSecrets()));
    const saved =
      retryCommand === 'oktaMau.updateCredential'
        ? vscode.l10n.t('Okta MAU: credential for {0} updated.', orgLabel(entry))
        : vscode.l10n.t('Okta MAU: {0} added and active.', orgLabel(entry));
    void notices.show(notificationText(maskSecrets(`${saved} ${usersAccessLine(access)}`, orgs.knownSecrets())));
    return entry.id;
  }

  return [
    // Args: `{ orgUrl, auth }` checks and stores without asking; `{ orgUrl }` alone asks for the
    // rest with the URL filled in (what Try Again runs after a refused credential).
    registerCommand('oktaMau.addOrg', errors, async (arg) => {
      const given = (arg ?? {}) as CredentialArg;
      const givenUrl = stringArg(arg, 'orgUrl');
      if (givenUrl && given.auth) {
        const orgUrl = normalizeOrgUrl(givenUrl);
        return verifyAndSave(orgUrl, given.auth, 'oktaMau.addOrg', { orgUrl });
      }
      const title = (n: number) => vscode.l10n.t('Add Okta org ({0}/3)', n);
      const typed = await vscode.window.showInputBox({
        title: title(1),
        prompt: vscode.l10n.t('Org URL, e.g. https://acme.okta.com'),
        placeHolder: 'https://acme.okta.com',
        ...(givenUrl ? { value: givenUrl } : {}),
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            normalizeOrgUrl(v);
            return undefined;
          } catch (err) {
            return err instanceof Error ? err.message : String(err);
          }
        },
      });
      if (!typed) return undefined;
      const orgUrl = normalizeOrgUrl(typed);
      const auth = await askCredential((step) => title(step === 'method' ? 2 : 3));
      return auth ? verifyAndSave(orgUrl, auth, 'oktaMau.addOrg', { orgUrl }) : undefined;
    }),

    registerCommand('oktaMau.updateCredential', errors, async (arg) => {
      const given = (arg ?? {}) as CredentialArg;
      const org = await resolveOrg(orgs, given.orgId);
      if (!org) return undefined;
      const title = (n: number) => vscode.l10n.t('Update credential for {0} ({1}/2)', orgLabel(org), n);
      const auth = given.auth ?? (await askCredential((step) => title(step === 'method' ? 1 : 2)));
      return auth ? verifyAndSave(org.orgUrl, auth, 'oktaMau.updateCredential', { orgId: org.id }) : undefined;
    }),

    // Args: `{ orgId }` (a tree org node has one too).
    registerCommand('oktaMau.switchOrg', errors, async (arg) => {
      const org = await pickOrg(orgs, stringArg(arg, 'orgId'), vscode.l10n.t('Switch to which Okta org?'));
      if (!org) return undefined;
      await orgs.setActive(org.id);
      return org.id;
    }),

    // Args: `{ orgId, confirm?: boolean }`; scripts pass `confirm: false` to skip the dialog.
    registerCommand('oktaMau.removeOrg', errors, async (arg) => {
      const org = await pickOrg(orgs, stringArg(arg, 'orgId'), vscode.l10n.t('Remove which Okta org?'));
      if (!org) return undefined;
      const confirm = !(arg && typeof arg === 'object' && (arg as { confirm?: unknown }).confirm === false);
      if (confirm) {
        const remove = vscode.l10n.t('Remove');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove {0}? Its credential and cached results are deleted.', orgLabel(org)),
          { modal: true },
          remove,
        );
        if (choice !== remove) return undefined;
      }
      counts.cancel(org.id);
      listingRuns?.cancel(org.id);
      await orgs.remove(org.id);
      await results.removeOrg(org.id);
      await listings?.removeOrg(org.id);
      return org.id;
    }),
  ];
}

async function pickOrg(orgs: OrgStore, orgId: string | undefined, placeHolder: string): Promise<OrgEntry | undefined> {
  if (orgId) {
    const org = await orgs.get(orgId);
    if (!org) throw new InvalidInputError(vscode.l10n.t('That Okta org is no longer set up.'));
    return org;
  }
  const all = await orgs.list();
  if (all.length === 0) return resolveOrg(orgs);
  const active = await orgs.active();
  const picked = await vscode.window.showQuickPick(
    all.map((org) => ({
      label: orgLabel(org),
      description: [org.id === active?.id ? vscode.l10n.t('active') : '', org.authMode === 'SSWS' ? vscode.l10n.t('API token') : vscode.l10n.t('OAuth service app')]
        .filter(Boolean)
        .join(' · '),
      org,
    })),
    { placeHolder },
  );
  return picked?.org;
}

/** The confirmation's second sentence: whether inactive and dormant users can be listed, and what to grant if not. */
function usersAccessLine(access: UsersAccess): string {
  if (access.readable === true) return vscode.l10n.t('Inactive and dormant users can be listed too.');
  if (access.readable === false) return vscode.l10n.t('To list inactive and dormant users: {0}', access.reason);
  return vscode.l10n.t('Whether inactive and dormant users can be listed is not known yet: {0}', access.reason);
}

/** The core's API error with what to do after it, for the person who just typed the URL or credential. */
function withAdvice(err: OktaApiError, advice: string): OktaApiError {
  return new OktaApiError(`${err.message}; ${advice}`, err.status, err.errorCode);
}
