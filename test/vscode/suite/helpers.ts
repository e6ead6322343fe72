/**
 * Shared by the extension-host suites: the extension's API, a clean slate between suites, and
 * waiting for something the extension does asynchronously. Nothing here replaces the extension's
 * behaviour; inputs go through its commands, observations through the API it returns.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OktaMauApi, ProgressEvent } from '../../../src/extension/api';
import type { Node } from '../../../src/extension/tree/nodes';
import type { AuthConfig, MauReport } from '../../../src/core/types';
import { startFakeOrg, type FakeOrg, type LogEvent } from '../../fake-org';

export const EXTENSION_ID = 'okta-mau.okta-mau';

export async function extensionApi(): Promise<OktaMauApi> {
  const extension = vscode.extensions.getExtension<OktaMauApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Removes every org (and so its secrets and cached results) and all cached results. */
export async function resetExtension(api: OktaMauApi): Promise<void> {
  for (const org of await api.orgs()) await vscode.commands.executeCommand('oktaMau.removeOrg', { orgId: org.id, confirm: false });
  await vscode.commands.executeCommand('oktaMau.clearCache');
  await vscode.commands.executeCommand('oktaMau.clearFilter');
  await vscode.commands.executeCommand('oktaMau.sortUsers', 'sessions');
  await vscode.workspace.getConfiguration('oktaMau').update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
}

export async function addOrg(orgUrl: string, auth: AuthConfig): Promise<string | undefined> {
  return vscode.commands.executeCommand<string | undefined>('oktaMau.addOrg', { orgUrl, auth });
}

export async function countMonth(month: string, orgId?: string): Promise<MauReport | undefined> {
  return vscode.commands.executeCommand<MauReport | undefined>('oktaMau.countMausForMonth', { month, orgId });
}

/** Collects what the extension reports while `work` runs. */
export async function collecting<T>(api: OktaMauApi, work: () => Thenable<T>): Promise<{ result: T; progress: ProgressEvent[]; errors: string[] }> {
  const progress: ProgressEvent[] = [];
  const errors: string[] = [];
  const subs = [api.onDidReportProgress((e) => progress.push(e)), api.onDidShowError((m) => errors.push(m))];
  try {
    return { result: await work(), progress, errors };
  } finally {
    for (const s of subs) s.dispose();
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The month before the current one (UTC): always complete and inside the 90-day retention. */
export function previousMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export async function children(api: OktaMauApi, node?: Node): Promise<Node[]> {
  return api.treeChildren(node);
}

/** Walks org → month in the Users tree. */
export async function monthNode(api: OktaMauApi, orgId: string, month: string): Promise<Node> {
  const org = (await api.treeChildren()).find((n) => n.orgId === orgId);
  assert.ok(org, `org ${orgId} is not in the tree`);
  const node = (await api.treeChildren(org)).find((n) => n.kind === 'month' && n.month === month);
  assert.ok(node, `month ${month} is not under the org`);
  return node;
}

export function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The "Okta MAU" log as written so far ('' before the first line). */
export async function logText(api: OktaMauApi): Promise<string> {
  return readText(vscode.Uri.joinPath(api.logUri, 'Okta MAU.log')).catch(() => '');
}

/** A suite's org: filled in by the hooks `withCountedOrg` registers, read inside the suite's tests. */
export interface CountedOrg {
  api: OktaMauApi;
  org: FakeOrg;
  orgId: string;
  /** The first count of the month, as the command returned it. */
  counted: MauReport;
}

/**
 * Registers the calling suite's hooks: before its tests, a clean extension with one fake org serving
 * `events`, added with an API token and with `month` counted once (the tree lists an org once it has
 * a saved count); after them, the extension cleaned again and the org closed.
 */
export function withCountedOrg(month: string, events: LogEvent[]): CountedOrg {
  const fixture = {} as CountedOrg;
  before(async () => {
    fixture.api = await extensionApi();
    await resetExtension(fixture.api);
    fixture.org = await startFakeOrg({ events });
    fixture.orgId = (await addOrg(fixture.org.url, { mode: 'SSWS', token: fixture.org.token }))!;
    const counted = await countMonth(month, fixture.orgId);
    assert.ok(counted, 'the first count did not finish');
    fixture.counted = counted;
  });
  after(async () => {
    if (fixture.api) await resetExtension(fixture.api);
    await fixture.org?.close();
  });
  return fixture;
}
