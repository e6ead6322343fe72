// The MAU dashboard as a person sees it: two months counted through the palette, the dashboard
// opened from the palette, live progress while the current month is counted, and the figures it
// shows (MAU, new and returning users, the most active user) checked against the fake org's ground truth.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { groundTruth, monthBounds, type LogEvent } from '../../fake-org';
import { addOrgAndCountMonth, startUiSession, withPreviousMonth, type UiSession } from './session';
import type { Workbench } from './workbench';

const USERS = 300;
const SESSIONS = 3000;

function monthTitle(month: string): string {
  return new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * Runs a palette command whose title is exactly `title`: the palette lists recently used commands
 * first, so after "Count MAUs for Month…" a substring match on "Count MAUs" would pick that one.
 */
async function runExactly(wb: Workbench, title: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  await wb.quickInputBox.waitFor({ state: 'visible' });
  await wb.quickInputBox.fill(`>${title}`);
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: exact }) }).first().click({ timeout: 30_000 });
}

function digits(text: string): number {
  return Number(text.replace(/[^\d]/g, ''));
}

describe('the MAU dashboard in the workbench', function () {
  this.timeout(180_000);
  let s: UiSession;
  let host: string;
  let previous: string;
  let truthPrevious: ReturnType<typeof groundTruth>;
  let previousEvents: LogEvent[];
  /** When the count of the current month started and ended: it covers this month up to a moment between. */
  let counted: { from: number; to: number };
  let dashboard: FrameLocator;

  before(async function () {
    this.timeout(180_000);
    s = await startUiSession({ users: USERS, sessions: SESSIONS, latencyMs: 400 });
    host = new URL(s.org.url).host;
    // The previous month: a third of this month's users signed in then too, in its first minutes
    // (a running month is compared with the same span of this one), plus the generator's edge
    // sign-ins that already sit in the org before this month's first instant.
    const before = withPreviousMonth(s, { users: USERS, sessions: SESSIONS }, 10_000);
    previous = before.month;
    previousEvents = before.events;
    truthPrevious = before.truth;
  });

  after(async () => {
    await s?.close();
  });

  it('adds the org and counts the previous month', async () => {
    const wb = s.workbench;
    const done = await addOrgAndCountMonth(s, monthTitle(previous));
    assert.equal(digits((await wb.messageOf(done)).split(' MAU')[0]!.split(': ')[1]!), truthPrevious.mau);
    await wb.clearNotifications();
  });

  it('opens the dashboard from the command palette, with its charts drawn', async () => {
    const wb = s.workbench;
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.runCommand('Okta: Show MAU Dashboard');
    // VS Code nests a webview: an outer iframe (class "webview ready") holding the content frame.
    dashboard = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await dashboard.locator('h1', { hasText: `Okta MAU Dashboard · ${host}` }).waitFor({ timeout: 30_000 });
    await dashboard.locator('#mau-value[data-value]').waitFor();
    assert.equal(Number(await dashboard.locator('#mau-value').getAttribute('data-value')), truthPrevious.mau);
    for (const id of ['months-chart', 'daily-chart', 'split-chart']) {
      const box = await dashboard.locator(`canvas#${id}`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} is not drawn (${JSON.stringify(box)})`);
    }
    // Only one month is saved, so there is nothing to compare with.
    assert.match(await dashboard.locator('#comparison-note').innerText(), /previous month not counted/);
  });

  it('shows the count of the current month live, then its figures', async () => {
    const wb = s.workbench;
    const from = Date.now();
    await runExactly(wb, 'Okta: Count MAUs');
    const banner = dashboard.locator('#live', { hasText: `Counting ${monthTitle(s.month)}:` });
    await banner.waitFor({ timeout: 30_000 });
    assert.match(await banner.innerText(), /users so far · \d+% covered/);
    await wb.notification(/ MAU in /, 90_000);
    counted = { from, to: Date.now() };
    await banner.waitFor({ state: 'hidden', timeout: 30_000 });
    await dashboard.locator('#month-select').selectOption(s.month);
    await dashboard.locator(`#mau-value[data-value="${s.truth.mau}"]`).waitFor({ timeout: 30_000 });
    assert.equal(digits(await dashboard.locator('#mau-value').innerText()), s.truth.mau);
  });

  it('splits the running month into new and returning users against the same span of the month before, as the ground truth does', async () => {
    // The month before over the same span as this month's count: from its start for as long as this
    // month had run when counted. The fixture has no event of the month before near that span's end,
    // so both ends of the count's run give the same users.
    const { since } = monthBounds(s.month);
    const span = (at: number) => groundTruth(previousEvents, { since: monthBounds(previous).since, until: monthBounds(previous).since + (at - since) });
    const sameSpan = span(counted.from);
    assert.deepEqual(Object.keys(span(counted.to).users).sort(), Object.keys(sameSpan.users).sort(), 'the fixture puts an event of the month before at the span\'s end');
    const returning = Object.keys(s.truth.users).filter((id) => id in sameSpan.users).length;
    assert.ok(returning > 50, `only ${returning} returning users in the fixture`);
    assert.equal(Number(await dashboard.locator('#returning-value').getAttribute('data-value')), returning);
    assert.equal(Number(await dashboard.locator('#new-value').getAttribute('data-value')), s.truth.mau - returning);
    assert.equal(Number(await dashboard.locator('#lapsed-value').getAttribute('data-value')), sameSpan.mau - returning);
    assert.match(await dashboard.locator('#comparison-note').innerText(), new RegExp(`^compared with the same span of ${monthTitle(previous)}\\b`));
  });

  it('lists the most active users with their real session counts', async () => {
    const rows = dashboard.locator('#most-active tbody tr');
    assert.equal(await rows.count(), 10);
    const top = Math.max(...Object.values(s.truth.users).map((u) => u.sessions));
    const first = rows.first();
    const id = (await first.getAttribute('data-user-id'))!;
    assert.equal(s.truth.users[id]?.sessions, top);
    assert.equal(digits(await first.locator('td').nth(1).innerText()), top);
    assert.equal((await first.locator('.login').innerText()).trim(), s.truth.users[id]?.login);
    assert.equal(await dashboard.locator('#least-active tbody tr').count(), 10);
    await s.workbench.clearNotifications();
    await s.workbench.page.mouse.move(5, 5);
    await s.workbench.screenshot('dashboard');
  });

  it('redraws in the colours of a dark theme', async () => {
    const wb = s.workbench;
    const before = await dashboard.locator('body').getAttribute('class');
    assert.match(before ?? '', /vscode-light/);
    await runExactly(wb, 'Preferences: Color Theme');
    await wb.quickInputBox.fill('Dark Modern');
    await wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^Dark Modern$/ }) }).first().click();
    await dashboard.locator('body.vscode-dark').waitFor({ timeout: 30_000 });
    // The figures survive the redraw, and the charts are drawn again.
    assert.equal(Number(await dashboard.locator('#mau-value').getAttribute('data-value')), s.truth.mau);
    const box = await dashboard.locator('canvas#months-chart').boundingBox();
    assert.ok(box && box.width > 100);
    await wb.page.mouse.move(5, 5);
    await wb.screenshot('dashboard-dark');
  });
});
