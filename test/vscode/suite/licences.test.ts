// The dashboard's Licences card against the fake org over HTTP: licensed versus active users and the
// share used for the selected month, from the org's listed users and the month's count. Before the
// users are listed the card offers to list them; a credential that may not read the Users API gets
// Okta's refusal, which says what to grant; once "Okta: List Users" ends, the open dashboard shows
// the fake org's ground truth, the same number as the Users view's "Not active in <month> (N)", and
// its dormant users are the tree's "Dormant for N days (M)", following oktaMau.dormantDays.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { utilisationPercent } from '../../../src/core/reportFacts';
import { BILLABLE_STATUSES } from '../../../src/core/users';
import type { OktaMauApi } from '../../../src/extension/api';
import type { DashboardModel, LicencesView, ToWebview } from '../../../src/extension/dashboard/protocol';
import type { Node } from '../../../src/extension/tree/nodes';
import type { UserListing } from '../../../src/extension/userListStore';
import { dormantUsers, generateMonth, generateUsers, inactiveInMonth as truthInactive, makeOAuthClient, monthBounds, startFakeOrg, type LogEvent, type OktaUser } from '../../fake-org';
import { addOrg, collecting, countMonth, currentMonth, extensionApi, label, monthNode, previousMonth, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;
type GroupNode = Extract<Node, { kind: 'group' }>;

const BILLABLE = [...BILLABLE_STATUSES];
const n = (v: number) => v.toLocaleString(vscode.env.language || 'en');
const setDormantDays = (days: number | undefined) => vscode.workspace.getConfiguration('oktaMau').update('dormantDays', days, vscode.ConfigurationTarget.Global);

describe('the dashboard\'s Licences card', function () {
  this.timeout(120_000);
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId = '';
  const past = previousMonth();
  const month = currentMonth();
  const now = Date.now();
  const events: LogEvent[] = [
    ...generateMonth({ month: past, seed: 91, users: 120, sessions: 600 }).events.filter((e) => e.published.startsWith(past)),
    ...generateMonth({ month, seed: 92, users: 30, sessions: 120 }).events.filter((e) => e.published.startsWith(month) && Date.parse(e.published) < now - 60_000),
  ];
  const users: OktaUser[] = generateUsers(events, { seed: 91, dormant: 90, hostileNames: 3, asOf: now });
  const licensed = users.filter((u) => (BILLABLE as string[]).includes(u.status)).length;
  const logsOnly = makeOAuthClient();
  const posted: ToWebview[] = [];
  let postSub: vscode.Disposable | undefined;

  /** The newest model the panel posted to its webview (from the `since`th message on) that satisfies `test`. */
  const postedModel = (what: string, test: (m: DashboardModel) => boolean, since = 0) =>
    waitFor(what, () => posted.slice(since).reverse().find((m): m is Extract<ToWebview, { type: 'model' }> => m.type === 'model' && test(m.model))?.model, 30_000);
  const licencesOf = (m: DashboardModel): LicencesView | undefined => m.selected?.licences;
  const userGroup = async (m: string, what: 'inactive' | 'dormant'): Promise<GroupNode> => {
    const node = (await api.treeChildren(await monthNode(api, orgId, m))).find((c): c is GroupNode => c.kind === 'group' && c.what === what);
    assert.ok(node, `no ${what} group under ${m}`);
    return node;
  };
  const inactiveGroup = (m: string) => userGroup(m, 'inactive');
  /** The tree's "Dormant for N days (M)" under a month, once it reads `days`. */
  const dormantGroup = (m: string, days: number) => waitFor(`the tree's dormant group for ${days} days`, async () => {
    const g = await userGroup(m, 'dormant');
    return g.days === days ? g : undefined;
  });

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events, users, oauthClients: [{ clientId: logsOnly.clientId, publicKey: logsOnly.publicKey, scopes: ['okta.logs.read'] }] });
    postSub = api.dashboard.onDidPost((m) => posted.push(m));
  });

  after(async () => {
    postSub?.dispose();
    await setDormantDays(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetExtension(api);
    await org?.close();
  });

  it('offers to list the users before they are listed, and shows no figures', async () => {
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(orgId);
    assert.ok(await countMonth(past, orgId));
    const model = await vscode.commands.executeCommand<DashboardModel>('oktaMau.showDashboard', { orgId, month: past });
    assert.deepEqual(model.selected?.licences, {});
    // The webview's script loaded under the CSP and asked for it.
    const shown = await postedModel('the model in the webview', (m) => m.selected?.month === past);
    assert.deepEqual(licencesOf(shown), {});
  });

  it('says what to grant when the credential may not read the Users API, in the words the error and the tree use', async () => {
    const updated = await vscode.commands.executeCommand('oktaMau.updateCredential', { orgId, auth: { mode: 'PrivateKey', clientId: logsOnly.clientId, privateKey: logsOnly.privateKey, keyId: logsOnly.keyId } });
    assert.equal(updated, orgId);
    const { result, errors } = await collecting(api, () => vscode.commands.executeCommand<UserListing | undefined>('oktaMau.listUsers', { orgId }));
    assert.equal(result, undefined);
    assert.equal(errors.length, 1, errors.join('\n'));
    const shown = await postedModel('the refusal on the card', (m) => licencesOf(m)?.refusal === errors[0]);
    assert.match(licencesOf(shown)!.refusal!, /okta\.users\.read/);
    assert.equal(licencesOf(shown)!.figures, undefined);
    const row = (await api.treeChildren(await monthNode(api, orgId, past)))[0]!;
    assert.equal(row.kind, 'listUsers');
    assert.equal(api.treeItem(row).tooltip, licencesOf(shown)!.refusal);
  });

  it('shows, once the users are listed, the licensed and active users of the month: the ground truth and the tree\'s count', async () => {
    assert.equal(await vscode.commands.executeCommand('oktaMau.updateCredential', { orgId, auth: { mode: 'SSWS', token: org.token } }), orgId);
    const listing = await vscode.commands.executeCommand<UserListing | undefined>('oktaMau.listUsers', { orgId });
    assert.ok(listing, 'the listing failed');
    // The open panel follows the listing without being asked.
    const shown = await postedModel('the listing on the open dashboard', (m) => m.selected?.month === past && licencesOf(m)?.figures?.listedAt === listing.listedAt);
    const figures = licencesOf(shown)!.figures!;
    const inactive = truthInactive(users, events, { month: past, statuses: BILLABLE });
    assert.ok(inactive.length > 0 && inactive.length < licensed, `${inactive.length} of ${licensed} inactive: the fixture says nothing`);
    // Dormant: Okta's lastLogin more than oktaMau.dormantDays (90 by default) before the listing, or never.
    const dormant = dormantUsers(users, { days: 90, at: listing.listedAt, statuses: BILLABLE });
    assert.ok(dormant.length > 0 && dormant.length < licensed, `${dormant.length} of ${licensed} dormant: the fixture says nothing`);
    assert.deepEqual(figures, {
      licensed,
      active: licensed - inactive.length,
      inactive: inactive.length,
      percent: Math.floor(((licensed - inactive.length) * 1000) / licensed) / 10,
      dormant: { days: 90, users: dormant.length },
      statuses: BILLABLE,
      listedAt: listing.listedAt,
    });
    assert.equal(licencesOf(shown)!.refusal, undefined);
    // One story: the tree's group and the report the exports and the CLI's formatter read.
    const group = await inactiveGroup(past);
    assert.equal(group.total, figures.inactive);
    assert.equal(group.licensed, figures.licensed);
    assert.equal(group.active, figures.active);
    const report = (await api.users.inactiveInMonth(past, orgId))!;
    assert.equal(utilisationPercent(report), figures.percent);
    const dormantRow = await dormantGroup(past, 90);
    assert.equal(dormantRow.total, figures.dormant.users);
    assert.equal(label(api.treeItem(dormantRow)), `Dormant for 90 days (${n(figures.dormant.users)})`);
  });

  it('follows oktaMau.dormantDays on the open card, with the tree\'s "Dormant for N days (M)" and the ground truth', async () => {
    const listing = (await api.users.listing(orgId))!;
    const counts = new Map<number, number>();
    try {
      for (const days of [30, 1, 90]) {
        const since = posted.length;
        await setDormantDays(days === 90 ? undefined : days);
        // The open panel redraws without being asked, as the tree does.
        const shown = await postedModel(`the card for ${days} days`, (m) => m.selected?.month === past && licencesOf(m)?.figures?.dormant.days === days, since);
        const expected = dormantUsers(users, { days, at: listing.listedAt, statuses: BILLABLE }).length;
        assert.deepEqual(licencesOf(shown)!.figures!.dormant, { days, users: expected });
        const row = await dormantGroup(past, days);
        assert.equal(row.total, expected);
        assert.equal(label(api.treeItem(row)), days === 1 ? `Dormant for 1 day (${n(expected)})` : `Dormant for ${days} days (${n(expected)})`);
        // The other figures are the month's, not the setting's.
        assert.equal(licencesOf(shown)!.figures!.licensed, licensed);
        counts.set(days, expected);
      }
    } finally {
      await setDormantDays(undefined);
    }
    // Fewer days, more dormant users: otherwise the fixture could not tell one setting from another.
    assert.ok(counts.get(90)! < counts.get(30)! && counts.get(30)! < counts.get(1)!, JSON.stringify([...counts]));
  });

  it('says "so far" for the running month, with the tree\'s count and the ground truth up to the count', async () => {
    const counted = await countMonth(month, orgId);
    assert.ok(counted?.fetchedUntil, 'the running month has no "counted up to"');
    const model = (await api.dashboard.model(orgId, month))!;
    assert.equal(model.selected?.state.kind, 'toDate');
    const figures = model.selected!.licences!.figures!;
    const inactive = truthInactive(users, events, { since: monthBounds(month).since, until: Date.parse(counted.fetchedUntil), statuses: BILLABLE });
    assert.equal(figures.inactive, inactive.length);
    assert.equal(figures.licensed, licensed);
    assert.equal((await inactiveGroup(month)).total, figures.inactive);
  });

  it('gives each listed org\'s share used in the All orgs view', async () => {
    const model = (await api.dashboard.model('all', past))!;
    const row = model.allOrgs?.orgs.find((o) => o.orgId === orgId);
    const figures = (await api.dashboard.model(orgId, past))!.selected!.licences!.figures!;
    assert.deepEqual(row?.licences, { licensed: figures.licensed, active: figures.active, percent: figures.percent });
  });
});
