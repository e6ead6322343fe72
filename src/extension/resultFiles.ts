/**
 * The file operations behind the result store. Saved counts hold personal data (logins, names, IP
 * addresses), so their folders are 0700 and their files 0600, like the command line's cache. A write
 * is atomic and durable: a temp file, fsync, rename, fsync of the folder; a failed write leaves no
 * temp file behind. Local storage goes through Node; other storage (a web host's virtual file
 * system) through `workspace.fs`, which has neither modes nor fsync.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import * as vscode from 'vscode';

const isLocal = (uri: vscode.Uri) => uri.scheme === 'file';

/** Creates `dir` (and the folders up to `root`) readable by the owner only, and tightens them if an older version made them 0755. */
export async function ensurePrivateDir(root: vscode.Uri, dir: vscode.Uri): Promise<void> {
  if (!isLocal(dir)) {
    await vscode.workspace.fs.createDirectory(dir);
    return;
  }
  await mkdir(dir.fsPath, { recursive: true, mode: 0o700 });
  for (const folder of new Set([root.fsPath, dir.fsPath])) await chmod(folder, 0o700);
}

/** The file's bytes, or undefined when there is no such file. Other failures (a folder in its place, no permission) throw. */
export async function readBytes(uri: vscode.Uri): Promise<Buffer | undefined> {
  try {
    if (isLocal(uri)) return await readFile(uri.fsPath);
    const bytes = await vscode.workspace.fs.readFile(uri);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** Names of the files in `dir`; none when it does not exist. */
export async function listNames(dir: vscode.Uri): Promise<string[]> {
  try {
    // Node's own readdir for local storage: VS Code's file service logs every missing folder,
    // and "not counted yet" is the normal state of a new org.
    if (isLocal(dir)) return await readdir(dir.fsPath);
    return (await vscode.workspace.fs.readDirectory(dir)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
  } catch {
    return [];
  }
}

/**
 * Writes `parts` to the file `name` in `dir` atomically: to a temp file beside it (0600), flushed to disk, then
 * renamed over the file. `beforeRename` runs once the temp file is complete; when it says no, nothing
 * is replaced. Returns whether the file was replaced. The temp file never outlives the call.
 */
export async function writeAtomic(dir: vscode.Uri, name: string, parts: readonly Buffer[], beforeRename: () => Promise<boolean>): Promise<boolean> {
  const target = vscode.Uri.joinPath(dir, name);
  const temp = vscode.Uri.joinPath(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let renamed = false;
  try {
    if (isLocal(temp)) {
      // Node writes the megabytes part by part off the event loop, where workspace.fs would copy them
      // through the host's RPC layer in one go.
      const handle = await open(temp.fsPath, 'wx', 0o600);
      try {
        for (const part of parts) await writeAll(handle, part);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } else {
      await vscode.workspace.fs.writeFile(temp, Buffer.concat(parts));
    }
    if (!(await beforeRename())) return false;
    if (isLocal(temp)) {
      await rename(temp.fsPath, target.fsPath);
      renamed = true;
      await syncFolder(dir.fsPath);
    } else {
      await vscode.workspace.fs.rename(temp, target, { overwrite: true });
      renamed = true;
    }
    return true;
  } finally {
    if (!renamed) await removeQuietly(temp);
  }
}

/** Renames `from` to `to` unless `to` exists; false when either stops it (also when `from` is already gone). */
export async function moveIfFree(from: vscode.Uri, to: vscode.Uri): Promise<boolean> {
  try {
    if (isLocal(from)) {
      if (await exists(to)) return false;
      await rename(from.fsPath, to.fsPath);
    } else {
      await vscode.workspace.fs.rename(from, to, { overwrite: false });
    }
    return true;
  } catch {
    return false;
  }
}

/** Where a damaged file is set aside: `<file>.damaged-<time>`, beside it (never deleted). */
export function damagedName(file: vscode.Uri, now = new Date()): vscode.Uri {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return file.with({ path: `${file.path}.damaged-${stamp}` });
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    if (isLocal(uri)) await stat(uri.fsPath);
    else await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
}

/** Makes the rename itself durable. Not every platform can open a folder for fsync (Windows cannot); the file's own fsync is what matters most. */
async function syncFolder(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

async function removeQuietly(uri: vscode.Uri): Promise<void> {
  try {
    if (isLocal(uri)) await unlink(uri.fsPath);
    else await vscode.workspace.fs.delete(uri, { useTrash: false });
  } catch {
    // Never created, or already gone.
  }
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT' || (err instanceof vscode.FileSystemError && err.code === 'FileNotFound');
}
