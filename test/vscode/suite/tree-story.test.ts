// The Users tree tells the same story as the other surfaces: a running month is counted "so far"
// (never "complete"), counts are plural only when they are, dates and clients read as people read
// them, a filter says what it found (also when it found no one), and "counted just now" does not
// stay on screen once it is no longer true. Against a fake org holding the current month up to now.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateMonth, groundTruth, monthBounds, startFakeOrg, type LogEvent } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import type { Node } from '../../../src/extension/tree/nodes';
import type { MauReport } from '../../../src/core/types';
import { addOrg, countMonth, currentMonth, extensionApi, label, monthNode, resetExtension, waitFor } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;
type UserNode = Extract<Node, { kind: 'user' }>;

/** What people call the clients the fake org sends (test/fake-org/catalog.ts), written out here, not computed. */
const BROWSER_NAMES: Record<string, string | undefined> = { CHROME: 'Chrome', SAFARI: 'Safari', FIREFOX: 'Firefox', EDGE_CHROMIUM: 'Edge', MOBILE_SAFARI: 'Safari', UNKNOWN: undefined };
const OS_NAMES: Record<string, string> = { 'Windows 10': 'Windows 10', 'Mac OS X': 'macOS', Linux: 'Linux', iOS: 'iOS', Android: 'Android' };

