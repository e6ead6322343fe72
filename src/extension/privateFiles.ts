/**
 * What the saved counts (`resultStore.ts`) and the saved user listings (`userListStore.ts`) do with a
 * file they cannot use: set a damaged one aside (renamed `<file>.damaged-<time>`, never deleted) and
 * say so once, warn once per file about one that cannot be read or moved, and name files in messages
 * by their last two path segments, which find them under the extension's storage without naming the
 * org. Also the quiet delete both use when an org is removed or the cache cleared, and `PrivateStore`,
 * the parsed-file cache and change event both stores are built on.
 */
import * as vscode from 'vscode';
import type { Logger } from './log';
import { damagedName, exists, moveIfFree } from './resultFiles';

/** `<orgId>/<file>` or `users/<orgId>.json`: enough to find it under the extension's storage, nothing that names the org. */
export function describeFile(file: vscode.Uri): string {
  return file.path.split('/').slice(-2).join('/');
}

/** Deletes a file or folder (recursively); one already gone is not an error. */
export async function deleteQuietly(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
  } catch {
    // Already gone.
  }
}

export interface SetAsideWords {
  /** What the file holds, for the log: `saved count`, `user listing`. */
  noun: string;
  /** The one warning a person sees, given the set-aside file's name (`describeFile`). */
  warning: (aside: string) => string;
}

/** Damaged and unreadable files of one store: each reported once, in the log and, when set aside, in one warning. */
export class FileQuarantine {
  /** Files already warned about, so a file that cannot be read or renamed is not reported on every read. */
  private readonly warned = new Set<string>();

  constructor(private readonly log?: Pick<Logger, 'info' | 'warn' | 'show'>) {}

  /** Logs `message` the first time it is about `file`. */
  warnOnce(file: vscode.Uri, message: string): void {
    if (this.warned.has(file.toString())) return;
    this.warned.add(file.toString());
    this.log?.warn(message);
  }

  /**
   * Renames a damaged file aside, never deletes it, and says so once (the log, and one warning with
   * **Show Log**). False when it was not moved: gone (another read or window set it aside first), or
   * still there because the folder refuses, which is said once.
   */
  async setAside(file: vscode.Uri, reason: string, words: SetAsideWords): Promise<boolean> {
    const aside = damagedName(file);
    if (!(await moveIfFree(file, aside))) {
      if (await exists(file)) this.warnOnce(file, `could not set aside the damaged ${words.noun} ${describeFile(file)} (${reason})`);
      return false;
    }
    this.log?.warn(`set aside the damaged ${words.noun} ${describeFile(file)} as ${describeFile(aside)}: ${reason}`);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(words.warning(describeFile(aside)), showLog).then((choice) => choice === showLog && this.log?.show());
    return true;
  }
}

/**
 * What a store of private files keeps beside its files: what was parsed (a file of 100,000 users is
 * worth not re-reading on every tree expand), the change event the views follow, and its quarantine.
 */
export abstract class PrivateStore<V> implements vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<{ orgId?: string }>();
  /** Something was saved, set aside or removed, or what the files mean changed (`orgId` absent: every org's). */
  readonly onDidChange = this.changed.event;
  /** Parsed files by key. */
  protected readonly cache = new Map<string, Promise<V | undefined>>();
  /** Damaged and unreadable files, each reported once. */
  protected readonly quarantine: FileQuarantine;

  constructor(
    readonly root: vscode.Uri,
    protected readonly log?: Pick<Logger, 'info' | 'warn' | 'show'>,
  ) {
    this.quarantine = new FileQuarantine(log);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Deletes every file of the store. */
  async clear(): Promise<void> {
    await deleteQuietly(this.root);
    this.cache.clear();
    this.changed.fire({});
  }

  /** Forgets what was read, so the next load comes from disk (another window may have written, or what the files mean changed). */
  forget(): void {
    this.cache.clear();
    this.changed.fire({});
  }
}
