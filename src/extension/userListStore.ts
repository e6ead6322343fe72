/**
 * The last good listing of each org's users: `globalStorageUri/users/<orgId>.json`, kept as saved
 * counts are (`resultFiles.ts`): 0600 files in 0700 folders, atomic and durable writes, and a
 * listing is saved only once it is complete, so a cancelled or failed listing never replaces the
 * good one. A damaged file is renamed aside (`<file>.damaged-<time>`, never deleted) with one
 * warning. Several windows share the folder: a save re-reads the file just before replacing it and
 * keeps whichever listing is newer. The org URL is left out (it is kept in SecretStorage); the file
 * names the org by its id, and a file holding another org's listing is set aside as damaged. A file
 * of the first format (before listings were incremental) loads without a word (`storedUsers.ts`).
 */
import * as vscode from 'vscode';
import { deleteQuietly, describeFile as describe, PrivateStore } from './privateFiles';
import { ensurePrivateDir, readBytes, writeAtomic } from './resultFiles';
import { readListing, reasonToKeepListing, serialiseListing, type UserListing } from './storedUsers';

export type { UserListing } from './storedUsers';

export type ListingSaveOutcome = { saved: true } | { saved: false; kept: UserListing; reason: string };

export class UserListStore extends PrivateStore<UserListing> {
  fileFor(orgId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, `${orgId}.json`);
  }

  /** The org's saved listing, or undefined when its users were never listed (or the file was set aside). */
  load(orgId: string): Promise<UserListing | undefined> {
    let pending = this.cache.get(orgId);
    if (!pending) {
      const reading = this.read(orgId);
      pending = reading;
      this.cache.set(orgId, reading);
      // "Not listed yet" (or unreadable) is not remembered: another window may list them.
      const drop = () => this.cache.get(orgId) === reading && this.cache.delete(orgId);
      reading.then((l) => l === undefined && drop(), drop);
    }
    return pending;
  }

  /** Saves a complete listing, unless the file on disk holds a newer one (another window's). */
  async save(orgId: string, listing: UserListing): Promise<ListingSaveOutcome> {
    const parts = await serialiseListing(listing);
    await ensurePrivateDir(this.root, this.root);
    let outcome = { saved: true } as ListingSaveOutcome;
    await writeAtomic(this.root, `${orgId}.json`, parts, async () => {
      const onDisk = await this.read(orgId);
      const reason = onDisk && reasonToKeepListing(onDisk, listing);
      if (onDisk && reason) outcome = { saved: false, kept: onDisk, reason };
      return outcome.saved;
    });
    if (!outcome.saved) this.log?.info(`kept the saved user listing (${orgId}.json): ${outcome.reason}`);
    this.cache.set(orgId, Promise.resolve(outcome.saved ? listing : outcome.kept));
    this.changed.fire({ orgId });
    return outcome;
  }

  async removeOrg(orgId: string): Promise<void> {
    await deleteQuietly(this.fileFor(orgId));
    this.cache.delete(orgId);
    this.changed.fire({ orgId });
  }

  /** Tells the views that what every listing means changed (the licensed statuses), keeping what was read. */
  announceChange(): void {
    this.changed.fire({});
  }

  private async read(orgId: string): Promise<UserListing | undefined> {
    const file = this.fileFor(orgId);
    let bytes: Buffer | undefined;
    try {
      bytes = await readBytes(file);
    } catch (err) {
      this.quarantine.warnOnce(file, `cannot read the saved user listing ${describe(file)}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    if (!bytes) return undefined;
    const read = await readListing(bytes, orgId);
    switch (read.kind) {
      case 'ok':
        return read.listing;
      case 'newer':
        this.quarantine.warnOnce(file, `left ${describe(file)} alone: a newer version of the extension wrote it (format ${read.formatVersion})`);
        return undefined;
      case 'damaged':
        await this.setAside(orgId, file, read.reason);
        return undefined;
    }
  }

  /** Renames a damaged file aside, never deletes it, and says so once. */
  private async setAside(orgId: string, file: vscode.Uri, reason: string): Promise<void> {
    const moved = await this.quarantine.setAside(file, reason, {
      noun: 'user listing',
      warning: (aside) => vscode.l10n.t('The saved list of users was damaged ({0}). It was renamed to {1}; list the users again to replace it.', reason, aside),
    });
    if (moved) this.changed.fire({ orgId });
  }
}
