// Inactive and dormant users as a person sees them, in the packed .vsix: Add Org says the users can
// be listed, a counted month offers to list them (in the tree and on the dashboard's Licences card,
// whose button lists them), Okta: List Users lists them from the palette, and the month row's
// "Not active in <month> so far (N)" and the card's licensed, active and used hold the fake org's
// ground truth, and the card's "Dormant for 90 days: N" the tree's "Dormant for 90 days (N)".
// Screenshots: test-results/ui/inactive-0*.png (inactive-04-licences-card.png: the card).
import * as assert from 'node:assert/strict';
import path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { BILLABLE_STATUSES } from '../../../src/core/users';
import { dormantUsers, inactiveInMonth, monthBounds } from '../../fake-org';
import { startUiSession, type UiSession } from './session';
import { SCREENSHOT_DIR } from './workbench';

function monthTitle(month: string, withYear = true): string {
  return new Intl.DateTimeFormat('en', { month: 'long', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

const n = (v: number) => v.toLocaleString('en-US');

describe('inactive and dormant users in the workbench', function () {
  this.timeout(120_000);
  let s: UiSession;
  let host: string;
  let dashboard: FrameLocator;
  /** When the users were last listed (from the palette), for the dormant users' ground truth. */
  let listedAt = 0;
  /** The running month's licensed users, those without a counted sign-in up to now, and the share used, from the ground truth. */
  const expectedLicences = () => {
    const licensed = s.users.filter((u) => (BILLABLE_STATUSES as readonly string[]).includes(u.status)).length;
    const inactive = inactiveInMonth(s.users, s.events, { since: monthBounds(s.month).since, until: Date.now(), statuses: [...BILLABLE_STATUSES] }).length;
    const active = licensed - inactive;
    return { licensed, active, inactive, percent: n(Math.floor((active * 1000) / licensed) / 10) };
  };

  before(async function () {
    this.timeout(180_000);
    s = await startUiSession({ users: 60, sessions: 300, latencyMs: 0, directory: { dormant: 40, hostileNames: 1 } });
    host = new URL(s.org.url).host;
  });

  after(async () => {
    await s?.close();
  });

  it('says when the org is added that inactive users can be listed, and offers to list them under the counted month', async () => {
    const wb = s.workbench;
    await wb.openViewContainer('Okta MAU');
    await wb.widenSideBar(620);
    await wb.runCommand('Okta: Add Org');
    await wb.waitForQuickInputTitle('Add Okta org (1/3)');
    await wb.quickInputBox.fill(s.org.url);
    await wb.page.keyboard.press('Enter');
    await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
    await wb.answerInputBox('Add Okta org (3/3)', s.org.token);
    const added = await wb.notification(/added and active/);
    assert.equal(await wb.messageOf(added), `Okta MAU: ${host} added and active. Inactive and dormant users can be listed too.`);
    await wb.clearNotifications();
    await wb.runCommand('Okta: Count MAUs');
    await wb.notification(/ MAU in /, 90_000);
    await wb.clearNotifications();
    await wb.openViewContainer('Okta MAU');
    await wb.expandRow(host);
    await wb.expandRow(monthTitle(s.month));
    const offer = wb.sideBarRow('List users to see who is not active');
    await offer.waitFor({ timeout: 30_000 });
    assert.equal((await offer.locator('.label-description').innerText()).trim(), 'click to list users');
    await wb.screenshot('inactive-01-offer-to-list');
  });

  it("offers on the dashboard's Licences card to list the users, and shows licensed, active and used once its button has listed them", async () => {
    const wb = s.workbench;
    await wb.runCommand('Okta: Show MAU Dashboard');
    // VS Code nests a webview: an outer iframe (class "webview ready") holding the content frame.
    dashboard = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const card = dashboard.locator('#licences-card');
    await card.locator('#licences-status', { hasText: 'not listed yet' }).waitFor({ timeout: 30_000 });
    assert.equal(await card.getAttribute('data-state'), 'notListed');
    assert.equal((await card.locator('#licences-value').innerText()).trim(), '–');
    assert.equal(
      (await card.locator('#licences-status').innerText()).trim(),
      "The org's users are not listed yet: list them (Users API, okta.users.read) to see who holds a licence without signing in.",
    );
    await wb.page.mouse.move(5, 5);
    await wb.screenshot('inactive-03-dashboard-not-listed');

    await card.locator('button#list-users', { hasText: 'List Users' }).click();
    const listed = await wb.notification(/^Okta MAU: listed /, 90_000);
    assert.ok((await wb.messageOf(listed)).endsWith(` of ${host}.`), await wb.messageOf(listed));
    await wb.clearNotifications();
    // The open dashboard follows the listing: no reload, no click.
    await dashboard.locator('#licences-card[data-state="listed"]').waitFor({ timeout: 30_000 });
    const e = expectedLicences();
    assert.deepEqual(
      [await card.getAttribute('data-licensed'), await card.getAttribute('data-active'), await card.getAttribute('data-inactive')].map(Number),
      [e.licensed, e.active, e.inactive],
    );
    assert.equal(await card.locator('button#list-users').isVisible(), false, 'the button stays once the users are listed');
  });

  it('lists the users from the palette and shows "Not active in <month> so far (N)" with the ground truth', async () => {
    const wb = s.workbench;
    await wb.runCommand('Okta: List Users (Inactive and Dormant)');
    const listed = await wb.notification(/^Okta MAU: listed /, 90_000);
    const billable = s.users.filter((u) => (BILLABLE_STATUSES as readonly string[]).includes(u.status));
    assert.equal(await wb.messageOf(listed), `Okta MAU: listed ${billable.length.toLocaleString('en-US')} users of ${host}.`);
    await wb.clearNotifications();

    // The running month's inactive users: billable, with no counted sign-in from the 1st up to now.
    const expected = inactiveInMonth(s.users, s.events, { since: monthBounds(s.month).since, until: Date.now(), statuses: [...BILLABLE_STATUSES] });
    assert.ok(expected.length > 0, 'the fake org has no inactive users');
    const title = `Not active in ${monthTitle(s.month, false)} so far (${expected.length.toLocaleString('en-US')})`;
    const row = wb.sideBarRow(title);
    await row.waitFor({ timeout: 30_000 });
    assert.equal((await row.locator('.label-name').innerText()).trim(), title);
    assert.equal((await row.locator('.label-description').innerText()).trim(), 'users listed just now');
    assert.equal(await wb.sideBarRow('List users to see who is not active').count(), 0, 'the offer to list stays after listing');

    listedAt = Date.now();
    const dormant = dormantUsers(s.users, { days: 90, at: listedAt, statuses: [...BILLABLE_STATUSES] });
    await wb.sideBarRow(`Dormant for 90 days (${dormant.length.toLocaleString('en-US')})`).waitFor({ timeout: 30_000 });

    // Its users: name and login with the last sign-in, or "never signed in".
    await wb.expandRow(title);
    const users = wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="4"]');
    await users.first().waitFor({ timeout: 30_000 });
    assert.match((await users.first().locator('.label-description').innerText()).trim(), / · (never signed in|last signed in [A-Z][a-z]{2} \d{1,2}, \d{4})$/);
    await wb.screenshot('inactive-02-not-active-so-far');
  });

  it("tells on the dashboard's Licences card the story of the tree: licensed, active, used, not active so far and dormant", async () => {
    const wb = s.workbench;
    const e = expectedLicences();
    const card = dashboard.locator('#licences-card[data-state="listed"]');
    await card.waitFor({ timeout: 30_000 });
    assert.equal((await card.locator('.label').innerText()).trim(), 'Licences used');
    assert.equal((await card.locator('#licences-value').innerText()).trim(), `${e.percent}%`);
    assert.equal((await card.locator('#licences-split').innerText()).trim(), `${n(e.licensed)} licensed · ${n(e.active)} active`);
    // The same number as the tree's "Not active in <month> so far (N)".
    const inactive = `${n(e.inactive)} not active in ${monthTitle(s.month, false)} so far`;
    assert.equal((await card.locator('#licences-inactive').innerText()).trim(), inactive);
    const notActive = wb.sideBarRow(`Not active in ${monthTitle(s.month, false)} so far (${n(e.inactive)})`);
    await notActive.waitFor({ timeout: 30_000 });
    // The same number as the tree's "Dormant for 90 days (N)" (oktaMau.dormantDays) and the ground truth. The
    // tree draws only the rows in sight: fold the users of "Not active" away so the dormant row is one of them.
    if ((await notActive.getAttribute('aria-expanded')) === 'true') await notActive.locator('.monaco-tl-twistie').click();
    const dormant = dormantUsers(s.users, { days: 90, at: listedAt, statuses: [...BILLABLE_STATUSES] }).length;
    assert.ok(dormant > 0 && dormant < e.licensed, `${dormant} of ${e.licensed} dormant: the fixture says nothing`);
    const dormantRow = wb.sideBarRow(/^Dormant for 90 days \([\d,]+\)$/);
    await dormantRow.waitFor({ timeout: 30_000 });
    const treeDormant = (await dormantRow.locator('.label-name').innerText()).trim();
    const cardDormant = card.locator('#licences-dormant');
    const cardText = (await cardDormant.innerText()).trim();
    assert.equal(treeDormant, `Dormant for 90 days (${n(dormant)})`);
    assert.equal(cardText, `Dormant for 90 days: ${n(dormant)}`);
    assert.equal(cardText.replace(/^(.*): ([\d,]+)$/, '$1 ($2)'), treeDormant);
    assert.deepEqual([await cardDormant.getAttribute('data-days'), await cardDormant.getAttribute('data-value')].map(Number), [90, dormant]);
    assert.match((await card.locator('#licences-status').innerText()).trim(), /^users listed [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}\s[AP]M$/);
    await wb.page.mouse.move(5, 5);
    await card.screenshot({ path: path.join(SCREENSHOT_DIR, 'inactive-04-licences-card.png') });
    await wb.screenshot('inactive-05-dashboard-licences');
  });
});
