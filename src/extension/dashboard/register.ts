/** "Okta: Show MAU Dashboard": from the palette, the view's title bar, or a month item (which names org and month). */
import type * as vscode from 'vscode';
import { stringArg } from '../activeOrg';
import { registerCommand, type ErrorReporter } from '../commands';
import type { Dashboard } from './panel';

export function registerDashboard(dashboard: Dashboard, errors: ErrorReporter): vscode.Disposable[] {
  return [
    dashboard,
    // Args (optional): a month node, or `{ orgId?, month? }`. Returns the model the panel shows.
    registerCommand('oktaMau.showDashboard', errors, (arg) => dashboard.show(stringArg(arg, 'orgId'), stringArg(arg, 'month'))),
  ];
}
