// Incremental user listings in the extension, against the fake org over HTTP (the real SDK, its
// request log read back): Okta: List Users hands the saved listing to the core, so a second listing
// asks the Users API only for the users changed since, and the groups still equal the fake org's
// ground truth after users changed; List Users From Scratch, a listing made with another credential,
// another org's file, a damaged file and a file of the first format all list every user, and the good
// listing stays until a new one is complete. The setting oktaMau.licensedStatuses changes who counts
// as licensed (a status not listed yet has the users listed again; a workspace value changes nothing),
// and Export Report… says "so far" for the running month.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BILLABLE_STATUSES } from '../../../src/core/users';
import type { OktaMauApi } from '../../../src/extension/api';
import type { Node } from '../../../src/extension/tree/nodes';
import type { UserListing } from '../../../src/extension/userListStore';
import { dormantUsers, generateMonth, generateUsers, inactiveInMonth as truthInactive, startFakeOrg, type LogEvent, type OktaUser, type UserStatus } from '../../fake-org';
import { applyUserChanges, newUser, type UserChange } from '../../fake-org/users-changes';
import { addOrg, collecting, countMonth, currentMonth, extensionApi, label, logText, monthNode, previousMonth, resetExtension, sleep, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;
type GroupNode = Extract<Node, { kind: 'group' }>;

const BILLABLE = [...BILLABLE_STATUSES] as UserStatus[];
const n = (v: number) => v.toLocaleString('en-US');
const token = () => `00${randomBytes(30).toString('base64url').slice(0, 40)}`;

describe('incremental user listings', function () {
  this.timeout(180_000);
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId = '';
  const past = previousMonth();
  const month = currentMonth();
  const now = Date.now();
  const events: LogEvent[] = [
    ...generateMonth({ month: past, seed: 131, users: 1200, sessions: 4000 }).events.filter((e) => e.published.startsWith(past)),
    ...generateMonth({ month, seed: 132, users: 40, sessions: 160 }).events.filter((e) => e.published.startsWith(month) && Date.parse(e.published) < now - 60_000),
  ];
  /** The org's users as they are now; changed between listings. */
  let users: OktaUser[] = generateUsers(events, { seed: 131, dormant: 1600, asOf: now });
  const tokens = [token(), token()];
  const infos: string[] = [];
  let infoSub: vscode.Disposable | undefined;
  const config = () => vscode.workspace.getConfiguration('oktaMau');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const settingsFile = folder && vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
  let previousSettings: Uint8Array | undefined;
  const tabSize = () => vscode.workspace.getConfiguration('editor').inspect<number>('tabSize')?.workspaceValue;

  const listingFile = () => path.join(api.users.listingsUri.fsPath, `${orgId}.json`);
  const usersRequests = () => org.requests.filter((r) => r.endpoint === 'users').length;
  const listUsers = (arg: Record<string, unknown> = {}) => vscode.commands.executeCommand<UserListing | undefined>('oktaMau.listUsers', { orgId, ...arg });
  /** A listing, and the Users API requests it made. */
  const listed = async (run: () => Thenable<UserListing | undefined>) => {
    const before = usersRequests();
    const messages: string[] = [];
    const sub = api.users.onDidReportProgress((e) => e.phase === 'progress' && messages.push(e.message));
    try {
      const { result, errors } = await collecting(api, run);
      assert.deepEqual(errors, []);
      assert.ok(result, 'the listing failed or was cancelled');
      return { listing: result, requests: usersRequests() - before, messages };
    } finally {
      sub.dispose();
    }
  };
  const ids = (list: readonly { id: string }[]) => list.map((u) => u.id).sort();
  const inStatuses = (statuses: readonly string[]) => ids(users.filter((u) => statuses.includes(u.status)));
  const group = async (m: string, what: 'inactive' | 'dormant'): Promise<GroupNode> => {
    const node = (await api.treeChildren(await monthNode(api, orgId, m))).find((c): c is GroupNode => c.kind === 'group' && c.what === what);
    assert.ok(node, `no ${what} group under ${m}`);
    return node;
  };
  /** The groups of the past month equal the fake org's ground truth for its users as they are now. */
  const assertGroupsTrue = async (statuses: UserStatus[] = BILLABLE) => {
    const listing = (await api.users.listing(orgId))!;
    const inactive = await api.users.inactiveInMonth(past, orgId);
    assert.deepEqual(ids(inactive!.users), truthInactive(users, events, { month: past, statuses }));
    assert.equal(inactive!.licensed, inStatuses(statuses).length);
    const dormant = await api.users.dormant(orgId);
    assert.deepEqual(ids(dormant!.users), dormantUsers(users, { days: 90, at: listing.listedAt, statuses }));
    assert.equal(label(api.treeItem(await group(past, 'inactive'))).endsWith(`(${n(inactive!.users.length)})`), true);
  };
  const monthTitle = (m: string) => new Intl.DateTimeFormat(vscode.env.language || 'en', { month: 'long', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    infoSub = api.onDidShowInfo((m) => infos.push(m));
    org = await startFakeOrg({ events, users, tokens, usersSearchLastLogin: 'supported' });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: tokens[0]! }))!;
    assert.ok(orgId);
    assert.ok(await countMonth(past, orgId));
  });

  after(async () => {
    infoSub?.dispose();
    await config().update('licensedStatuses', undefined, vscode.ConfigurationTarget.Global);
    await restoreWorkspaceSettings();
    await resetExtension(api);
    await org?.close();
  });

  let fullRequests = 0;

  it('lists every user the first time, a page at a time', async () => {
    const { listing, requests, messages } = await listed(() => listUsers());
    fullRequests = requests;
    assert.ok(requests >= 10, `a full listing of ${users.length} users took ${requests} requests`);
    assert.equal(listing.incremental, false);
    assert.deepEqual(ids(listing.users), inStatuses(BILLABLE));
    assert.ok(messages.length > 0 && messages.every((m) => /^page [\d,]+ · [\d,]+ users?$/.test(m)), messages.join('\n'));
    await assertGroupsTrue();
  });

  it('then asks only for the users changed since, in far fewer requests, and still equals the ground truth', async () => {
    const first = (await api.users.listing(orgId))!;
    const of = (s: UserStatus) => users.filter((u) => u.status === s);
    const active = of('ACTIVE');
    const neverSignedIn = active.slice(6).find((u) => u.lastLogin === null)!;
    const changes: UserChange[] = [
      { kind: 'status', id: active[0]!.id, status: 'SUSPENDED' },
      { kind: 'status', id: active[1]!.id, status: 'DEPROVISIONED' },
      { kind: 'status', id: active[2]!.id, status: 'LOCKED_OUT' },
      { kind: 'status', id: of('SUSPENDED')[0]!.id, status: 'ACTIVE' },
      { kind: 'status', id: of('STAGED')[0]!.id, status: 'ACTIVE' },
      { kind: 'profile', id: active[3]!.id, profile: { login: 'renamed.131@example.com', email: 'renamed.131@example.com' } },
      // Sign-ins move lastLogin only (Okta does not say they move lastUpdated): the dormant group needs them.
      { kind: 'signIn', id: neverSignedIn.id },
      { kind: 'create', user: newUser(131, 1, 'ACTIVE') },
      { kind: 'create', user: newUser(131, 2, 'STAGED') },
      { kind: 'delete', id: active[5]!.id },
    ];
    users = applyUserChanges(users, changes, Date.now());
    org.setUsers(users);
    infos.length = 0;

    const { listing, requests, messages } = await listed(() => listUsers());
    assert.equal(listing.incremental, true);
    assert.ok(requests <= 3 && requests * 3 <= fullRequests, `the second listing took ${requests} requests (the first ${fullRequests})`);
    assert.equal(listing.fullListedAt, first.listedAt, 'the listing does not build on the first one');
    assert.ok((listing.changed ?? 0) >= changes.length - 1, `only ${listing.changed} changed users read`);
    assert.deepEqual(ids(listing.users), inStatuses(BILLABLE));
    assert.equal(listing.users.find((u) => u.id === active[3]!.id)?.login, 'renamed.131@example.com');
    assert.ok(listing.users.find((u) => u.id === neverSignedIn.id)?.lastLogin, 'the sign-in is not in the listing');
    // The notification says it is an update, and from when.
    assert.ok(messages.length > 0 && messages.every((m) => /^updating the user list: [\d,]+ changed since .+ \(UTC\)$/.test(m)), messages.join('\n'));
    const host = new URL(org.url).host;
    assert.ok(
      infos.some((m) => new RegExp(`^Okta MAU: updated the users of ${host.replace(/\./g, '\\.')}: ${listing.changed} changed since .+ \\(UTC\\); ${n(listing.users.length)} users listed\\.$`).test(m)),
      infos.join('\n'),
    );
    await assertGroupsTrue();
    // What the file keeps: the core's listing, the org by its id only, never the token.
    const saved = JSON.parse(await readFile(listingFile(), 'utf8'));
    assert.equal(saved.formatVersion, 2);
    assert.equal(saved.listing.orgId, orgId);
    assert.match(saved.listing.credential, /^[0-9a-f]{12}$/);
    assert.equal(saved.listing.fullListedAt, first.listedAt);
    const text = JSON.stringify(saved);
    assert.ok(!text.includes(host) && !text.includes(org.url), 'the listing file names the org');
    assert.ok(!tokens.some((t) => text.includes(t)), 'the token is in the listing file');
  });

  it('lists every user again with Okta: List Users From Scratch', async () => {
    const { listing, requests, messages } = await listed(() => vscode.commands.executeCommand<UserListing | undefined>('oktaMau.listUsersFromScratch', { orgId }));
    assert.equal(listing.incremental, false);
    assert.ok(requests >= fullRequests - 1, `from scratch took ${requests} requests, the first full listing ${fullRequests}`);
    assert.ok(messages.every((m) => m.startsWith('page ')), messages.join('\n'));
    assert.deepEqual(ids(listing.users), inStatuses(BILLABLE));
    await assertGroupsTrue();
  });

  it('shows a listing made with another credential until a full listing by the new one replaces it', async () => {
    const before = (await api.users.listing(orgId))!;
    const shown = label(api.treeItem(await group(past, 'inactive')));
    assert.equal(await vscode.commands.executeCommand('oktaMau.updateCredential', { orgId, auth: { mode: 'SSWS', token: tokens[1] } }), orgId);
    assert.equal(label(api.treeItem(await group(past, 'inactive'))), shown, 'the saved listing is no longer shown');
    const { listing, requests } = await listed(() => listUsers());
    assert.equal(listing.incremental, false);
    assert.ok(requests >= fullRequests - 1, `${requests} requests: the listing built on another credential's`);
    assert.notEqual(listing.credential, before.credential);
    await assertGroupsTrue();
    // The next one builds on it again.
    assert.equal((await listed(() => listUsers())).listing.incremental, true);
  });

  it("sets another org's listing file aside and lists every user", async () => {
    const doc = JSON.parse(await readFile(listingFile(), 'utf8'));
    doc.listing.orgId = 'f'.repeat(16);
    await writeFile(listingFile(), JSON.stringify(doc));
    api.reloadResults();
    const [first] = await api.treeChildren(await monthNode(api, orgId, past));
    assert.equal(first?.kind, 'listUsers', "another org's users are shown");
    assert.equal((await readdir(api.users.listingsUri.fsPath)).filter((f) => f.startsWith(`${orgId}.json.damaged-`)).length, 1);
    await waitFor('the warning in the log', async () => (await logText(api)).includes("it holds another org's listing") || undefined);
    const { listing, requests } = await listed(() => listUsers());
    assert.equal(listing.incremental, false);
    assert.ok(requests >= fullRequests - 1);
    await assertGroupsTrue();
  });

  it('lists every user after a damaged file, which is set aside', async () => {
    const whole = await readFile(listingFile());
    await writeFile(listingFile(), whole.subarray(0, whole.length - 100));
    api.reloadResults();
    const { listing, requests } = await listed(() => listUsers());
    assert.equal(listing.incremental, false);
    assert.ok(requests >= fullRequests - 1);
    await assertGroupsTrue();
  });

  it('shows a listing of the first format without a word, and lists every user the next time', async () => {
    const current = (await api.users.listing(orgId))!;
    const shown = label(api.treeItem(await group(past, 'inactive')));
    const v1 = { formatVersion: 1, listing: { listedAt: current.listedAt, statuses: BILLABLE, users: current.users.map(({ lastUpdated: _u, statusChanged: _s, ...u }) => u) } };
    await writeFile(listingFile(), JSON.stringify(v1));
    const logBefore = await logText(api);
    const { errors } = await collecting(api, async () => {
      api.reloadResults();
      assert.equal(label(api.treeItem(await group(past, 'inactive'))), shown);
      return undefined;
    });
    assert.deepEqual(errors, []);
    await sleep(300);
    assert.ok(!(await logText(api)).slice(logBefore.length).includes('set aside'), 'the first format was set aside');
    assert.equal((await readdir(api.users.listingsUri.fsPath)).filter((f) => f.startsWith(`${orgId}.json.damaged-`)).length, 2, 'a file was set aside');
    const { listing, requests } = await listed(() => listUsers());
    assert.equal(listing.incremental, false);
    assert.ok(requests >= fullRequests - 1);
    assert.equal(JSON.parse(await readFile(listingFile(), 'utf8')).formatVersion, 2);
  });

  it('counts the statuses of oktaMau.licensedStatuses as licensed, listing again for a status not listed yet', async () => {
    const withSuspended: UserStatus[] = [...BILLABLE, 'SUSPENDED'];
    assert.ok(inStatuses(['SUSPENDED']).length > 0, 'the fake org has no suspended users');
    if (!(await api.users.listing(orgId))) await listUsers();
    infos.length = 0;
    await config().update('licensedStatuses', withSuspended, vscode.ConfigurationTarget.Global);
    // The saved listing has no suspended users: the groups offer to list them, and a listing starts.
    const listing = await waitFor('a listing with the suspended users', async () => {
      const l = await api.users.listing(orgId);
      return l?.statuses.includes('SUSPENDED') ? l : undefined;
    }, 60_000);
    assert.deepEqual(ids(listing.users), inStatuses(withSuspended));
    await waitFor('the groups', async () => ((await api.users.inactiveInMonth(past, orgId))?.licensed === inStatuses(withSuspended).length) || undefined);
    await assertGroupsTrue(withSuspended);
    assert.match(String((api.treeItem(await group(past, 'inactive')).tooltip as vscode.MarkdownString).value), /Suspended/);

    // Fewer statuses: the saved listing holds them all, so nothing is asked of Okta.
    const requests = usersRequests();
    await config().update('licensedStatuses', ['ACTIVE'], vscode.ConfigurationTarget.Global);
    await waitFor('the groups for ACTIVE alone', async () => ((await api.users.inactiveInMonth(past, orgId))?.licensed === inStatuses(['ACTIVE']).length) || undefined);
    await assertGroupsTrue(['ACTIVE']);
    await sleep(500);
    assert.equal(usersRequests(), requests, 'narrowing the statuses listed the users again');
    // The next listing keeps asking for the statuses it has, so it stays incremental.
    const next = await listed(() => listUsers());
    assert.equal(next.listing.incremental, true);
    assert.deepEqual(next.listing.statuses, [...withSuspended].sort());
  });

  it('ignores a workspace value of oktaMau.licensedStatuses', async () => {
    assert.ok(settingsFile, 'the test window has no workspace folder');
    await assert.rejects(Promise.resolve(config().update('licensedStatuses', ['SUSPENDED'], vscode.ConfigurationTarget.Workspace)));
    if (!(await api.users.listing(orgId))) await listUsers();
    const licensed = (await api.users.inactiveInMonth(past, orgId))!.licensed;
    const requests = usersRequests();
    previousSettings = await vscode.workspace.fs.readFile(settingsFile).then(
      (b) => b,
      () => undefined,
    );
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify({ 'oktaMau.licensedStatuses': ['DEPROVISIONED'], 'editor.tabSize': 7 }, null, 2)));
    await waitFor('VS Code to read the workspace settings', () => tabSize() === 7 || undefined);
    await sleep(500);
    assert.equal((await api.users.inactiveInMonth(past, orgId))!.licensed, licensed);
    assert.equal(usersRequests(), requests, 'a workspace value listed the users');
    await restoreWorkspaceSettings();
  });

  it('says "so far" in Export Report\'s choice of the running month\'s inactive users, as the tree does', async () => {
    await config().update('licensedStatuses', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the default statuses', async () => ((await api.users.inactiveInMonth(past, orgId))?.licensed === inStatuses(BILLABLE).length) || undefined);
    assert.ok(await countMonth(month, orgId));
    const running = await api.users.exportChoices(month, orgId);
    const inactive = running?.find((c) => c.what === 'inactive');
    const count = (await api.users.inactiveInMonth(month, orgId))!.users.length;
    assert.equal(inactive?.label, `Not active in ${monthTitle(month)} so far (${n(count)})`);
    assert.equal(inactive?.label, label(api.treeItem(await group(month, 'inactive'))));
    const ended = (await api.users.exportChoices(past, orgId))?.find((c) => c.what === 'inactive');
    assert.equal(ended?.label, `Not active in ${monthTitle(past)} (${n((await api.users.inactiveInMonth(past, orgId))!.users.length)})`);
    assert.deepEqual(running?.map((c) => c.what), ['active', 'inactive', 'dormant']);
  });

  async function restoreWorkspaceSettings(): Promise<void> {
    if (!settingsFile || tabSize() !== 7) return;
    if (previousSettings) await vscode.workspace.fs.writeFile(settingsFile, previousSettings);
    else await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await waitFor('VS Code to drop the test workspace settings', () => tabSize() !== 7 || undefined);
  }
});
