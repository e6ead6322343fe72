/**
 * Finished counts, one JSON file per org and month under `globalStorageUri/results/<orgId>/<YYYY-MM>.json`,
 * so the tree and the status bar survive restarts. The org URL is left out of the files (it is kept
 * in SecretStorage with the credential); hosts put it back from the org store when they need it.
 */
import { readdir, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { JsonArrayReader } from '../core/jsonArray';
import { nextTurn } from '../core/sleep';
import type { MauReport, UserActivity } from '../core/types';

export type StoredReport = Omit<MauReport, 'orgUrl'>;

interface StoredFile {
  formatVersion: 1;
  report: StoredReport;
}

const MONTH_FILE = /^(\d{4}-\d{2})\.json$/;

export class ResultStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<{ orgId?: string }>();
  readonly onDidChange = this.changed.event;
  /** Parsed reports; a report with 100,000 users is worth not re-reading on every tree expand. */
  private readonly cache = new Map<string, Promise<StoredReport | undefined>>();

  constructor(readonly root: vscode.Uri) {}

  dispose(): void {
    this.changed.dispose();
  }

  orgDir(orgId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, orgId);
  }

  fileFor(orgId: string, month: string): vscode.Uri {
    return vscode.Uri.joinPath(this.orgDir(orgId), `${month}.json`);
  }

  async save(orgId: string, report: MauReport): Promise<void> {
    const { orgUrl: _omitted, ...stored } = report;
    const target = this.fileFor(orgId, report.month);
    const temp = vscode.Uri.joinPath(this.orgDir(orgId), `.${report.month}.${process.pid}.tmp`);
    await vscode.workspace.fs.createDirectory(this.orgDir(orgId));
    // Write then rename, so a crash mid-write never replaces the last good result with half a file.
    const parts = await serialise(stored);
    if (temp.scheme === 'file') {
      // Global storage sits beside the extension host: Node writes the megabytes part by part off the
      // event loop, where workspace.fs would copy them through the host's RPC layer in one go.
      await writeFile(temp.fsPath, parts);
    } else {
      await vscode.workspace.fs.writeFile(temp, Buffer.concat(parts));
    }
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
    this.cache.set(`${orgId}/${report.month}`, Promise.resolve(stored));
    this.changed.fire({ orgId });
  }

  load(orgId: string, month: string): Promise<StoredReport | undefined> {
    const key = `${orgId}/${month}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.read(orgId, month);
      this.cache.set(key, pending);
    }
    return pending;
  }

  /** Months with a saved result, newest first. */
  async months(orgId: string): Promise<string[]> {
    let names: string[];
    try {
      const dir = this.orgDir(orgId);
      // Node's own readdir for local storage: VS Code's file service logs every missing folder,
      // and "not counted yet" is the normal state of a new org.
      names =
        dir.scheme === 'file'
          ? await readdir(dir.fsPath)
          : (await vscode.workspace.fs.readDirectory(dir)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
    } catch {
      return [];
    }
    return names
      .map((name) => MONTH_FILE.exec(name)?.[1])
      .filter((m): m is string => m !== undefined)
      .sort()
      .reverse();
  }

  async removeOrg(orgId: string): Promise<void> {
    await this.deleteQuietly(this.orgDir(orgId));
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${orgId}/`)) this.cache.delete(key);
    this.changed.fire({ orgId });
  }

  async clear(): Promise<void> {
    await this.deleteQuietly(this.root);
    this.cache.clear();
    this.changed.fire({});
  }

  /** Forgets what was read, so the next load comes from disk (another window may have counted). */
  forget(): void {
    this.cache.clear();
    this.changed.fire({});
  }

  private async read(orgId: string, month: string): Promise<StoredReport | undefined> {
    try {
      const bytes = await vscode.workspace.fs.readFile(this.fileFor(orgId, month));
      const file = await parseStored(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return file.formatVersion === 1 && file.report?.month === month ? file.report : undefined;
    } catch {
      // A missing or unreadable file is "not counted yet", not an error worth a toast.
      this.cache.delete(`${orgId}/${month}`);
      return undefined;
    }
  }

  private async deleteQuietly(uri: vscode.Uri): Promise<void> {
    try {
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
    } catch {
      // Already gone.
    }
  }
}

/** Users serialised or parsed per turn of the event loop: a report of 40,000 users is megabytes of JSON. */
const USERS_PER_TURN = 2000;

/** How `serialise` writes the users array: the report's last key. */
const USERS_KEY = Buffer.from('"users":[');

/**
 * A stored file, its users parsed a chunk per turn of the event loop: one `JSON.parse` of a
 * 100,000-user report (about 25 MB) would hold the extension host for a few hundred milliseconds,
 * at startup when the status bar reads this month's count. A file not shaped as `serialise` writes
 * it (users not last) is parsed whole.
 */
async function parseStored(bytes: Buffer): Promise<StoredFile> {
  const at = bytes.indexOf(USERS_KEY);
  const close = bytes.lastIndexOf(0x5d);
  if (at < 0 || close < at || bytes.toString('utf8', close + 1).trim() !== '}}') return JSON.parse(bytes.toString('utf8')) as StoredFile;
  // Inside JSON strings quotes are escaped, so the first `"users":[` is the key itself.
  const file = JSON.parse(`${bytes.toString('utf8', 0, at)}"users":[]}}`) as StoredFile;
  const reader = new JsonArrayReader(bytes.subarray(at + USERS_KEY.length - 1, close + 1));
  const users: UserActivity[] = [];
  while (!reader.read(USERS_PER_TURN, (u) => u as UserActivity, users)) await nextTurn();
  file.report.users = users;
  return file;
}

/**
 * The stored file's JSON as UTF-8 parts, a chunk of users stringified and encoded per turn of the event
 * loop: one `JSON.stringify` of the report, or one encoding of its text (~10 MB for 40,000 users), held
 * the extension host for 40–110 ms.
 */
async function serialise(report: StoredReport): Promise<Buffer[]> {
  const { users, ...rest } = report;
  const file: StoredFile = { formatVersion: 1, report: { ...rest, users: [] } };
  // `users` is the report's last key, so its empty array is the text's last "[]" before the closing braces.
  const text = JSON.stringify(file);
  const at = text.lastIndexOf('[]}}');
  const parts = [Buffer.from(`${text.slice(0, at)}[`)];
  for (let i = 0; i < users.length; i += USERS_PER_TURN) {
    const chunk = users.slice(i, i + USERS_PER_TURN).map((u) => JSON.stringify(u)).join(',');
    parts.push(Buffer.from(i === 0 ? chunk : `,${chunk}`));
    await nextTurn();
  }
  parts.push(Buffer.from(']}}'));
  return parts;
}
