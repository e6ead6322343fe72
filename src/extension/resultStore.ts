/**
 * Finished counts, one JSON file per org, month and definition of "active":
 * `globalStorageUri/results/<orgId>/<YYYY-MM><suffix>.json`, the suffix from the core's
 * `definitionSuffix` ('' for the default definition, so results saved before definitions were kept
 * apart still load). The tree, the status bar and the dashboard read the current definition's files;
 * a count is saved under the definition it was counted with, so one definition never overwrites
 * another. The org URL is left out of the files (it is kept in SecretStorage with the credential);
 * hosts put it back from the org store when they need it.
 *
 * Files are checked when read: a damaged one is renamed aside (`<file>.damaged-<time>`, never
 * deleted) with one warning, and the other months keep showing. Several windows share the folder
 * and each runs its own counts, so a save re-reads the file on disk just before replacing it and
 * keeps whichever count is newer (and a complete one over a partial one).
 */
import * as vscode from 'vscode';
import { definitionSuffix, type Definition } from '../core/definition';
import type { MauReport } from '../core/types';
import type { Logger } from './log';
import { deleteQuietly, describeFile as describe, PrivateStore } from './privateFiles';
import { ensurePrivateDir, listNames, moveIfFree, readBytes, writeAtomic } from './resultFiles';
import { reasonToKeep, readStored, serialise, suffixOf, type StoredReport } from './storedReport';

export type { StoredReport } from './storedReport';

const MONTH_FILE = /^(\d{4}-\d{2})(.*)\.json$/;

export interface SaveOptions {
  /** The person confirmed replacing a complete count with a partial one (a month now beyond the retention). */
  replaceComplete?: boolean;
}

export type SaveOutcome = { saved: true } | { saved: false; kept: StoredReport; reason: string };

export interface ResultStoreOptions {
  /** The definition whose results the views show; the default definition when absent. */
  definition?: () => Definition;
  /** Where set-aside files and kept counts are reported; silent when absent. */
  log?: Pick<Logger, 'info' | 'warn' | 'show'>;
}

export class ResultStore extends PrivateStore<StoredReport> {
  private readonly definition: () => Definition;

  constructor(root: vscode.Uri, options: ResultStoreOptions = {}) {
    super(root, options.log);
    this.definition = options.definition ?? (() => ({ source: 'logs' }));
  }

  /** The file-name suffix of the definition the views show. */
  currentSuffix(): string {
    return definitionSuffix(this.definition());
  }

  orgDir(orgId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, orgId);
  }

  fileFor(orgId: string, month: string, suffix = this.currentSuffix()): vscode.Uri {
    return vscode.Uri.joinPath(this.orgDir(orgId), `${month}${suffix}.json`);
  }

  /** Saves a finished count under its own definition, unless the file on disk holds a count worth more (see `reasonToKeep`). */
  async save(orgId: string, report: MauReport, options: SaveOptions = {}): Promise<SaveOutcome> {
    const { orgUrl: _omitted, ...stored } = report;
    const suffix = suffixOf(stored);
    const name = `${report.month}${suffix}.json`;
    const parts = await serialise(stored);
    await ensurePrivateDir(this.root, this.orgDir(orgId));
    let outcome = { saved: true } as SaveOutcome;
    // Checked once the new file is written and flushed, right before the rename: another window's save
    // can only slip in during the rename itself.
    await writeAtomic(this.orgDir(orgId), name, parts, async () => {
      const onDisk = await this.read(orgId, report.month, suffix);
      const reason = onDisk && reasonToKeep(onDisk, stored, options.replaceComplete);
      if (onDisk && reason) outcome = { saved: false, kept: onDisk, reason };
      return outcome.saved;
    });
    const current = outcome.saved ? stored : outcome.kept;
    if (!outcome.saved) this.log?.info(`kept the saved count of ${report.month} (${name}): ${outcome.reason}`);
    this.cache.set(this.key(orgId, report.month, suffix), Promise.resolve(current));
    this.changed.fire({ orgId });
    return outcome;
  }

  /** The saved count of a month under a definition (the current one by default), or undefined. */
  load(orgId: string, month: string, suffix = this.currentSuffix()): Promise<StoredReport | undefined> {
    const key = this.key(orgId, month, suffix);
    let pending = this.cache.get(key);
    if (!pending) {
      const reading = this.read(orgId, month, suffix);
      pending = reading;
      this.cache.set(key, reading);
      // "Not counted yet" (or unreadable) is not remembered: another window may count it.
      const drop = () => this.cache.get(key) === reading && this.cache.delete(key);
      reading.then((r) => r === undefined && drop(), drop);
    }
    return pending;
  }

  /** Months with a saved result under a definition (the current one by default), newest first. */
  async months(orgId: string, suffix = this.currentSuffix()): Promise<string[]> {
    return (await listNames(this.orgDir(orgId)))
      .map((name) => MONTH_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null && m[2] === suffix)
      .map((m) => m[1]!)
      .sort()
      .reverse();
  }

  async removeOrg(orgId: string): Promise<void> {
    await deleteQuietly(this.orgDir(orgId));
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${orgId}/`)) this.cache.delete(key);
    this.changed.fire({ orgId });
  }

  private key(orgId: string, month: string, suffix: string): string {
    return `${orgId}/${month}${suffix}`;
  }

  private async read(orgId: string, month: string, suffix: string): Promise<StoredReport | undefined> {
    const file = this.fileFor(orgId, month, suffix);
    let bytes: Buffer | undefined;
    try {
      bytes = await readBytes(file);
    } catch (err) {
      // Locked, a folder in its place, no permission: not something to rename aside.
      this.quarantine.warnOnce(file, `cannot read the saved count ${describe(file)}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    if (!bytes) return undefined;
    const read = await readStored(bytes, month, suffix);
    switch (read.kind) {
      case 'ok':
        return read.report;
      case 'newer':
        this.quarantine.warnOnce(file, `left ${describe(file)} alone: a newer version of the extension wrote it (format ${read.formatVersion})`);
        return undefined;
      case 'misfiled': {
        // Saved before definitions were kept apart: move it to its own definition's name.
        const own = this.fileFor(orgId, month, read.suffix);
        if (await moveIfFree(file, own)) {
          this.log?.info(`moved ${describe(file)} to ${describe(own)}: it holds a count of another definition of "active"`);
          this.changed.fire({ orgId });
        } else {
          await this.setAside(orgId, month, file, 'it holds a count of another definition of "active", which has a newer count of its own');
        }
        return undefined;
      }
      case 'damaged':
        await this.setAside(orgId, month, file, read.reason);
        return undefined;
    }
  }

  /** Renames a damaged file aside, never deletes it, and says so once. */
  private async setAside(orgId: string, month: string, file: vscode.Uri, reason: string): Promise<void> {
    const moved = await this.quarantine.setAside(file, reason, {
      noun: 'saved count',
      warning: (aside) => vscode.l10n.t('The saved count of {0} was damaged ({1}). It was renamed to {2} and is no longer shown; count the month again to replace it.', month, reason, aside),
    });
    if (moved) this.changed.fire({ orgId });
  }
}