describe('the Users tree tells one story', function () {
  let api: OktaMauApi;
  let org: FakeOrg;
  let report: MauReport;
  let savedAt = 0;
  const changes: { at: number; node: Node | undefined }[] = [];
  const subscriptions: vscode.Disposable[] = [];
  const month = currentMonth();
  const monthLong = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
  // The org holds the month up to a minute ago: the generated month squeezed into [month start, now − 1 min),
  // so every generated user is active whatever the day of the month (the 1st included).
  const now = Date.now();
  const { since, until } = monthBounds(month);
  const cutoff = now - 60_000;
  const events: LogEvent[] = generateMonth({ month, seed: 4242, users: 150, sessions: 700 })
    .events.map((e) => {
      const at = Date.parse(e.published);
      return at >= since && at < until ? { ...e, published: new Date(since + Math.floor(((at - since) * (cutoff - since)) / (until - since))).toISOString() } : e;
    })
    .filter((e) => Date.parse(e.published) < cutoff);
  const truth = groundTruth(events, { since, until: cutoff });
  const truthUsers = Object.entries(truth.users).map(([id, u]) => ({ id, ...u }));

  let orgId = '';
  const monthItem = async () => api.treeItem(await monthNode(api, orgId, month));
  const monthChildren = async () => api.treeChildren(await monthNode(api, orgId, month));
  const users = async () => (await monthChildren()).filter((n): n is UserNode => n.kind === 'user');
  /** The day the running month is counted to, as the status bar and dashboard name it: "Dec 2". */
  const toDay = () => new Intl.DateTimeFormat(vscode.env.language || 'en', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.parse(report.fetchedUntil!) - 1));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    // The view on screen, as a person has it: its rows' relative times are redrawn while it is visible.
    await vscode.commands.executeCommand('oktaMau.users.focus');
    subscriptions.push(api.onDidChangeTree((node) => changes.push({ at: Date.now(), node })));
    const counted = await countMonth(month);
    assert.ok(counted, 'the count of the current month failed');
    report = counted;
    savedAt = Date.now();
  });

  after(async () => {
    for (const s of subscriptions) s.dispose();
    await resetExtension(api);
    await org?.close();
  });

  it('counts the month the fake org holds, up to now', () => {
    assert.equal(report.mau, truth.mau);
    assert.ok(report.fetchedUntil && Date.parse(report.fetchedUntil) < Date.parse(report.until), 'a count of the running month must stop at now');
  });

  it('calls a running month "so far", to the day it was counted, never "complete"', async () => {
    const item = await monthItem();
    assert.equal(item.description, `${truth.mau.toLocaleString('en-US')} MAU so far · to ${toDay()} · counted just now`);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, new RegExp(`— ${truth.mau.toLocaleString('en-US')} MAU so far`));
    assert.match(tooltip, /Month to date: sign-ins up to .*The month is not over/);
    assert.doesNotMatch(tooltip, /Complete|complete/);
    // "1 request", never "1 requests".
    const requests = report.requests === 1 ? '1 request' : `${report.requests.toLocaleString('en-US')} requests`;
    assert.match(tooltip, new RegExp(`^Counted just now \\(.+, ${requests}\\)$`, 'm'));
    // UTC is said once, for the whole tooltip.
    assert.equal(tooltip.match(/UTC/g)?.length, 1, tooltip);
  });

  it('says "1 session" of a user with one session, and "N sessions" of the others', async () => {
    const once = truthUsers.find((u) => u.sessions === 1);
    const often = truthUsers.find((u) => u.sessions > 1);
    assert.ok(once && often, 'the fake org has no user with one session, or none with more');
    await vscode.commands.executeCommand('oktaMau.filterUsers', once.login);
    const node = (await users()).find((n) => n.user.id === once.id);
    assert.ok(node, `${once.login} is not in the tree`);
    const item = api.treeItem(node);
    assert.equal(item.description, `${once.login} · 1 session`);
    assert.match((item.tooltip as vscode.MarkdownString).value, /1 session on 1 day/);
    await vscode.commands.executeCommand('oktaMau.filterUsers', often.login);
    const other = (await users()).find((n) => n.user.id === often.id)!;
    assert.equal(api.treeItem(other).description, `${often.login} · ${often.sessions.toLocaleString('en-US')} sessions`);
    await vscode.commands.executeCommand('oktaMau.clearFilter');
  });

  it("names the user's last browser and OS as people do, and reads first and last seen in the reader's language (UTC)", async () => {
    // A one-session user on a Mac: their only sign-in is the last one, so its client is the one shown.
    const signIns = new Map<string, LogEvent[]>();
    for (const e of events) {
      if (e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && truth.users[e.actor.id]) signIns.set(e.actor.id, [...(signIns.get(e.actor.id) ?? []), e]);
    }
    const pick = (os: string) => truthUsers.find((u) => u.sessions === 1 && signIns.get(u.id)?.[0]?.client?.userAgent?.os === os && signIns.get(u.id)?.[0]?.client?.userAgent?.browser !== 'UNKNOWN');
    const chosen = pick('Mac OS X') ?? pick('Windows 10');
    assert.ok(chosen, 'the fake org has no one-session user on a Mac or on Windows');
    const agent = signIns.get(chosen.id)![0]!.client!.userAgent!;
    await vscode.commands.executeCommand('oktaMau.filterUsers', chosen.login);
    const node = (await users()).find((n) => n.user.id === chosen.id)!;
    const details = new Map((await api.treeChildren(node)).map((n) => [label(api.treeItem(n)), String(api.treeItem(n).description)]));
    assert.equal(details.get('Last browser'), BROWSER_NAMES[agent.browser]);
    assert.equal(details.get('Last OS'), OS_NAMES[agent.os]);
    for (const raw of ['CHROME', 'SAFARI', 'FIREFOX', 'EDGE_CHROMIUM', 'Mac OS X']) assert.ok(![...details.values()].includes(raw), `${raw} is shown as Okta spells it`);
    const seen = new Intl.DateTimeFormat(vscode.env.language || 'en', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    assert.equal(details.get('First seen'), seen.format(new Date(chosen.firstSeen)));
    assert.equal(details.get('Last seen'), seen.format(new Date(chosen.lastSeen)));
    const tooltip = (api.treeItem(node).tooltip as vscode.MarkdownString).value;
    assert.equal(tooltip.match(/UTC/g)?.length, 1, tooltip);
    assert.ok(tooltip.includes(`${BROWSER_NAMES[agent.browser]} on ${OS_NAMES[agent.os]}`), tooltip);
    // One sign-in: first and last seen are the same instant, said once (Markdown escapes the punctuation).
    const once = seen.format(new Date(chosen.lastSeen)).replace(/\s+/gu, ' ').replace(/[,:]/g, '\\$&');
    assert.ok(tooltip.includes(`Seen ${once} \\(UTC\\)`), tooltip);
    await vscode.commands.executeCommand('oktaMau.clearFilter');
  });

  it('shows on the month row how many users a filter lets through, and which filter is on', async () => {
    const needle = 'an';
    const expected = truthUsers.filter((u) => u.login.toLowerCase().includes(needle) || u.displayName.toLowerCase().includes(needle)).length;
    assert.ok(expected > 0 && expected < truth.mau, 'pick a filter that lets some users through, not all');
    await vscode.commands.executeCommand('oktaMau.filterUsers', needle);
    assert.equal((await monthItem()).description, `${expected.toLocaleString('en-US')} of ${truth.mau.toLocaleString('en-US')} match "${needle}" · to ${toDay()}`);
    assert.equal((await users()).length, Math.min(expected, 200));
    assert.match(((await monthItem()).tooltip as vscode.MarkdownString).value, new RegExp(`${expected} of ${truth.mau} users match`));
  });

  it('says so in a row when a filter lets no one through, with the count on the month row', async () => {
    const needle = 'no-user-is-called-this';
    await vscode.commands.executeCommand('oktaMau.filterUsers', needle);
    // Beside the row that offers to list the org's users (they were never listed here), one row says no one matches.
    const children = (await monthChildren()).filter((n) => n.kind !== 'listUsers');
    assert.equal(children.length, 1);
    assert.equal(children[0]!.kind, 'noMatch');
    const row = api.treeItem(children[0]!);
    assert.equal(label(row), `No users match "${needle}" in ${monthLong}`);
    assert.equal(row.id, `org/${orgId}/${month}/no-match`);
    assert.equal(row.command?.command, 'oktaMau.filterUsers', 'the row does not offer to change the filter');
    assert.equal((await monthItem()).description, `0 of ${truth.mau.toLocaleString('en-US')} match "${needle}" · to ${toDay()}`);
    await vscode.commands.executeCommand('oktaMau.clearFilter');
    assert.equal((await monthItem()).description, `${truth.mau.toLocaleString('en-US')} MAU so far · to ${toDay()} · counted just now`);
  });

  it('redraws the month row while the view is visible, so "counted just now" turns into "counted 1 min ago"', async function () {
    // The view redraws its org and month rows once a minute, the minute starting when the count was saved.
    this.timeout(200_000);
    const countedAt = Date.parse(report.countedAt);
    const redraw = await waitFor(
      'the org row to be redrawn a minute after the count',
      () => changes.find((c) => c.node?.kind === 'org' && c.at >= countedAt + 60_000),
      180_000,
    );
    // A minute after the save, with wide margins: a timer can fire late on a busy machine, never early.
    assert.ok(redraw.at - savedAt < 150_000, `redrawn only ${Math.round((redraw.at - savedAt) / 1000)} s after the count`);
    const minutes = Math.floor((Date.now() - countedAt) / 60_000);
    assert.equal((await monthItem()).description, `${truth.mau.toLocaleString('en-US')} MAU so far · to ${toDay()} · counted ${minutes} min ago`);
  });
});
