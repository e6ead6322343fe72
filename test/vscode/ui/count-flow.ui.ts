// A person's first use of Okta MAU, clicked through the real workbench: add an org, count the
// month, read the status bar, browse the users, export a report. Every number on screen is
// checked against the fake org's ground truth. The steps build on each other, in order.
import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../run-common';
import { startUiSession, type UiSession } from './session';

const STATUS_BAR_ID = 'okta-mau.okta-mau.oktaMau.status';

/**
 * The exported CSV's header, written out here rather than taken from the product: a user's columns
 * as the tree shows them, the last sign-in's city and device included (src/core/format.ts CSV_COLUMNS).
 */
const CSV_HEADER = ['id', 'login', 'displayName', 'sessions', 'activeDays', 'firstSeen', 'lastSeen', 'lastIp', 'lastCountry', 'lastBrowser', 'lastOs', 'lastCity', 'lastDevice'];

function digits(text: string): number {
  return Number(text.replace(/[^\d]/g, ''));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function monthTitle(month: string): string {
  return new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

describe('Okta MAU in the workbench', function () {
  this.timeout(120_000);
  let s: UiSession;
  let host: string;

  before(async function () {
    this.timeout(180_000);
    // Enough events for several pages, and latency so the progress notification is on screen for seconds.
    s = await startUiSession({ users: 400, sessions: 4000, latencyMs: 400 });
    host = new URL(s.org.url).host;
  });

  after(async () => {
    await s?.close();
  });

  it('adds the fake org through the Add Org input boxes', async () => {
    const wb = s.workbench;
    await wb.runCommand('Okta: Add Org');
    await wb.waitForQuickInputTitle('Add Okta org (1/3)');
    await wb.quickInputBox.fill(s.org.url);
    await wb.screenshot('01-add-org-url');
    await wb.page.keyboard.press('Enter');
    await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
    await wb.answerInputBox('Add Okta org (3/3)', s.org.token);
    const added = await wb.notification(/added and active/);
    // The fake org answers the Users API too (with no users), so inactive users could be listed.
    assert.equal(await wb.messageOf(added), `Okta MAU: ${host} added and active. Inactive and dormant users can be listed too.`);
    // The credential was checked against the org before it was stored.
    assert.ok(s.org.requests.some((r) => r.endpoint === 'logs' && r.status === 200), 'no System Log request reached the org');
  });

  it('counts MAUs behind a progress notification and shows the ground truth in the status bar', async () => {
    const wb = s.workbench;
    await wb.clearNotifications();
    await wb.runCommand('Okta: Count MAUs');
    // The title names the org and month; the message after it shows pages, events and users as they come.
    const progress = await wb.notification(new RegExp(`^Okta MAU: counting ${escape(host)}, ${monthTitle(s.month)}: .*\\d+ users`));
    await wb.screenshot('02-count-progress');
    assert.equal(await progress.locator('.monaco-button', { hasText: 'Cancel' }).count(), 1, 'the progress notification has no Cancel button');
    const done = await wb.notification(/ MAU in /, 90_000);
    // The current month, counted while it runs: the number is so far, to today.
    const announced = /: ([\d,]+) MAU in (.+) so far \(to [A-Z][a-z]{2} \d{1,2}, UTC\)\.$/.exec(await wb.messageOf(done));
    assert.ok(announced, `unexpected announcement: ${await wb.messageOf(done)}`);
    assert.equal(digits(announced[1]), s.truth.mau);
    assert.equal(announced[2], monthTitle(s.month));
    const item = wb.statusBarItem(STATUS_BAR_ID);
    await wb.page.waitForFunction(
      (id) => /\d MAU/.test(document.getElementById(id)?.textContent ?? ''),
      STATUS_BAR_ID,
      { timeout: 30_000 },
    );
    const text = (await item.innerText()).trim();
    assert.match(text, /^[\d,.\s\u00a0]+ MAU so far$/);
    assert.equal(digits(text), s.truth.mau);
    assert.equal(await item.locator('.codicon-person').count(), 1, 'the status bar item lost its $(person) icon');
    // Its tooltip tells which org and month the number belongs to.
    await wb.clearNotifications();
    await item.hover();
    const hover = wb.page.locator('.monaco-hover', { hasText: `${monthTitle(s.month)}: ${text.replace(/ MAU so far$/, '')} MAU so far` });
    await hover.waitFor({ timeout: 30_000 });
    assert.match(await hover.innerText(), new RegExp(`Okta MAU · ${escape(host)}`));
    await wb.screenshot('03-status-bar');
    await wb.page.mouse.move(700, 300);
  });

  it('lists org → month → users in the Okta MAU view, with each user\'s real activity', async () => {
    const wb = s.workbench;
    await wb.openViewContainer('Okta MAU');
    await wb.widenSideBar(560);
    await wb.expandRow(host);
    const monthRow = await wb.expandRow(monthTitle(s.month));
    const monthDescription = await monthRow.locator('.label-description').innerText();
    assert.equal(digits(monthDescription.split(' MAU')[0]), s.truth.mau);
    // The first user under the month: its label, login and session count are the org's.
    // A user row says how many sessions; the month's first row offers to list the org's users instead.
    const userRow = wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="3"]', { has: wb.page.locator('.label-description', { hasText: / · [\d,]+ sessions?$/ }) }).first();
    await userRow.waitFor();
    const [login, sessions] = (await userRow.locator('.label-description').innerText()).split(' · ');
    const truthUser = Object.entries(s.truth.users).find(([, u]) => u.login === login);
    assert.ok(truthUser, `${login} is not an active user of the fake org`);
    const [userId, expected] = truthUser;
    assert.equal(digits(sessions), expected.sessions);
    assert.equal((await userRow.locator('.label-name').innerText()).trim(), expected.displayName || expected.login);
    await userRow.locator('.monaco-tl-twistie').click();
    const idRow = wb.sideBarRow('User ID');
    await idRow.waitFor();
    assert.equal((await idRow.locator('.label-description').innerText()).trim(), userId);
    const daysRow = wb.sideBarRow('Active days');
    assert.equal(digits(await daysRow.locator('.label-description').innerText()), expected.activeDays);
    await wb.screenshot('04-users-tree');
  });

  it('exports the month to a CSV file with one row per active user', async () => {
    const wb = s.workbench;
    const target = path.join(s.server.workspace, 'okta-mau-report.csv');
    await wb.runCommand('Okta: Export Report…');
    await wb.pickQuickItem(`Export a report of ${host}`, monthTitle(s.month));
    await wb.pickQuickItem(`Export ${monthTitle(s.month)} of ${host}`, 'CSV');
    // code-server's save dialog is VS Code's simple file dialog: a quick input holding a path.
    await wb.answerSaveDialog('Export MAU report', target, `-${s.month}.csv`);
    const exported = await wb.notification(/^Exported /);
    assert.equal(await wb.messageOf(exported), `Exported ${s.truth.mau.toLocaleString('en')} users to ${target}.`);
    // The notification's Open shows the written file in an editor.
    await exported.locator('.monaco-button', { hasText: 'Open' }).click();
    await wb.page.locator('.editor-instance .view-lines', { hasText: 'id,login,displayName' }).waitFor();
    await wb.screenshot('05-exported');
    // Excel reads it as UTF-8 only with the byte order mark: EF BB BF, the file's first three bytes.
    const bytes = readFileSync(target);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV does not start with a UTF-8 byte order mark');
    const [header, ...records] = parse(bytes.subarray(3).toString('utf8')) as string[][];
    assert.deepEqual(header, CSV_HEADER);
    const rows = records.map((r) => Object.fromEntries(CSV_HEADER.map((column, i) => [column, r[i]!])));
    assert.equal(rows.length, s.truth.mau);
    const expected = Object.entries(s.truth.users).map(([id, u]) => `${id} ${u.login}`).sort();
    assert.deepEqual(rows.map((r) => `${r.id} ${r.login}`).sort(), expected);
    // Each user's activity is the org's; the city is where their last sign-in came from.
    for (const r of rows) {
      const u = s.truth.users[r.id!]!;
      assert.deepEqual([r.displayName, Number(r.sessions), Number(r.activeDays), r.firstSeen, r.lastSeen], [u.displayName, u.sessions, u.activeDays, u.firstSeen, u.lastSeen], r.login);
      const lastSignIns = s.events.filter((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS' && e.actor.id === r.id && Date.parse(e.published) === Date.parse(u.lastSeen));
      const cities = lastSignIns.map((e) => e.client?.geographicalContext?.city ?? '');
      assert.ok(cities.includes(r.lastCity!), `${r.login}: lastCity "${r.lastCity}", the last sign-in came from ${JSON.stringify(cities)}`);
    }
    assert.ok(rows.filter((r) => r.lastCity).length > rows.length / 2, 'most users have no city');
  });

  it('says which org refused, in Okta\'s words, with the request id and what to do, when Okta refuses the token', async () => {
    const wb = s.workbench;
    await wb.clearNotifications();
    s.org.injectFault({ kind: 'revoked', endpoint: 'logs' });
    await wb.runCommand('Okta: Count MAUs');
    const error = await wb.notification(/rejected the API token/);
    const message = await wb.messageOf(error);
    assert.match(message, new RegExp(`^${escape(host)} rejected the API token \\(HTTP 401 E0000011: Invalid token provided\\) \\(request id [\\w-]+\\): it is wrong, expired or revoked; create a new token under Security › API › Tokens and update the credential$`));
    assert.ok(!message.includes(s.org.token), 'the token is not shown');
    assert.equal(await error.locator('.monaco-button', { hasText: 'Update Credential' }).count(), 1, 'the error offers the fix');
    await wb.screenshot('06-token-refused');
  });

  // VS Code 1.100 (code-server and desktop alike, extensionEditor.ts renderBody) renders the README
  // in a webview whose Content-Security-Policy is `img-src https: data:`, with no base URL: a
  // relative image never loads there, so the packed README inlines them (scripts/pack-readme.mjs).
  it("shows every image of the README on the extension's details page", async () => {
    const wb = s.workbench;
    const references = (readFileSync(path.join(repoRoot, 'README.md'), 'utf8').match(/!\[/g) ?? []).length;
    await wb.runCommand('View: Show Extensions');
    await wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'Okta MAU' }).first().click({ timeout: 30_000 });
    const readme = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await readme.locator('img').first().waitFor({ timeout: 30_000 });
    // decode() settles once an image has loaded or failed.
    const images = await readme.locator('img').evaluateAll(async (elements) => {
      const imgs = elements as HTMLImageElement[];
      await Promise.all(imgs.map((img) => img.decode().catch(() => undefined)));
      return imgs.map((img) => ({ src: (img.getAttribute('src') ?? '').slice(0, 80), width: img.naturalWidth }));
    });
    assert.ok(images.length >= references, `the details page shows ${images.length} images; the README has ${references}`);
    assert.deepEqual(images.filter((img) => img.width === 0).map((img) => img.src), [], 'images that did not load on the details page');
    await wb.screenshot('07-details-readme');
  });
});
