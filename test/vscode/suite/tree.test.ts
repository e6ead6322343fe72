// The Users tree as VS Code receives it: org → month → users → details, with sorting, filtering
// and paging, on an org with more users than one page.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, startFakeOrg } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import type { Node } from '../../../src/extension/tree/nodes';
import { addOrg, countMonth, extensionApi, label, monthNode, previousMonth, resetExtension } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;
type UserNode = Extract<Node, { kind: 'user' }>;

describe('the Users tree', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 21, users: 450, sessions: 2000 });
  const truthUsers = Object.entries(generated.truth.users).map(([id, u]) => ({ id, ...u }));

  const users = async (): Promise<UserNode[]> => (await api.treeChildren(await monthNode(api, orgId, month))).filter((n): n is UserNode => n.kind === 'user');

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events: generated.events });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it('is empty before the first count, so the "Count MAUs" welcome shows', async () => {
    assert.deepEqual(await api.treeChildren(), []);
  });

  it('shows the org, then the month with its MAU, completeness and when it was counted', async () => {
    assert.ok(await countMonth(month));
    const [orgNode, ...rest] = await api.treeChildren();
    assert.equal(rest.length, 0);
    const orgItem = api.treeItem(orgNode!);
    assert.equal(label(orgItem), new URL(org.url).host);
    assert.equal(orgItem.id, `org/${orgId}`);
    assert.equal(orgItem.contextValue, 'org.active');
    const node = await monthNode(api, orgId, month);
    const item = api.treeItem(node);
    assert.equal(item.id, `org/${orgId}/${month}`);
    assert.equal(item.contextValue, 'month');
    assert.equal(item.description, `${generated.truth.mau} MAU · complete · counted just now`);
  });

  it('pages users 200 at a time with a "Show 200 more…" item', async () => {
    const monthChildren = await api.treeChildren(await monthNode(api, orgId, month));
    assert.equal(monthChildren.filter((n) => n.kind === 'user').length, 200);
    const more = monthChildren.at(-1)!;
    assert.equal(more.kind, 'more');
    const moreItem = api.treeItem(more);
    assert.equal(label(moreItem), 'Show 200 more…');
    assert.equal(moreItem.description, `200 of ${generated.truth.mau} shown`);
    await vscode.commands.executeCommand(moreItem.command!.command, ...(moreItem.command!.arguments ?? []));
    assert.equal((await users()).length, 400);
    const last = (await api.treeChildren(await monthNode(api, orgId, month))).at(-1)!;
    assert.equal(label(api.treeItem(last)), `Show ${generated.truth.mau - 400} more…`);
  });

  it('sorts by most sessions by default, then least active, alphabetical and most recent', async () => {
    const expectOrder = (nodes: UserNode[], key: (u: (typeof truthUsers)[number]) => string | number, desc: boolean) => {
      const values = nodes.map((n) => key(truthUsers.find((t) => t.id === n.user.id)!));
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0) * (desc ? -1 : 1));
      assert.deepEqual(values, sorted);
    };
    expectOrder(await users(), (u) => u.sessions, true);
    await vscode.commands.executeCommand('oktaMau.sortUsers', 'leastActive');
    expectOrder(await users(), (u) => u.activeDays, false);
    await vscode.commands.executeCommand('oktaMau.sortUsers', 'alphabetical');
    const names = (await users()).map((n) => n.user.displayName);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    await vscode.commands.executeCommand('oktaMau.sortUsers', 'recent');
    expectOrder(await users(), (u) => u.lastSeen, true);
    await vscode.commands.executeCommand('oktaMau.sortUsers', 'sessions');
  });

  it('filters by login or name, case-insensitively, and clears the filter', async () => {
    const sample = truthUsers[0]!;
    const needle = sample.login.split('@')[0]!.toUpperCase();
    await vscode.commands.executeCommand('oktaMau.filterUsers', needle);
    const filtered = await users();
    const expected = truthUsers.filter((u) => u.login.toLowerCase().includes(needle.toLowerCase()) || u.displayName.toLowerCase().includes(needle.toLowerCase()));
    assert.deepEqual(filtered.map((n) => n.user.id).sort(), expected.map((u) => u.id).sort());
    await vscode.commands.executeCommand('oktaMau.filterUsers', sample.displayName.toLowerCase());
    assert.ok((await users()).some((n) => n.user.id === sample.id));
    await vscode.commands.executeCommand('oktaMau.filterUsers', 'no-user-is-called-this');
    assert.deepEqual(await users(), []);
    await vscode.commands.executeCommand('oktaMau.clearFilter');
    assert.equal((await users()).length, 200);
  });

  it("shows a user's sessions, active days, first and last seen and last client", async () => {
    const user = (await users())[0]!;
    const truth = generated.truth.users[user.user.id]!;
    const item = api.treeItem(user);
    assert.equal(item.id, `org/${orgId}/${month}/user/${user.user.id}`);
    assert.equal(item.contextValue, 'user');
    assert.equal(label(item), truth.displayName);
    const details = new Map((await api.treeChildren(user)).map((n) => [label(api.treeItem(n)), String(api.treeItem(n).description)]));
    assert.equal(details.get('Login'), truth.login);
    assert.equal(details.get('Sessions'), truth.sessions.toLocaleString('en-US'));
    assert.equal(details.get('Active days'), String(truth.activeDays));
    // In VS Code's language on the org's UTC clock (the tooltips say "UTC").
    const seen = new Intl.DateTimeFormat(vscode.env.language || 'en', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    assert.equal(details.get('First seen'), seen.format(new Date(truth.firstSeen)));
    assert.equal(details.get('Last seen'), seen.format(new Date(truth.lastSeen)));
    assert.match(details.get('Last client IP') ?? '', /^[\d.:a-f]+$/);
    const parent = await Promise.resolve((await api.treeChildren(user))[0]).then((d) => d && d.kind === 'detail' && d.parent);
    assert.equal(parent, user, 'getParent of a detail is not its user');
  });

  it('copies the login and the user id, and opens the org itself as the console of a loopback org', async () => {
    const user = (await users())[0]!;
    await vscode.commands.executeCommand('oktaMau.copyLogin', user);
    assert.equal(await vscode.env.clipboard.readText(), user.user.login);
    await vscode.commands.executeCommand('oktaMau.copyUserId', user);
    assert.equal(await vscode.env.clipboard.readText(), user.user.id);
    const url = await vscode.commands.executeCommand('oktaMau.openInAdminConsole', user);
    assert.equal(url, `${org.url}/admin/user/profile/view/${user.user.id}`);
  });
});
