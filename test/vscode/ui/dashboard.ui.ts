// The MAU dashboard as a person sees it: two months counted through the palette, the dashboard
// opened from the palette, live progress while the current month is counted (the same page and
// percent as the progress notification, the status bar and the tree's org row), the months chart's
// labels ("Oct 2026", never "Oct 26"), and the figures it shows (MAU, new and returning users, the
// most active user) checked against the fake org's ground truth.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { groundTruth, monthBounds, type LogEvent } from '../../fake-org';
import { addOrgAndCountMonth, startUiSession, withPreviousMonth, type UiSession } from './session';
import type { Workbench } from './workbench';

const STATUS_BAR_ID = 'okta-mau.okta-mau.oktaMau.status';
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

/** `Oct 2026` in `locale`: the months chart's style, the year in full so it cannot be read as a day. */
function shortMonth(month: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** What each surface says of a running count at one moment, as read from the page. */
interface ProgressSample {
  notification?: string;
  statusBar?: string;
  tree?: string;
  /** The banner's text and data attributes, and the months chart's labels at that moment. */
  dashboard?: { text: string; page?: string; percent?: string; users?: string; labels?: string };
}

/** The page, users and percent each surface names; undefined where a surface names none (yet). */
interface Said {
  page?: number;
  users?: number;
  percent?: number;
}

/** `page 12 · 11,800 events · 3,412 users · 46% of November` (the notification's message and the org row's description). */
function progressLine(text: string | undefined): Said | undefined {
  const m = /\bpage ([\d,]+) · [\d,]+ events? · ([\d,]+) users? · (\d+)% of /.exec(text ?? '');
  return m ? { page: digits(m[1]!), users: digits(m[2]!), percent: Number(m[3]) } : undefined;
}

/**
 * One reading of every surface: the progress notification, the status bar item (`Okta MAU 46%`), the
 * org row in the Okta MAU view and the dashboard's banner (`…: 3,412 users so far · 46% covered`, its
 * page in `data-page`), or why they disagree.
 */
function agreement(sample: ProgressSample): { said: Required<Said>; labels: string[] } | { why: string } {
  const notification = progressLine(sample.notification);
  const tree = progressLine(sample.tree);
  const status = /^Okta MAU (\d+)%$/.exec(sample.statusBar ?? '');
  const banner = /: ([\d,]+) users? so far · (\d+)% covered/.exec(sample.dashboard?.text ?? '');
  if (!notification || !tree || !status || !banner || !sample.dashboard?.page) return { why: 'not every surface shows a page and percent yet' };
  const dashboard = { page: Number(sample.dashboard.page), users: digits(banner[1]!), percent: Number(banner[2]) };
  const all = [notification, tree, dashboard];
  for (const key of ['page', 'users', 'percent'] as const) {
    if (new Set(all.map((s) => s[key])).size !== 1) return { why: `${key} differs` };
  }
  if (Number(status[1]) !== notification.percent) return { why: 'the status bar percent differs' };
  if (sample.dashboard.percent !== String(dashboard.percent)) return { why: "the banner's text and data-percent differ" };
  return { said: notification as Required<Said>, labels: JSON.parse(sample.dashboard.labels ?? '[]') as string[] };
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

  it('shows the count of the current month live, with the same page and percent as the notification, status bar and tree, then its figures', async () => {
    const wb = s.workbench;
    // The Okta MAU view beside the dashboard, so the org row's progress can be read too.
    await wb.openViewContainer('Okta MAU');
    await wb.sideBarRow(host).waitFor({ timeout: 30_000 });
    // Okta holds the second page for a few seconds, so every surface rests on page 1 long enough to be
    // read on a loaded machine too (the count is a handful of pages otherwise).
    s.org.injectFault({ kind: 'hang', ms: 4_000, endpoint: 'logs', afterOnly: true, times: 1 });
    const from = Date.now();
    await runExactly(wb, 'Okta: Count MAUs');
    const banner = dashboard.locator('#live', { hasText: `Counting ${monthTitle(s.month)}:` });
    await banner.waitFor({ timeout: 30_000 });
    assert.match(await banner.innerText(), /users so far · \d+% covered/);

    // Every surface redraws from the same throttled progress event, each a moment after the others:
    // read them all at (nearly) one instant, again until one reading agrees, and fail if none does.
    const read = async (): Promise<ProgressSample> => {
      const [workbench, live] = await Promise.all([
        wb.page.evaluate(
          ([statusId, org]) => {
            const notification = Array.from(document.querySelectorAll('.notifications-toasts .notification-list-item-message'))
              .map((e) => (e as HTMLElement).innerText.trim())
              .find((t) => t.startsWith('Okta MAU: counting '));
            const row = Array.from(document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row')).find((r) => r.querySelector('.label-name')?.textContent?.trim() === org);
            const tree = (row?.querySelector('.label-description') as HTMLElement | null)?.innerText.trim();
            const statusBar = document.getElementById(statusId)?.innerText.trim();
            return { notification, tree, statusBar };
          },
          [STATUS_BAR_ID, host] as const,
        ),
        dashboard.locator('#live').evaluate((e: HTMLElement) => ({
          text: e.innerText,
          page: e.dataset.page,
          percent: e.dataset.percent,
          users: e.dataset.users,
          labels: e.ownerDocument.getElementById('months-chart')?.dataset.labels,
        })),
      ]);
      return { ...workbench, dashboard: live };
    };
    const samples: { sample: ProgressSample; why: string }[] = [];
    let agreed: { said: Required<Said>; labels: string[] } | undefined;
    const deadline = Date.now() + 60_000;
    while (!agreed && Date.now() < deadline) {
      const sample = await read();
      const verdict = agreement(sample);
      if ('said' in verdict) agreed = verdict;
      else {
        samples.push({ sample, why: verdict.why });
        // The count ended before any reading agreed: nothing more to read.
        if (!(await banner.isVisible())) break;
      }
    }
    assert.ok(agreed, `the notification, status bar, tree and dashboard never showed the same page and percent; last readings:\n${samples.slice(-5).map((r) => `${r.why}: ${JSON.stringify(r.sample)}`).join('\n')}`);
    const { said, labels } = agreed;
    assert.ok(said.page >= 1 && said.percent >= 0 && said.percent <= 100 && said.users <= s.truth.mau, JSON.stringify(said));
    // A month counted for the first time has a pale bar that grows, labelled as a month with its year.
    const lang = (await dashboard.locator('html').getAttribute('lang')) || 'en';
    assert.deepEqual(labels, [shortMonth(previous, lang), shortMonth(s.month, lang)]);
    await wb.screenshot('dashboard-live-progress');

    await wb.notification(/ MAU in /, 90_000);
    counted = { from, to: Date.now() };
    await banner.waitFor({ state: 'hidden', timeout: 30_000 });
    await dashboard.locator('#month-select').selectOption(s.month);
    await dashboard.locator(`#mau-value[data-value="${s.truth.mau}"]`).waitFor({ timeout: 30_000 });
    assert.equal(digits(await dashboard.locator('#mau-value').innerText()), s.truth.mau);
    await runExactly(wb, 'View: Close Primary Side Bar');
    await wb.page.locator('#workbench\\.parts\\.sidebar').waitFor({ state: 'hidden', timeout: 30_000 });
  });

  it('labels the months chart with months and their years ("Oct 2026", not "Oct 26") in the workbench\'s language', async () => {
    // The labels the chart draws on its axis, as the canvas carries them in `data-labels`.
    const lang = (await dashboard.locator('html').getAttribute('lang')) || 'en';
    const labels = JSON.parse((await dashboard.locator('canvas#months-chart').getAttribute('data-labels')) ?? '[]') as string[];
    // The running month says how far it was counted, as its entry in the month selector does.
    const upTo = /\((.+)\)$/.exec(await dashboard.locator(`#month-select option[value="${s.month}"]`).innerText())?.[1];
    assert.ok(upTo, 'the running month in the month selector does not say how far it was counted');
    assert.deepEqual(labels, [shortMonth(previous, lang), `${shortMonth(s.month, lang)} (${upTo})`]);
    for (const [label, month] of [[labels[0], previous], [labels[1], s.month]] as const) {
      assert.ok(label?.includes(month.slice(0, 4)), `${label} does not give ${month}'s year in full`);
    }
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
