/**
 * Every command id the extension registers or runs, and the argument each one accepts. The ids
 * match `contributes.commands` in package.json (test/unit/command-ids.test.ts fails when they drift
 * apart). No runtime `vscode` import, so that test can read the list in plain Node.
 *
 * The argument shapes are what a well-behaved caller passes (a script, a test, a menu handing over a
 * tree node, the extension itself). Handlers still receive `unknown` and parse it (`stringArg`):
 * `executeCommand` is open to every extension and script, so nothing here is a promise about input.
 */
import type * as vscode from 'vscode';
import type { AuthConfig } from '../core/types';
import type { DetailNode, MoreNode, OrgUserNode, SortMode, UserNode } from './tree/nodes';

/** The commands in package.json's `contributes.commands`, all registered in `activate()`. */
export const COMMAND_IDS = [
  'oktaMau.addOrg',
  'oktaMau.switchOrg',
  'oktaMau.removeOrg',
  'oktaMau.updateCredential',
  'oktaMau.countMaus',
  'oktaMau.countMausForMonth',
  'oktaMau.recountMonth',
  'oktaMau.cancelCount',
  'oktaMau.exportReport',
  'oktaMau.clearCache',
  'oktaMau.sortUsers',
  'oktaMau.filterUsers',
  'oktaMau.clearFilter',
  'oktaMau.showMore',
  'oktaMau.copyLogin',
  'oktaMau.copyUserId',
  'oktaMau.openInAdminConsole',
  'oktaMau.showLog',
  'oktaMau.showDashboard',
  'oktaMau.recountFromScratch',
  'oktaMau.listUsers',
  'oktaMau.listUsersFromScratch',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Commands VS Code itself creates for the contributed Users view; run, never registered. */
export const VIEW_COMMAND_IDS = ['oktaMau.users.focus'] as const;

/** Any command id of this extension that code may run. */
export type RunnableCommandId = CommandId | (typeof VIEW_COMMAND_IDS)[number];

/** An org chosen by id (a tree org node has one too); the active org when absent. */
export interface OrgArg {
  orgId?: string;
}

/** Which users an export holds: a month's active users, or those holding a licence without signing in. */
export type ExportWhat = 'active' | 'inactive' | 'dormant';

/** An org and a month (`YYYY-MM`); a tree month node has both. */
export interface MonthArg extends OrgArg {
  month?: string;
}

/** A credential given by a script instead of typed into the input boxes. */
export interface CredentialArg extends OrgArg {
  orgUrl?: string;
  auth?: AuthConfig;
}

/** The first argument of each command. `undefined` is always allowed: the palette passes nothing. */
export interface CommandArgs {
  'oktaMau.addOrg': CredentialArg | undefined;
  'oktaMau.switchOrg': OrgArg | undefined;
  /** `confirm: false` skips the dialog (scripts and tests). */
  'oktaMau.removeOrg': (OrgArg & { confirm?: boolean }) | undefined;
  'oktaMau.updateCredential': CredentialArg | undefined;
  'oktaMau.countMaus': OrgArg | undefined;
  /** A `YYYY-MM` string, or an org and month; asks for the month when none is given. */
  'oktaMau.countMausForMonth': string | MonthArg | undefined;
  /** From a month node's menu; does nothing without a month. */
  'oktaMau.recountMonth': MonthArg | undefined;
  'oktaMau.cancelCount': OrgArg | undefined;
  /**
   * `uri`: a path or a `Uri`; `format` from the file's extension unless given. `what`: the month's
   * active users (default), its `inactive` users or the `dormant` ones (from the saved user listing).
   */
  'oktaMau.exportReport': (MonthArg & { uri?: string | vscode.Uri; format?: 'csv' | 'json'; what?: ExportWhat }) | undefined;
  'oktaMau.clearCache': undefined;
  'oktaMau.sortUsers': SortMode | undefined;
  /** The filter text; asks for it when absent. */
  'oktaMau.filterUsers': string | undefined;
  'oktaMau.clearFilter': undefined;
  'oktaMau.showMore': MoreNode;
  'oktaMau.copyLogin': UserNode | OrgUserNode | DetailNode;
  'oktaMau.copyUserId': UserNode | OrgUserNode | DetailNode;
  'oktaMau.openInAdminConsole': UserNode | OrgUserNode | DetailNode;
  'oktaMau.showLog': undefined;
  'oktaMau.showDashboard': MonthArg | undefined;
  'oktaMau.recountFromScratch': string | MonthArg | undefined;
  /**
   * Lists the org's users, only those changed since the saved listing where it can be built on;
   * `fromScratch: true` lists every user; `cancel: true` cancels a running listing instead (what its
   * notification's Cancel does).
   */
  'oktaMau.listUsers': (OrgArg & { cancel?: boolean; fromScratch?: boolean }) | undefined;
  /** Lists every user of the org, whatever the saved listing. */
  'oktaMau.listUsersFromScratch': OrgArg | undefined;
}

/** The argument of any runnable command; VS Code's view commands take none. */
export type CommandArg<K extends RunnableCommandId> = (CommandArgs & { [V in (typeof VIEW_COMMAND_IDS)[number]]: undefined })[K];

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MustHold<T extends true> = T;

/** Fails the typecheck unless `CommandArgs` names exactly the commands of `COMMAND_IDS`. */
export type CommandArgsMatchCommandIds = MustHold<Exactly<keyof CommandArgs, CommandId>>;
