// The Users view as a person sees it during a running month: before anything is counted it offers
// no Filter or Sort; after the count the month row reads "so far · to <day>", never "complete"; a
// user's details name browsers and systems as people do; and a filter that finds no one says so in
// the tree, with the count on the month row; one user matching is said in the singular, as is a
// dormancy of one day; and a minute after the count, the month row and the status bar's tooltip say
// "1 min ago" instead of "just now". Screenshots: test-results/ui/tree-0*.png.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { startUiSession, type UiSession } from './session';

const STATUS_BAR_ID = 'okta-mau.okta-mau.oktaMau.status';

const HUMAN_BROWSERS = ['Chrome', 'Safari', 'Firefox', 'Edge'];
const HUMAN_SYSTEMS = ['Windows 10', 'macOS', 'Linux', 'iOS', 'Android'];

function monthTitle(month: string, withYear = true): string {
  return new Intl.DateTimeFormat('en', { month: 'long', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** `Dec 2`: the UTC day a count of the running month reaches. */
function dayOf(t: number): string {
  return new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(t));
}

describe('the Users view during a running month', function () {
  this.timeout(120_000);
  let s: UiSession;
  let host: string;
  let countStarted = 0;
  let countEnded = 0;

  /** A button in the view's title bar, by its command title. */
  const titleAction = (title: string): Locator => s.workbench.page.locator(`#workbench\\.parts\\.sidebar .title-actions a.action-label[aria-label^="${title}"]`);
  /** The day the count reached: the day it ran (either end, should it run across midnight UTC). */
  const countedDays = () => new Set([dayOf(countStarted), dayOf(countEnded)]);
  /** The status bar item's tooltip as a person reads it: hover, read, move away. */
  const statusTooltip = async (): Promise<string> => {
    const wb = s.workbench;
    const hover = await wb.hoverFor(wb.statusBarItem(STATUS_BAR_ID), 'Okta MAU');
    const text = await hover.innerText();
    await wb.unhover(hover);
    return text;
  };
  /** Sets a user setting as a person does in settings.json: Preferences: Open User Settings (JSON), edit, save. */
  const setUserSetting = async (key: string, value: unknown): Promise<void> => {
    const wb = s.workbench;
    const file = path.join(s.server.root, 'ud', 'User', 'settings.json');
    const settings = { ...(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), [key]: value };
    await wb.runCommand('Preferences: Open User Settings (JSON)');
    const lines = wb.page.locator('.editor-instance .view-lines', { hasText: 'workbench.startupEditor' }).first();
    await lines.click({ timeout: 30_000 });
    await wb.page.keyboard.press('Control+A');
    // One line: typed line breaks would be indented again by the editor.
    await wb.page.keyboard.insertText(JSON.stringify(settings));
    await wb.page.keyboard.press('Control+S');
    for (const deadline = Date.now() + 30_000; !readFileSync(file, 'utf8').includes(`"${key}"`); ) {
      assert.ok(Date.now() < deadline, `${key} was not saved to ${file}`);
      await wb.page.waitForTimeout(200);
    }
    await wb.runCommand('View: Close Editor');
  };
  const monthDescription = async (): Promise<string> => (await s.workbench.sideBarRow(monthTitle(s.month)).locator('.label-description').innerText()).trim();

  before(async function () {
    this.timeout(180_000);
    // Users for the Users API too, so the listed users' groups can be shown.
    s = await startUiSession({ users: 60, sessions: 300, latencyMs: 0, directory: { dormant: 10 } });
    host = new URL(s.org.url).host;
  });

  after(async () => {
    await s?.close();
  });

  it('offers no Filter or Sort before there are users to filter or sort', async () => {
    const wb = s.workbench;
    await wb.openViewContainer('Okta MAU');
    await wb.widenSideBar(620);
    await wb.page.locator('#workbench\\.parts\\.sidebar .welcome-view-content').first().waitFor({ timeout: 30_000 });
    assert.equal(await titleAction('Filter Users').count(), 0, 'Filter Users… is offered with no users to filter');
    assert.equal(await titleAction('Sort Users').count(), 0, 'Sort Users… is offered with no users to sort');
    await wb.screenshot('tree-01-nothing-to-filter');
  });

  it('calls the running month "so far", to the day it was counted, and offers Filter and Sort', async () => {
    const wb = s.workbench;
    await wb.runCommand('Okta: Add Org');
    await wb.waitForQuickInputTitle('Add Okta org (1/3)');
    await wb.quickInputBox.fill(s.org.url);
    await wb.page.keyboard.press('Enter');
    await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
    await wb.answerInputBox('Add Okta org (3/3)', s.org.token);
    await wb.notification(/added and active/);
    await wb.clearNotifications();
    countStarted = Date.now();
    await wb.runCommand('Okta: Count MAUs');
    await wb.notification(/ MAU in /, 90_000);
    countEnded = Date.now();
    await wb.clearNotifications();
    await wb.openViewContainer('Okta MAU');
    await wb.expandRow(host);
    const monthRow = wb.sideBarRow(monthTitle(s.month));
    await monthRow.waitFor({ timeout: 30_000 });
    const description = (await monthRow.locator('.label-description').innerText()).trim();
    const match = /^(.+) MAU so far · to (.+) · counted just now$/.exec(description);
    assert.ok(match, `the running month reads "${description}"`);
    assert.equal(Number(match[1]!.replace(/[^\d]/g, '')), s.truth.mau);
    assert.ok(countedDays().has(match[2]!), `counted "to ${match[2]}", not to the day of the count`);
    assert.ok(!/complete/.test(description), 'a running month is called complete');
    await titleAction('Filter Users').waitFor({ timeout: 30_000 });
    await titleAction('Sort Users').waitFor({ timeout: 30_000 });
    // The tooltip tells the same story.
    await monthRow.locator('.label-name').hover();
    const hover = wb.page.locator('.monaco-hover, .workbench-hover', { hasText: 'Month to date' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const tooltip = await hover.innerText();
    assert.match(tooltip, /MAU so far/);
    assert.match(tooltip, /The month is not over/);
    assert.doesNotMatch(tooltip, /Complete/);
    await wb.screenshot('tree-02-running-month');
    await wb.page.mouse.move(900, 500);
    // The status bar's tooltip says when too: just now (the last step of this suite waits a minute).
    assert.match(await statusTooltip(), /Counted just now/);
  });

  it("names a user's sessions, browser and system as people do", async () => {
    const wb = s.workbench;
    await wb.expandRow(monthTitle(s.month));
    // User rows say how many sessions; the month's first row offers to list the org's users instead.
    const users = wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="3"]', { has: wb.page.locator('.label-description', { hasText: / · [\d,]+ sessions?$/ }) });
    await users.first().waitFor({ timeout: 30_000 });
    // Most sessions first: the top user has several.
    assert.match(await users.first().locator('.label-description').innerText(), /· [\d,]+ sessions$/);
    // Least active first, through the title bar's Sort button: a one-session user says "1 session".
    await titleAction('Sort Users').click();
    await wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: 'Least active' }) }).first().click({ timeout: 30_000 });
    const once = users.first();
    await once.locator('.label-description', { hasText: / · 1 session$/ }).waitFor({ timeout: 30_000 });
    const [login] = (await once.locator('.label-description').innerText()).split(' · ');
    const truth = Object.values(s.truth.users).find((u) => u.login === login);
    assert.equal(truth?.sessions, 1, `${login} does not have one session`);
    // The tooltip: sessions and days in words, first and last seen with UTC said once, the client by name.
    await once.locator('.label-name').hover();
    const hover = wb.page.locator('.monaco-hover, .workbench-hover', { hasText: 'UTC' }).first();
    await hover.waitFor({ timeout: 30_000 });
    const tooltip = await hover.innerText();
    assert.match(tooltip, /1 session on 1 day/);
    // One sign-in: first and last seen are one instant, said once.
    assert.match(tooltip, /^Seen [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s[AP]M \(UTC\)$/m);
    assert.equal(tooltip.match(/UTC/g)?.length, 1, tooltip);
    assert.doesNotMatch(tooltip, /CHROME|SAFARI|FIREFOX|EDGE_CHROMIUM|Mac OS X/);
    await wb.screenshot('tree-03-user-tooltip');
    await wb.page.mouse.move(900, 500);
    await hover.waitFor({ state: 'hidden', timeout: 30_000 });
    await once.scrollIntoViewIfNeeded();
    await once.locator('.monaco-tl-twistie').click();
    const detail = async (name: string) => (await wb.sideBarRow(name).locator('.label-description').innerText()).trim();
    await wb.sideBarRow('Last OS').waitFor({ timeout: 30_000 });
    assert.ok(HUMAN_SYSTEMS.includes(await detail('Last OS')), `Last OS reads "${await detail('Last OS')}"`);
    if ((await wb.sideBarRow('Last browser').count()) > 0) {
      assert.ok(HUMAN_BROWSERS.includes(await detail('Last browser')), `Last browser reads "${await detail('Last browser')}"`);
    }
    assert.match(await detail('Last seen'), /^[A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s[AP]M$/);
    await wb.sideBarRow('Last seen').scrollIntoViewIfNeeded();
    await wb.screenshot('tree-04-user-details');
    await once.locator('.monaco-tl-twistie').click();
  });

  it('says in the tree when a filter finds no one, and shows the count on the month row', async () => {
    const wb = s.workbench;
    const needle = 'zz-nobody';
    await titleAction('Filter Users').click();
    await wb.answerInputBox('Filter users', needle);
    const noMatch = wb.sideBarRow(`No users match "${needle}" in ${monthTitle(s.month, false)}`);
    await noMatch.waitFor({ timeout: 30_000 });
    const monthRow = wb.sideBarRow(monthTitle(s.month));
    const description = (await monthRow.locator('.label-description').innerText()).trim();
    const match = new RegExp(`^0 of (.+) match "${needle}" · to (.+)$`).exec(description);
    assert.ok(match, `the filtered month reads "${description}"`);
    assert.equal(Number(match[1]!.replace(/[^\d]/g, '')), s.truth.mau);
    // The title bar now offers to clear the filter instead of setting one.
    await titleAction('Clear Filter').waitFor({ timeout: 30_000 });
    assert.equal(await titleAction('Filter Users').count(), 0);
    await wb.screenshot('tree-05-filter-no-match');
    await titleAction('Clear Filter').click();
    await noMatch.waitFor({ state: 'detached', timeout: 30_000 });
    assert.match((await monthRow.locator('.label-description').innerText()).trim(), / MAU so far · to /);
  });

  it('says "1 of N users matches" when a filter lets exactly one user through', async () => {
    const wb = s.workbench;
    // A login no other user's login or name contains, so exactly one user matches it.
    const people = Object.values(s.truth.users);
    const contains = (u: { login: string; displayName: string }, f: string) => u.login.toLowerCase().includes(f) || u.displayName.toLowerCase().includes(f);
    const needle = people.map((u) => u.login.toLowerCase()).find((f) => people.filter((u) => contains(u, f)).length === 1);
    assert.ok(needle, 'every login is part of another user\'s');
    await titleAction('Filter Users').click();
    await wb.answerInputBox('Filter users', needle);
    const monthRow = wb.sideBarRow(monthTitle(s.month));
    await monthRow.locator('.label-description', { hasText: `match "${needle}"` }).waitFor({ timeout: 30_000 });
    const description = await monthDescription();
    const match = new RegExp(`^1 of (.+) match "${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" · to .+$`).exec(description);
    assert.ok(match, `the filtered month reads "${description}"`);
    assert.equal(Number(match[1]!.replace(/[^\d]/g, '')), s.truth.mau);
    const users = wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="3"]', { has: wb.page.locator('.label-description', { hasText: / · [\d,]+ sessions?$/ }) });
    await users.locator('.label-description', { hasText: `${needle} · ` }).waitFor({ timeout: 30_000 });
    assert.equal(await users.count(), 1);
    // The view's message names the filter; it pushes the rows down a line, so wait for it before hovering one.
    await wb.page.locator('#workbench\\.parts\\.sidebar').getByText(`Users matching "${needle}"`).waitFor({ timeout: 30_000 });
    const hover = await wb.hoverFor(monthRow.locator('.label-name'), `Filter "${needle}"`);
    const tooltip = await hover.innerText();
    assert.match(tooltip, new RegExp(`Filter "${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": 1 of ${s.truth.mau.toLocaleString('en-US')} users matches$`, 'm'));
    assert.doesNotMatch(tooltip, /1 of [\d,]+ users match$/m);
    await wb.unhover(hover);
    await titleAction('Clear Filter').click();
    await monthRow.locator('.label-description', { hasText: ' MAU so far · to ' }).waitFor({ timeout: 30_000 });
  });

  it('says "more than 1 day" in the dormant group\'s tooltip when users are dormant after one day', async () => {
    const wb = s.workbench;
    await setUserSetting('oktaMau.dormantDays', 1);
    await wb.clearNotifications();
    await wb.runCommand('Okta: List Users (Inactive and Dormant)');
    await wb.notification(/^Okta MAU: listed /, 90_000);
    await wb.clearNotifications();
    const dormant = wb.sideBarRow(/^Dormant for 1 day \([\d,]+\)$/);
    await dormant.waitFor({ timeout: 30_000 });
    const hover = await wb.hoverFor(dormant.locator('.label-name'), 'oktaMau.dormantDays');
    const tooltip = await hover.innerText();
    assert.match(tooltip, /^Dormant for 1 day \([\d,]+\)$/m);
    assert.match(tooltip, /is more than 1 day before the listing, or who never signed in\./);
    assert.doesNotMatch(tooltip, /\b1 days\b/);
    await wb.screenshot('tree-06-dormant-one-day');
    await wb.unhover(hover);
  });

  it('turns "counted just now" into "1 min ago" on the month row and in the status bar\'s tooltip a minute after the count', async function () {
    // Both redraw once a minute, the minute starting when the count was saved. Bounds are wide: a
    // timer can fire late on a busy machine, never early; the wait ends when the row changes.
    this.timeout(180_000);
    const wb = s.workbench;
    const started = Date.now();
    const before = await monthDescription();
    // Inside the count's first minute the row must still say "just now" (on a machine so slow that
    // the steps above took a minute, it may already have changed). From here on nothing is touched,
    // so only the view's timer can change it.
    if (started - countStarted < 55_000) assert.match(before, / · counted just now$/, `${Math.round((started - countStarted) / 1000)} s after the count`);
    const deadline = countEnded + 60_000 + 60_000;
    await wb.page.waitForFunction(
      ([title, pattern]) =>
        Array.from(document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row')).some(
          (row) => row.querySelector('.label-name')?.textContent?.includes(title) && new RegExp(pattern).test(row.querySelector('.label-description')?.textContent?.trim() ?? ''),
        ),
      [monthTitle(s.month), ' · counted \\d+ min ago$'] as const,
      { timeout: Math.max(10_000, deadline - Date.now()), polling: 250 },
    );
    const changedAt = Date.now();
    const after = await monthDescription();
    const minutes = Number(/ · counted (\d+) min ago$/.exec(after)?.[1]);
    assert.ok(minutes >= 1 && minutes <= Math.floor((changedAt - countStarted) / 60_000), `"${after}" ${Math.round((changedAt - countStarted) / 1000)} s after the count started`);
    assert.equal(after.replace(/ · counted .+$/, ''), before.replace(/ · counted .+$/, ''), 'only the time changed');
    await wb.screenshot('tree-07-counted-a-minute-ago');
    // The status bar's minute starts at the same save: its tooltip changes with the row, give or take
    // the hover's own delay (up to 20 s allowed; its old timer could lag a whole minute).
    let tooltip = await statusTooltip();
    while (/Counted just now/.test(tooltip) && Date.now() - changedAt < 20_000) {
      await wb.page.waitForTimeout(1_000);
      tooltip = await statusTooltip();
    }
    const counted = /Counted (\d+) min ago/.exec(tooltip);
    assert.ok(counted, `the status bar's tooltip still reads ${JSON.stringify(tooltip)} ${Math.round((Date.now() - countEnded) / 1000)} s after the count`);
    assert.ok(Number(counted[1]) >= 1 && Number(counted[1]) <= Math.floor((Date.now() - countStarted) / 60_000), tooltip);
  });
});
