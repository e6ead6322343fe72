// Inactive and dormant users in the extension, against the fake org over HTTP: Okta: List Users lists
// the org's users (the Users API, the real SDK), the Users view shows under each counted month who
// holds a licence without signing in, with the fake org's ground truth as the expected answer; the
// listing is kept like a saved count (private files, a cancelled listing keeps the old one, a damaged
// file set aside); a credential that may not read the Users API is told in one line what to grant,
// and counting goes on; exports hold exactly those users, with names that cannot act.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import * as vscode from 'vscode';
import { INACTIVE_CSV_COLUMNS } from '../../../src/core/formatUsers';
import { BILLABLE_STATUSES } from '../../../src/core/users';
import type { OktaMauApi } from '../../../src/extension/api';
import type { Node } from '../../../src/extension/tree/nodes';
import type { UserListing } from '../../../src/extension/userListStore';
import {
  dormantUsers,
  generateMonth,
  generateUsers,
  groundTruth,
  inactiveInMonth as truthInactive,
  makeOAuthClient,
  monthBounds,
  startFakeOrg,
  type LogEvent,
  type OktaUser,
} from '../../fake-org';
import { addOrg, collecting, countMonth, currentMonth, extensionApi, label, logText, monthNode, previousMonth, readText, resetExtension, sleep, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;
type GroupNode = Extract<Node, { kind: 'group' }>;
type OrgUserNode = Extract<Node, { kind: 'orgUser' }>;

const BILLABLE = [...BILLABLE_STATUSES];

/** What a Markdown renderer shows for text escaped the CommonMark way: backslash escapes and the three entities undone. */
function shownText(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
const n = (v: number) => v.toLocaleString('en-US');

describe('inactive and dormant users', function () {
  this.timeout(120_000);
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId = '';
  const infos: string[] = [];
  let infoSub: vscode.Disposable | undefined;
  const past = previousMonth();
  const month = currentMonth();
  const now = Date.now();
  // The running month up to a minute ago, as a real org holds it; the month before in full.
  const events: LogEvent[] = [
    ...generateMonth({ month: past, seed: 71, users: 260, sessions: 1300 }).events.filter((e) => e.published.startsWith(past)),
    ...generateMonth({ month, seed: 72, users: 40, sessions: 160 }).events.filter((e) => e.published.startsWith(month) && Date.parse(e.published) < now - 60_000),
  ];
  // More billable users who never sign in than a page holds, five of them with hostile names.
  const users: OktaUser[] = generateUsers(events, { seed: 71, dormant: 480, hostileNames: 5, asOf: now });
  const logsOnly = makeOAuthClient();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-inactive-'));
  const monthTitle = (m: string) => new Intl.DateTimeFormat(vscode.env.language || 'en', { month: 'long', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
  const listingFile = () => path.join(api.users.listingsUri.fsPath, `${orgId}.json`);
  const monthChildren = async (m: string) => api.treeChildren(await monthNode(api, orgId, m));
  const group = async (m: string, what: 'inactive' | 'dormant'): Promise<GroupNode> => {
    const node = (await monthChildren(m)).find((c): c is GroupNode => c.kind === 'group' && c.what === what);
    assert.ok(node, `no ${what} group under ${m}`);
    return node;
  };
  /** Every user of a group, clicking "Show 200 more…" until none is left. */
  const allOf = async (g: GroupNode): Promise<OrgUserNode[]> => {
    for (;;) {
      const children = await api.treeChildren(g);
      const more = children.find((c) => c.kind === 'more');
      if (!more) return children.filter((c): c is OrgUserNode => c.kind === 'orgUser');
      const item = api.treeItem(more);
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    }
  };
  const listUsers = () => vscode.commands.executeCommand<UserListing | undefined>('oktaMau.listUsers', { orgId });
  const expectedInactive = (m: string, until?: number) => truthInactive(users, events, m === past ? { month: m, statuses: BILLABLE } : { since: monthBounds(m).since, until: until!, statuses: BILLABLE });

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    infoSub = api.onDidShowInfo((m) => infos.push(m));
    org = await startFakeOrg({ events, users, oauthClients: [{ clientId: logsOnly.clientId, publicKey: logsOnly.publicKey, scopes: ['okta.logs.read'] }] });
  });

  after(async () => {
    infoSub?.dispose();
    await vscode.workspace.getConfiguration('oktaMau').update('dormantDays', undefined, vscode.ConfigurationTarget.Global);
    await resetExtension(api);
    await org?.close();
  });

  it('says when an org is added that its inactive and dormant users can be listed', async () => {
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(orgId);
    const host = new URL(org.url).host;
    assert.ok(infos.includes(`Okta MAU: ${host} added and active. Inactive and dormant users can be listed too.`), infos.join('\n'));
  });

  it('offers, under a counted month, to list the users rather than showing a number', async () => {
    assert.ok(await countMonth(past, orgId));
    const [first] = await monthChildren(past);
    assert.equal(first?.kind, 'listUsers');
    const item = api.treeItem(first);
    assert.equal(label(item), 'List users to see who is not active');
    assert.equal(item.description, 'click to list users');
    assert.equal(item.command?.command, 'oktaMau.listUsers');
    assert.deepEqual(item.command?.arguments, [{ orgId }]);
    assert.ok(!(await monthChildren(past)).some((c) => c.kind === 'group'), 'a number is shown before the users are listed');
  });

  it('says in one line what to grant when the credential may not read the Users API, and counting goes on', async () => {
    const host = new URL(org.url).host;
    infos.length = 0;
    const updated = await vscode.commands.executeCommand('oktaMau.updateCredential', { orgId, auth: { mode: 'PrivateKey', clientId: logsOnly.clientId, privateKey: logsOnly.privateKey, keyId: logsOnly.keyId } });
    assert.equal(updated, orgId, 'a credential that may count was refused');
    const confirmation = infos.find((m) => m.startsWith(`Okta MAU: credential for ${host} updated.`));
    assert.ok(confirmation, infos.join('\n'));
    assert.match(confirmation, /To list inactive and dormant users: .*okta\.users\.read/);
    assert.doesNotMatch(confirmation, /\n/);

    const requestsBefore = org.requests.filter((r) => r.endpoint === 'users').length;
    const { result, errors } = await collecting(api, () => listUsers());
    assert.equal(result, undefined);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /okta\.users\.read/);
    assert.doesNotMatch(errors[0]!, /\n/);
    assert.equal(org.requests.filter((r) => r.endpoint === 'users').length, requestsBefore, 'a token without the scope was sent to the Users API');
    assert.equal(await api.users.listing(orgId), undefined);
    // The row says so, and hovering it gives the whole line.
    const row = (await monthChildren(past))[0]!;
    assert.equal(row.kind, 'listUsers');
    assert.equal(api.treeItem(row).description, 'the credential may not read the Users API');
    assert.equal(api.treeItem(row).tooltip, errors[0]);
    // Counting never needed the Users API.
    const recount = await countMonth(past, orgId);
    assert.equal(recount?.mau, groundTruth(events, monthBounds(past)).mau);
  });

  it('lists the users in a cancellable notification and keeps them in a private file', async () => {
    infos.length = 0;
    assert.equal(await addOrg(org.url, { mode: 'SSWS', token: org.token }), orgId);
    assert.ok(infos.some((m) => m.endsWith('Inactive and dormant users can be listed too.')), infos.join('\n'));
    const messages: string[] = [];
    const sub = api.users.onDidReportProgress((e) => e.phase === 'progress' && messages.push(e.message));
    let listing: UserListing | undefined;
    try {
      listing = await listUsers();
    } finally {
      sub.dispose();
    }
    assert.ok(listing, 'the listing failed');
    const billable = users.filter((u) => (BILLABLE as string[]).includes(u.status)).map((u) => u.id).sort();
    assert.deepEqual(listing.users.map((u) => u.id).sort(), billable);
    assert.ok(billable.length > 200, `${billable.length} billable users: more than one page`);
    assert.ok(messages.length > 0 && messages.every((m) => /^page [\d,]+ · [\d,]+ users?$/.test(m)), messages.join('\n'));
    assert.ok(infos.includes(`Okta MAU: listed ${n(billable.length)} users of ${new URL(org.url).host}.`), infos.join('\n'));
    assert.equal(((await stat(listingFile())).mode & 0o777).toString(8), '600');
    assert.equal(((await stat(api.users.listingsUri.fsPath)).mode & 0o777).toString(8), '700');
    const saved = JSON.parse(await readFile(listingFile(), 'utf8'));
    assert.equal(saved.listing.listedAt, listing.listedAt);
    assert.ok(!JSON.stringify(saved).includes(org.token), 'the token is in the listing file');
  });

  it('shows who was not active in the month, exactly as the fake org\'s ground truth, and when the users were listed', async () => {
    const expected = expectedInactive(past);
    assert.ok(expected.length > 200, `${expected.length} inactive users: more than one page`);
    const node = await group(past, 'inactive');
    const item = api.treeItem(node);
    assert.equal(label(item), `Not active in ${monthTitle(past)} (${n(expected.length)})`);
    assert.equal(item.description, 'users listed just now');
    assert.equal(item.contextValue, 'group.inactive');
    const first = await api.treeChildren(node);
    assert.equal(first.filter((c) => c.kind === 'orgUser').length, 200);
    assert.equal(label(api.treeItem(first.at(-1)!)), `Show ${Math.min(200, expected.length - 200)} more…`);
    assert.equal(api.treeItem(first.at(-1)!).description, `200 of ${n(expected.length)} shown`);
    assert.deepEqual((await allOf(node)).map((u) => u.user.id).sort(), expected);
    const tooltip = shownText((item.tooltip as vscode.MarkdownString).value);
    const licensed = users.filter((u) => (BILLABLE as string[]).includes(u.status)).length;
    assert.ok(tooltip.includes(`${n(licensed)} licensed, ${n(licensed - expected.length)} of them active`), tooltip);
    // The same answer through the API the dashboard can read.
    const report = await api.users.inactiveInMonth(past, orgId);
    assert.equal(report?.licensed, licensed);
    assert.equal(report?.users.length, expected.length);
  });

  it('says "so far" for the running month, with its ground truth up to the count', async () => {
    const report = await countMonth(month, orgId);
    assert.ok(report?.fetchedUntil, 'the running month has no "counted up to"');
    const expected = expectedInactive(month, Date.parse(report.fetchedUntil));
    const node = await group(month, 'inactive');
    assert.equal(label(api.treeItem(node)), `Not active in ${monthTitle(month)} so far (${n(expected.length)})`);
    assert.deepEqual((await allOf(node)).map((u) => u.user.id).sort(), expected);
    assert.match(shownText((api.treeItem(node).tooltip as vscode.MarkdownString).value), /The month is not over: some of them may still sign in\./);
  });

  it('shows who is dormant by lastLogin for the days of oktaMau.dormantDays, counted back from the listing', async () => {
    const listing = (await api.users.listing(orgId))!;
    for (const days of [90, 30]) {
      if (days !== 90) await vscode.workspace.getConfiguration('oktaMau').update('dormantDays', days, vscode.ConfigurationTarget.Global);
      const expected = dormantUsers(users, { days, at: listing.listedAt, statuses: BILLABLE });
      const node = await waitFor(`the dormant group for ${days} days`, async () => {
        const g = await group(past, 'dormant');
        return g.days === days ? g : undefined;
      });
      assert.equal(label(api.treeItem(node)), `Dormant for ${days} days (${n(expected.length)})`);
      assert.deepEqual((await allOf(node)).map((u) => u.user.id).sort(), expected);
      // Every counted month shows the same dormant users: lastLogin does not depend on the month.
      assert.equal(label(api.treeItem(await group(month, 'dormant'))), label(api.treeItem(node)));
    }
    await vscode.workspace.getConfiguration('oktaMau').update('dormantDays', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the default of 90 days', async () => ((await group(past, 'dormant')).days === 90 ? true : undefined));
  });

  it("gives a listed user's login, name, status, created, last sign-in and password change, and copies the login and id", async () => {
    const node = await group(past, 'dormant');
    const all = await allOf(node);
    const never = all.find((u) => u.user.lastLogin === null);
    const signed = all.find((u) => u.user.lastLogin !== null);
    assert.ok(never && signed, 'the dormant users hold no one who never signed in, or no one who did');
    const details = async (u: OrgUserNode) => new Map((await api.treeChildren(u)).map((d) => [label(api.treeItem(d)), String(api.treeItem(d).description)]));
    const truth = users.find((u) => u.id === signed.user.id)!;
    const at = new Intl.DateTimeFormat(vscode.env.language || 'en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    const d = await details(signed);
    assert.equal(d.get('Login'), truth.profile.login);
    assert.equal(d.get('User ID'), truth.id);
    assert.equal(d.get('Status'), { ACTIVE: 'Active', RECOVERY: 'Password reset', PASSWORD_EXPIRED: 'Password expired', LOCKED_OUT: 'Locked out' }[truth.status as string]);
    assert.equal(d.get('Created'), at.format(new Date(truth.created)));
    assert.equal(d.get('Last sign-in'), at.format(new Date(truth.lastLogin!)));
    if (truth.passwordChanged) assert.equal(d.get('Password changed'), at.format(new Date(truth.passwordChanged)));
    assert.equal((await details(never)).get('Last sign-in'), 'never');
    assert.match(String(api.treeItem(never).description), / · never signed in$/);
    assert.equal(api.treeItem(signed).contextValue, 'orgUser');
    await vscode.commands.executeCommand('oktaMau.copyLogin', signed);
    assert.equal(await vscode.env.clipboard.readText(), truth.profile.login);
    const detail = (await api.treeChildren(signed))[0]!;
    await vscode.commands.executeCommand('oktaMau.copyUserId', detail);
    assert.equal(await vscode.env.clipboard.readText(), truth.id);
  });

  it('sorts and filters the inactive users as it does the active ones, and says when no one matches', async () => {
    const inactive = await group(past, 'inactive');
    const listed = (await allOf(inactive)).map((u) => u.user);
    const order = (list: OrgUserNode[]) => list.map((u) => u.user.lastLogin ?? '');
    // Default: the longest without a sign-in first (never first).
    const byDefault = await allOf(inactive);
    assert.deepEqual(order(byDefault), [...order(byDefault)].sort());
    await vscode.commands.executeCommand('oktaMau.sortUsers', 'recent');
    const recent = await allOf(await group(past, 'inactive'));
    assert.deepEqual(order(recent), [...order(recent)].sort().reverse());
    await vscode.commands.executeCommand('oktaMau.sortUsers', 'sessions');

    const sample = listed.find((u) => u.login.endsWith('@example.com') && /^[a-z]+\.[a-z]+@/.test(u.login))!;
    const needle = sample.login.split('.')[0]!.toUpperCase();
    await vscode.commands.executeCommand('oktaMau.filterUsers', needle);
    const matching = listed.filter((u) => u.login.toLowerCase().includes(needle.toLowerCase()) || u.displayName.toLowerCase().includes(needle.toLowerCase()));
    const filtered = await group(past, 'inactive');
    assert.match(String(api.treeItem(filtered).description), new RegExp(`^${n(matching.length)} match "${needle}" · users listed `));
    assert.deepEqual((await allOf(filtered)).map((u) => u.user.id).sort(), matching.map((u) => u.id).sort());
    // One match, in the singular.
    const matches = (text: string) => listed.filter((u) => u.login.toLowerCase().includes(text) || u.displayName.toLowerCase().includes(text)).length;
    const only = (await allOf(filtered)).map((u) => u.user.login.toLowerCase()).find((login) => matches(login) === 1);
    assert.ok(only, 'a login that only one listed user has');
    await vscode.commands.executeCommand('oktaMau.filterUsers', only);
    assert.match(String(api.treeItem(await group(past, 'inactive')).description), new RegExp(`^1 match "${only.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" · users listed `));
    await vscode.commands.executeCommand('oktaMau.filterUsers', 'zz-no-one-is-called-this');
    const none = await api.treeChildren(await group(past, 'inactive'));
    assert.equal(none.length, 1);
    assert.equal(label(api.treeItem(none[0]!)), 'No users match "zz-no-one-is-called-this" among them');
    await vscode.commands.executeCommand('oktaMau.clearFilter');
  });

  it('shows hostile names and logins as text: no image, link, HTML or command link', async () => {
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    const hostile = (await allOf(await group(past, 'inactive'))).filter((u) => /[[<=\u001b\u202e]/.test(u.user.displayName + u.user.login));
    assert.ok(hostile.length >= 3, `only ${hostile.length} hostile users listed`);
    for (const u of hostile) {
      const value = (api.treeItem(u).tooltip as vscode.MarkdownString).value;
      assert.ok(!value.includes('![') && !value.includes('](') && !value.includes('<'), `Markdown or HTML acts: ${value}`);
      const md = api.treeItem(u).tooltip as vscode.MarkdownString;
      assert.equal(md.isTrusted, false);
      assert.equal(md.supportHtml, false);
    }
  });

  it('exports the inactive users as CSV (BOM, the CLI\'s columns, formulas neutralised) and the dormant ones as JSON', async () => {
    const csvFile = path.join(dir, 'inactive.csv');
    const written = await vscode.commands.executeCommand<string>('oktaMau.exportReport', { orgId, month: past, what: 'inactive', uri: csvFile });
    assert.equal(written, vscode.Uri.file(csvFile).toString());
    const text = await readText(vscode.Uri.file(csvFile));
    assert.ok(text.startsWith('\uFEFF'), 'no byte order mark');
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), [...INACTIVE_CSV_COLUMNS]);
    assert.deepEqual(rows.map((r) => r.id).sort(), expectedInactive(past));
    for (const r of rows) {
      for (const cell of [r.login!, r.displayName!]) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a cell that would run as a formula: ${cell}`);
      // eslint-disable-next-line no-control-regex -- the test looks for control characters
      assert.doesNotMatch(r.displayName!, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/, 'a control character reached the file');
    }
    assert.ok(rows.some((r) => r.displayName!.startsWith("'=HYPERLINK(")), 'the formula name is not in the export, neutralised');

    const jsonFile = path.join(dir, 'dormant.json');
    await vscode.commands.executeCommand('oktaMau.exportReport', { orgId, what: 'dormant', uri: jsonFile });
    const doc = JSON.parse(await readText(vscode.Uri.file(jsonFile)));
    const listing = (await api.users.listing(orgId))!;
    assert.equal(doc.kind, 'days');
    assert.equal(doc.days, 90);
    assert.equal(doc.asOf, listing.listedAt);
    assert.equal(doc.orgUrl, org.url);
    assert.deepEqual(doc.users.map((u: { id: string }) => u.id).sort(), dormantUsers(users, { days: 90, at: listing.listedAt, statuses: BILLABLE }));
    // A script that names the file without saying what still gets the month's active users.
    const activeFile = path.join(dir, 'active.json');
    await vscode.commands.executeCommand('oktaMau.exportReport', { orgId, month: past, uri: activeFile });
    assert.equal(JSON.parse(await readText(vscode.Uri.file(activeFile))).mau, groundTruth(events, monthBounds(past)).mau);
  });

  it('keeps the earlier listing when a listing is cancelled, and stops its requests', async () => {
    const before = await readFile(listingFile());
    const listedAt = (await api.users.listing(orgId))!.listedAt;
    // The org's users change, and every later page hangs: only a cancel ends the listing.
    org.setUsers(users.filter((_, i) => i % 10 !== 0));
    org.injectFault({ kind: 'hang', ms: 30_000, endpoint: 'users', afterOnly: true, times: 1 });
    infos.length = 0;
    let cancelledAt = 0;
    const { result, errors } = await collecting(api, async () => {
      const paged = new Promise<void>((resolve) => {
        const sub = api.users.onDidReportProgress((e) => e.phase === 'progress' && (sub.dispose(), resolve()));
      });
      // From scratch: a listing of every user, whose later pages hang (an incremental one reads a page or two).
      const running = vscode.commands.executeCommand<UserListing | undefined>('oktaMau.listUsers', { orgId, fromScratch: true });
      await paged;
      await waitFor('a page request in flight', () => org.stats.inFlight > 0);
      cancelledAt = Date.now();
      assert.equal(await vscode.commands.executeCommand('oktaMau.listUsers', { orgId, cancel: true }), true);
      return running;
    });
    // The server holds each request for 30 s; only an aborted request lets the command end sooner.
    assert.ok(Date.now() - cancelledAt < 10_000, `the listing ended ${Date.now() - cancelledAt} ms after the cancel`);
    assert.equal(result, undefined);
    assert.deepEqual(errors, []);
    assert.ok(infos.includes(`Listing users of ${new URL(org.url).host} cancelled; the earlier listing is kept.`), infos.join('\n'));
    assert.deepEqual(await readFile(listingFile()), before, 'the listing file changed');
    assert.equal((await api.users.listing(orgId))?.listedAt, listedAt);
    assert.equal(label(api.treeItem(await group(past, 'inactive'))), `Not active in ${monthTitle(past)} (${n(expectedInactive(past).length)})`);
    assert.equal(org.pendingFaults(), 0, 'the listing never asked for a second page');
    const requestsAtCancel = org.stats.requests;
    await sleep(1000);
    assert.equal(org.stats.requests, requestsAtCancel, 'requests continued after the cancel');
    org.setUsers(users);
  });

  it('sets a damaged listing aside with one warning and offers to list the users again', async () => {
    const whole = await readFile(listingFile());
    const truncated = whole.subarray(0, whole.length >> 1);
    await writeFile(listingFile(), truncated);
    api.reloadResults();
    const [first] = await monthChildren(past);
    assert.equal(first?.kind, 'listUsers', 'a damaged listing still shows numbers');
    const names = await readdir(api.users.listingsUri.fsPath);
    const aside = names.filter((f) => f.startsWith(`${orgId}.json.damaged-`));
    assert.equal(aside.length, 1, names.join(', '));
    assert.deepEqual(await readFile(path.join(api.users.listingsUri.fsPath, aside[0]!)), truncated);
    const warning = `set aside the damaged user listing users/${orgId}.json`;
    await waitFor('the warning in the log', async () => (await logText(api)).includes(warning) || undefined);
    assert.equal((await logText(api)).split(warning).length - 1, 1, 'warned more than once');
    // The months and their counts are untouched; listing again brings the groups back.
    assert.ok(await listUsers());
    assert.equal((await monthChildren(past))[0]?.kind, 'group');
  });

  it('deletes the listing with the cached results', async () => {
    await vscode.commands.executeCommand('oktaMau.clearCache');
    assert.equal(await api.users.listing(orgId), undefined);
    assert.ok(!(await readdir(path.dirname(listingFile())).catch(() => [] as string[])).includes(`${orgId}.json`));
  });
});
