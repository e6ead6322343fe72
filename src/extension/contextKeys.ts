/**
 * Context keys for `when` clauses: `oktaMau.hasOrg` and `oktaMau.hasResults` gate the view's
 * welcome content and title buttons, so they are kept current whether or not the view is visible.
 */
import * as vscode from 'vscode';
import type { OrgStore } from './orgStore';
import type { ResultStore } from './resultStore';

export function registerContextKeys(orgs: OrgStore, results: ResultStore): vscode.Disposable[] {
  let generation = 0;
  const update = async () => {
    const mine = ++generation;
    const list = await orgs.list();
    const counted = await Promise.all(list.map(async (o) => (await results.months(o.id)).length > 0));
    if (mine !== generation) return; // a newer update is under way
    await vscode.commands.executeCommand('setContext', 'oktaMau.hasOrg', list.length > 0);
    await vscode.commands.executeCommand('setContext', 'oktaMau.hasResults', counted.some(Boolean));
  };
  void update();
  return [orgs.onDidChange(() => void update()), results.onDidChange(() => void update())];
}
