/**
 * The one wrapper every command goes through: it logs the failure, shows one line with an action
 * that helps (Update Credential for a refused credential, Show Log otherwise), and treats
 * cancellation as a normal outcome.
 */
import * as vscode from 'vscode';
import { describeError, errorKind, isCancelled } from '../core/errors';
import type { CommandArg, CommandArgs, CommandId, RunnableCommandId } from './commandIds';
import type { Logger } from './log';
import { notificationText } from './markdown';

export interface ErrorReporter {
  /** Fired with exactly the message shown to the user, so scripts and tests can observe it. */
  readonly onDidShowError: vscode.Event<string>;
  /** `action` replaces the default action (Update Credential / Show Log). */
  report(err: unknown, context: string, action?: ErrorAction): void;
}

export interface ErrorAction {
  title: string;
  run: () => unknown;
}

export function createErrorReporter(log: Logger, secrets: () => readonly string[]): ErrorReporter & vscode.Disposable {
  const shown = new vscode.EventEmitter<string>();
  return {
    onDidShowError: shown.event,
    dispose: () => shown.dispose(),
    report(err, context, custom) {
      if (isCancelled(err)) {
        log.info(`${context}: cancelled`);
        return;
      }
      const message = notificationText(describeError(err, secrets()));
      log.error(`${context}: ${message}`);
      const updateCredential = vscode.l10n.t('Update Credential');
      const showLog = vscode.l10n.t('Show Log');
      const action = custom?.title ?? (errorKind(err) === 'auth' ? updateCredential : showLog);
      shown.fire(message);
      // Not awaited: a notification left open must not keep the command (or a script) waiting.
      void vscode.window.showErrorMessage(message, action).then((choice) => {
        if (custom && choice === custom.title) void custom.run();
        else if (choice === updateCredential) void runCommand('oktaMau.updateCredential', orgOf(err));
        else if (choice === showLog) log.show();
      });
    },
  };
}

/**
 * Receives what the caller passed, unchecked: `CommandArgs` says what a well-behaved caller sends,
 * but any extension or script can run a command with anything, so handlers parse (`stringArg`).
 */
export type CommandHandler = (...args: unknown[]) => unknown;

export function registerCommand(id: CommandId, errors: ErrorReporter, handler: CommandHandler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      errors.report(err, id);
      return undefined;
    }
  });
}

/** Runs one of this extension's commands with the argument it declares in `CommandArgs`. */
export function runCommand<K extends RunnableCommandId>(id: K, arg?: CommandArg<K>): Thenable<unknown> {
  return arg === undefined ? vscode.commands.executeCommand(id) : vscode.commands.executeCommand(id, arg);
}

/** A command for a tree item, status bar item or button, with its declared argument. */
export function commandRef<K extends CommandId>(id: K, title: string, arg?: CommandArgs[K]): vscode.Command {
  return { command: id, title, ...(arg === undefined ? {} : { arguments: [arg] }) };
}

/** The org a failed count was for, when the count service said so. */
function orgOf(err: unknown): { orgId: string } | undefined {
  const orgId = (err as { orgId?: unknown } | undefined)?.orgId;
  return typeof orgId === 'string' ? { orgId } : undefined;
}
