/** Finding the org a command acts on: the one given by a script or menu, else the active one. */
import * as vscode from 'vscode';
import { runCommand } from './commands';
import type { OrgEntry, OrgStore } from './orgStore';

/** The org named by `orgId`, or the active org; offers "Add Org" and returns undefined when there is none. */
export async function resolveOrg(orgs: OrgStore, orgId?: string): Promise<OrgEntry | undefined> {
  const org = orgId ? await orgs.get(orgId) : await orgs.active();
  if (org) return org;
  const add = vscode.l10n.t('Add Org');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('No Okta org is set up yet.'), add)
    .then((choice) => (choice === add ? runCommand('oktaMau.addOrg') : undefined));
  return undefined;
}

/** Reads a field of an options object passed through `executeCommand`, ignoring anything else (tree nodes, URIs). */
export function stringArg(arg: unknown, key: string): string | undefined {
  if (arg && typeof arg === 'object' && typeof (arg as Record<string, unknown>)[key] === 'string') {
    return (arg as Record<string, string>)[key];
  }
  return undefined;
}
