// One story on every surface, clicked through the workbench: last month counted from the palette,
// this month counted by clicking the status bar, then the status bar, its tooltip and the dashboard
// read "so far" for the running month and compare it with the same span of last month; cancelling
// from the progress notification says the earlier result is kept. Screenshots of each.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import type { GroundTruth } from '../../fake-org';
import { addOrgAndCountMonth, startUiSession, withPreviousMonth, type UiSession } from './session';

const STATUS_BAR_ID = 'okta-mau.okta-mau.oktaMau.status';
const USERS = 300;
const SESSIONS = 3000;

const long = (month: string) => new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const short = (month: string) => new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const n = (value: number) => value.toLocaleString('en-US');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the month story: status bar, tooltip and dashboard in the workbench', function () {
  this.timeout(180_000);
  let s: UiSession;
  let host: string;
  let previous: string;
  let truthPrevious: GroundTruth;
  let dashboard: FrameLocator;

  before(async function () {
    this.timeout(180_000);
    s = await startUiSession({ users: USERS, sessions: SESSIONS, latencyMs: 200 });
    host = new URL(s.org.url).host;
    // Last month: a third of this month's users signed in then too, an hour apart from its start on,
    // so some of them fall inside the span this month has run so far.
    const before = withPreviousMonth(s, { users: USERS, sessions: SESSIONS }, 3_600_000);
    previous = before.month;
    truthPrevious = before.truth;
  });

  after(async () => {
    await s?.close();
  });

  it('counts last month from the palette', async () => {
    const wb = s.workbench;
    const done = await addOrgAndCountMonth(s, long(previous));
    const said = await wb.messageOf(done);
    assert.ok(said.includes(`${host}: ${n(truthPrevious.mau)} MAU in ${long(previous)}.`), said);
    const item = wb.statusBarItem(STATUS_BAR_ID);
    await wb.page.waitForFunction(([id, text]) => document.getElementById(id)?.innerText.trim() === text, [STATUS_BAR_ID, `${short(previous)} ${n(truthPrevious.mau)} MAU`] as const, { timeout: 30_000 });
    assert.equal(await item.locator('.codicon-person').count(), 1);
    await wb.clearNotifications();
  });

  it('counts this month by clicking the status bar, and then shows both months', async () => {
    const wb = s.workbench;
    const item = wb.statusBarItem(STATUS_BAR_ID);
    // Its tooltip says what a click does: count this month, never "again" before it was counted.
    await item.hover();
    const offer = wb.page.locator('.monaco-hover', { hasText: `Click to count ${long(s.month)}.` });
    await offer.waitFor({ timeout: 30_000 });
    assert.ok(!/again/.test(await offer.innerText()));
    await item.click();
    const done = await wb.notification(new RegExp(`^${escape(host)}: ${escape(n(s.truth.mau))} MAU in ${escape(long(s.month))} so far \\(to \\w+ \\d+, UTC\\)\\.$`), 90_000);
    const upTo = /\(to (\w+ \d+), UTC\)/.exec(await wb.messageOf(done))![1]!;
    const expected = `${short(previous)} ${n(truthPrevious.mau)} · ${short(s.month)} ${n(s.truth.mau)} so far`;
    await wb.page.waitForFunction(([id, text]) => document.getElementById(id)?.innerText.trim() === text, [STATUS_BAR_ID, expected] as const, { timeout: 30_000 });
    await wb.clearNotifications();
    await wb.page.mouse.move(700, 300);
    await item.hover();
    const hover = wb.page.locator('.monaco-hover', { hasText: `${long(s.month)}: ${n(s.truth.mau)} MAU so far · to ${upTo} (UTC)` });
    await hover.waitFor({ timeout: 30_000 });
    const tooltip = await hover.innerText();
    assert.match(tooltip, new RegExp(`${escape(long(previous))}: ${escape(n(truthPrevious.mau))} MAU · complete`));
    assert.match(tooltip, new RegExp(`same span of ${escape(long(previous).split(' ')[0]!)}`));
    assert.match(tooltip, new RegExp(`Click to refresh ${escape(long(s.month))} \\(only new events are fetched\\)\\.`));
    await wb.screenshot('month-story-1-status-bar-tooltip');
    await wb.page.mouse.move(700, 300);
  });

  it('shows this month on the dashboard as "so far", compared with the same span of last month', async () => {
    const wb = s.workbench;
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.runCommand('Okta: Show MAU Dashboard');
    dashboard = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await dashboard.locator('h1', { hasText: `Okta MAU Dashboard · ${host}` }).waitFor({ timeout: 30_000 });
    await dashboard.locator(`#mau-value[data-value="${s.truth.mau}"]`).waitFor({ timeout: 30_000 });
    assert.equal(await dashboard.locator('#mau-value').getAttribute('data-state'), 'toDate');
    const note = await dashboard.locator('#mau-value + .note').innerText();
    assert.match(note, new RegExp(`^${escape(long(s.month))} so far · to \\w+ \\d+$`));
    const summary = await dashboard.locator('#summary').innerText();
    assert.match(summary, /^Month to date: events up to \w+ \d+, \d+:\d\d [AP]M · counted \w+ \d+, \d+:\d\d [AP]M · [\d,]+ sign-in events · \d+ requests? · active: Sign-ins \(user\.session\.start\) · times in UTC$/);
    assert.ok(!/GMT|T\d\d:/.test(summary), summary);
    const comparison = await dashboard.locator('#comparison-note').innerText();
    assert.match(comparison, new RegExp(`^compared with the same span of ${escape(long(previous))} \\(\\w+ 1( – \\w+ \\d+)?: [\\d,]+ users?\\), not the whole month$`));
    assert.match(await dashboard.locator('#month-select option:checked').innerText(), new RegExp(`^${escape(long(s.month))} \\(to \\w+ \\d+\\)$`));
    assert.match(await dashboard.locator('#to-date-legend').innerText(), new RegExp(`^${escape(long(s.month))} is counted only to \\w+ \\d+`));
    await wb.page.mouse.move(5, 5);
    await wb.screenshot('month-story-2-dashboard');
  });

  it('says a count cancelled from its notification kept the earlier result', async () => {
    const wb = s.workbench;
    await wb.clearNotifications().catch(() => undefined);
    // Okta holds the first page: the notification stays up until it is cancelled.
    s.org.injectFault({ kind: 'hang', ms: 60_000, endpoint: 'logs', times: 1 });
    await wb.runCommand('Okta: Count MAUs for Month…');
    await wb.pickQuickItem(`Count MAUs for ${host}`, long(previous));
    const progress = await wb.notification(new RegExp(`^Okta MAU: counting ${escape(host)}, ${escape(long(previous))}`));
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const cancelled = await wb.notification(`Count of ${long(previous)} cancelled; the earlier result is kept.`);
    assert.ok(cancelled);
    await wb.screenshot('month-story-3-cancelled');
    await wb.runCommand('Okta: Cancel Count');
    await wb.notification(`Nothing to cancel: no count of ${host} is running.`);
  });
});
