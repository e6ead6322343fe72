// One story on every surface, as a person sees it: an org that cannot be reached (the error names its
// host and offers Try Again), adding the org after a wrong token (Try Again keeps the URL), updating
// its credential (the message says "updated"), the activity-bar icon next to VS Code's Accounts icon
// (drawn, their shapes differ), and the dashboard's layout from a 600 px wide window to a full screen
// in a light and a dark theme, with two users whose names and logins are 200 characters without a
// space. Nothing may make the dashboard page scroll sideways: tables wrap inside their cards.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { closedPortUrl, generateMonth, monthBounds, type LogEvent } from '../../fake-org';
import { startUiSession, type UiSession } from './session';
import { SCREENSHOT_DIR } from './workbench';

const WIDTHS = [1400, 600] as const;
const HEIGHT = 900;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How far each pixel of a screenshot is from its top-left pixel (the background), 0 to 1; the page decodes the PNG. */
async function inkOf(page: Page, png: Buffer): Promise<{ width: number; height: number; ink: number[] }> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const d = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const ink: number[] = [];
    for (let i = 0; i < d.length; i += 4) ink.push(Math.min(1, (Math.abs(d[i]! - d[0]!) + Math.abs(d[i + 1]! - d[1]!) + Math.abs(d[i + 2]! - d[2]!)) / 384));
    return { width: bitmap.width, height: bitmap.height, ink };
  }, png.toString('base64'));
}

/**
 * An icon's shape whatever its size, place and colour: its ink cropped to the box around the ink and
 * averaged into 12 × 12 cells. Two icons a person would mistake for each other (a person in a ring
 * drawn a little smaller) have shapes alike; the pixels themselves barely overlap.
 */
function shapeOf({ width, height, ink }: { width: number; height: number; ink: number[] }): number[] {
  const GRID = 12;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.3) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  assert.ok(x1 >= x0 && y1 >= y0, 'the icon has no ink');
  const sums = new Array<number>(GRID * GRID).fill(0);
  const counts = new Array<number>(GRID * GRID).fill(0);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const cell = Math.floor(((y - y0) * GRID) / (y1 - y0 + 1)) * GRID + Math.floor(((x - x0) * GRID) / (x1 - x0 + 1));
      sums[cell]! += ink[y * width + x]!;
      counts[cell]!++;
    }
  }
  return sums.map((sum, i) => sum / Math.max(1, counts[i]!));
}

/** 1 for the same shape, lower the more they differ. */
function similarity(a: number[], b: number[]): number {
  let [ab, aa, bb] = [0, 0, 0];
  a.forEach((x, i) => {
    ab += x * b[i]!;
    aa += x * x;
    bb += b[i]! * b[i]!;
  });
  return ab / Math.sqrt(aa * bb);
}

function monthTitle(month: string): string {
  return new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

interface HostileUser {
  id: string;
  displayName: string;
  login: string;
  sessions: number;
}

/** `count` successful sign-ins of `who`, spread evenly over [since, until). */
function signIns(template: LogEvent, who: HostileUser, since: number, until: number): LogEvent[] {
  return Array.from({ length: who.sessions }, (_, k) => ({
    ...template,
    uuid: `layout-${who.id}-${k}`,
    published: new Date(since + Math.floor(((until - since) * (k + 0.5)) / who.sessions)).toISOString(),
    actor: { ...template.actor, id: who.id, displayName: who.displayName, alternateId: who.login },
  }));
}

/** What the page inside the dashboard's webview measures: its width, how far it scrolls, and what sticks out. */
interface Measure {
  clientWidth: number;
  scrollWidth: number;
  /** Elements whose right edge passes the viewport's, as `tag#id.class (right)`. */
  wider: string[];
  /** Per table: its width and the width its card gives it. */
  tables: { id: string; width: number; cardInner: number; cardScrolls: boolean }[];
  hostileNames: number[];
}

async function measure(dashboard: FrameLocator): Promise<Measure> {
  return dashboard.locator('body').evaluate(() => {
    const root = document.scrollingElement!;
    const limit = root.clientWidth + 0.5;
    const wider = Array.from(document.querySelectorAll('#app *'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > limit; // hidden elements and <option>s have no box
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} (${Math.round(el.getBoundingClientRect().right)})`);
    // Tables of a view not shown (All orgs, while one org is shown) have no box to measure.
    const tables = Array.from(document.querySelectorAll('table')).filter((t) => t.getBoundingClientRect().width > 0).map((t) => {
      const card = t.closest('.panel') as HTMLElement;
      const style = getComputedStyle(card);
      const inner = card.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return { id: t.id, width: t.getBoundingClientRect().width, cardInner: inner, cardScrolls: card.scrollWidth > card.clientWidth };
    });
    const hostileNames = Array.from(document.querySelectorAll('tr[data-user-id^="00ulayout"] .name')).map((n) => (n.textContent ?? '').length);
    return { clientWidth: root.clientWidth, scrollWidth: root.scrollWidth, wider, tables, hostileNames };
  });
}

describe('one story: org messages, the activity-bar icon and the dashboard layout', function () {
  this.timeout(180_000);
  let s: UiSession;
  let host: string;
  let dashboard: FrameLocator;
  const hostile: HostileUser[] = [];

  before(async function () {
    this.timeout(180_000);
    s = await startUiSession({ users: 120, sessions: 900, latencyMs: 0 });
    host = new URL(s.org.url).host;
    // Two users whose names and logins are 200 characters with no space: the most active user of
    // the month, and the least active one (one sign-in; logins are the last tie-break, "z…" last).
    const top = Math.max(...Object.values(s.truth.users).map((u) => u.sessions));
    hostile.push(
      { id: '00ulayoutmost', displayName: 'M'.repeat(200), login: `${'m'.repeat(188)}@example.com`, sessions: top + 25 },
      { id: '00ulayoutleast', displayName: 'W'.repeat(200), login: `${'z'.repeat(188)}@example.com`, sessions: 1 },
    );
    const template = generateMonth({ month: s.month, seed: 4242, users: 1, sessions: 1 }).events.find((e) => e.eventType === 'user.session.start' && e.outcome?.result === 'SUCCESS');
    assert.ok(template, 'the generator made no sign-in to copy');
    const { since } = monthBounds(s.month);
    const until = Date.now() - 120_000;
    s.org.appendEvents(hostile.flatMap((who) => signIns(template, who, since, until)));
  });

  after(async () => {
    await s?.close();
  });

  it('names the host it could not reach when adding an org, in one line, and offers Try Again with the URL', async () => {
    const wb = s.workbench;
    const url = await closedPortUrl();
    const unreachable = new URL(url).host;
    await wb.runCommand('Okta: Add Org');
    await wb.answerInputBox('Add Okta org (1/3)', url);
    await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
    await wb.answerInputBox('Add Okta org (3/3)', 'a-token-for-nobody-0000');
    const error = await wb.notification(/could not reach/, 90_000);
    const message = await wb.messageOf(error);
    assert.match(message, new RegExp(`^could not reach ${escape(unreachable)}: connection refused \\(ECONNREFUSED\\); gave up on .+; check the org URL and the network, then try again$`));
    assert.ok(!message.includes('\n'), `more than one line: ${message}`);
    assert.ok(!message.includes('a-token-for-nobody-0000'), 'the error repeats the token');
    const tryAgain = error.locator('.monaco-button', { hasText: 'Try Again' });
    assert.equal(await tryAgain.count(), 1, 'the error does not offer Try Again');
    await wb.screenshot('org-00-unreachable');
    await tryAgain.click();
    await wb.waitForQuickInputTitle('Add Okta org (1/3)');
    assert.equal(await wb.quickInputBox.inputValue(), url, 'Try Again did not keep the URL');
    await wb.page.keyboard.press('Escape');
    await wb.quickInput.waitFor({ state: 'hidden', timeout: 30_000 });
    await wb.clearNotifications();
  });

  it('after a wrong token, Try Again asks again with the org URL already filled in', async () => {
    const wb = s.workbench;
    await wb.runCommand('Okta: Add Org');
    await wb.answerInputBox('Add Okta org (1/3)', s.org.url);
    await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
    await wb.answerInputBox('Add Okta org (3/3)', 'not-the-right-token-0000');
    const refused = await wb.notification(/rejected the API token/);
    assert.match(await wb.messageOf(refused), new RegExp(`^${host.replace(/\./g, '\\.')} rejected the API token .*create a new token under Security › API › Tokens and update the credential$`));
    await wb.screenshot('org-01-token-refused');
    await refused.locator('.monaco-button', { hasText: 'Try Again' }).click();
    await wb.waitForQuickInputTitle('Add Okta org (1/3)');
    assert.equal(await wb.quickInputBox.inputValue(), s.org.url, 'Try Again did not keep the URL');
    await wb.screenshot('org-02-try-again-keeps-url');
    await wb.page.keyboard.press('Enter');
    await wb.pickQuickItem('Add Okta org (2/3)', 'API token');
    await wb.answerInputBox('Add Okta org (3/3)', s.org.token);
    const added = await wb.notification(/added and active/);
    assert.equal(await wb.messageOf(added), `Okta MAU: ${host} added and active. Inactive and dormant users can be listed too.`);
  });

  it('says the credential was updated, not added, after Update Credential', async () => {
    const wb = s.workbench;
    await wb.clearNotifications();
    await wb.runCommand('Okta: Update Credential');
    await wb.pickQuickItem(`Update credential for ${host} (1/2)`, 'API token');
    await wb.answerInputBox(`Update credential for ${host} (2/2)`, s.org.token);
    const updated = await wb.notification(/ updated\. /);
    assert.equal(await wb.messageOf(updated), `Okta MAU: credential for ${host} updated. Inactive and dormant users can be listed too.`);
    await wb.screenshot('org-03-credential-updated');
  });

  it('shows an activity-bar icon of its own, not a second Accounts icon', async () => {
    const wb = s.workbench;
    await wb.clearNotifications();
    const ours = wb.page.locator('.activitybar .action-item', { has: wb.page.locator('a[aria-label^="Okta MAU"]') });
    const accounts = wb.page.locator('.activitybar .action-item', { has: wb.page.locator('a[aria-label^="Accounts"]') });
    await ours.waitFor();
    await accounts.waitFor();
    // Extension icons are drawn as a CSS mask of their SVG; Accounts is a codicon.
    const mask = await ours.locator('a').evaluate((a) => getComputedStyle(a).maskImage || getComputedStyle(a).webkitMaskImage);
    assert.match(mask, /okta-mau\.svg/);
    // Drawn, the two shapes differ. Measured here: 0.55 for this icon against Accounts, 0.88 for the
    // ring-and-person icon it replaced (media/okta-mau.svg before ce81b83), 0.86 to 0.96 for the
    // Accounts glyph itself drawn at 16 to 22 px. The control below keeps the measure honest.
    const accountsShape = shapeOf(await inkOf(wb.page, await accounts.locator('a').screenshot()));
    const oursShape = shapeOf(await inkOf(wb.page, await ours.locator('a').screenshot()));
    await accounts.evaluate((li) => {
      const copy = li.cloneNode(true) as HTMLElement;
      copy.id = 'okta-mau-test-accounts-20px';
      copy.querySelector('a')!.style.fontSize = '20px';
      document.querySelector('.activitybar .action-item a[aria-label^="Okta MAU"]')!.closest('ul')!.appendChild(copy);
    });
    const control = wb.page.locator('#okta-mau-test-accounts-20px');
    const lookAlikeShape = shapeOf(await inkOf(wb.page, await control.locator('a').screenshot()));
    await control.evaluate((copy) => copy.remove());
    const lookAlike = similarity(lookAlikeShape, accountsShape);
    assert.ok(lookAlike >= 0.8, `the Accounts icon drawn at 20 px scores only ${lookAlike.toFixed(2)} against itself: the measure cannot tell look-alikes`);
    const ownShape = similarity(oursShape, accountsShape);
    assert.ok(ownShape < 0.75, `the Okta MAU icon looks like the Accounts icon: similarity ${ownShape.toFixed(2)} (a look-alike scores about 0.9)`);
    await wb.screenshot('icon-workbench');
    await wb.page.locator('.part.activitybar').screenshot({ path: path.join(SCREENSHOT_DIR, 'icon-activity-bar.png') });
    await ours.screenshot({ path: path.join(SCREENSHOT_DIR, 'icon-okta-mau.png') });
    await accounts.screenshot({ path: path.join(SCREENSHOT_DIR, 'icon-accounts.png') });
  });

  it('counts the month, the two users with 200-character names included', async () => {
    const wb = s.workbench;
    await wb.runCommand('Okta: Count MAUs');
    const done = await wb.notification(/ MAU in /, 90_000);
    const mau = Number((await wb.messageOf(done)).split(': ')[1]!.split(' MAU')[0]!.replace(/[^\d]/g, ''));
    assert.equal(mau, s.truth.mau + hostile.length);
    assert.ok((await wb.messageOf(done)).includes(` MAU in ${monthTitle(s.month)}`));
    await wb.clearNotifications();
  });

  it('exports the format picked before the save dialog, whatever name is typed', async () => {
    const wb = s.workbench;
    // The typed name says CSV; JSON was picked, so the file holds JSON.
    const target = path.join(s.server.workspace, 'picked-json.csv');
    await wb.runCommand('Okta: Export Report…');
    await wb.pickQuickItem(`Export a report of ${host}`, monthTitle(s.month));
    await wb.waitForQuickInputTitle(`Export ${monthTitle(s.month)} of ${host}`);
    const choices = await wb.quickInput.locator('.monaco-list-row').allInnerTexts();
    assert.deepEqual(choices.map((c) => c.trim().split('\n')[0]), ['CSV', 'JSON']);
    await wb.screenshot('export-format-pick');
    await wb.pickQuickItem(`Export ${monthTitle(s.month)} of ${host}`, 'JSON');
    await wb.answerSaveDialog('Export MAU report', target, `-${s.month}.json`);
    // VS Code's simple save dialog adds the picked format's extension to a name without it.
    const exported = await wb.notification(/^Exported /);
    const written = /^Exported [\d,]+ users to (.+)\.$/.exec(await wb.messageOf(exported))?.[1];
    assert.ok(written && written.startsWith(target), `unexpected file: ${written}`);
    const doc = JSON.parse(readFileSync(written, 'utf8')) as { mau: number; users: { id: string }[] };
    assert.equal(doc.mau, s.truth.mau + hostile.length);
    assert.ok(doc.users.some((u) => u.id === '00ulayoutmost'));
    await wb.clearNotifications();
  });

  it('opens the dashboard with the two long-named users in its tables', async () => {
    const wb = s.workbench;
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.runCommand('Okta: Show MAU Dashboard');
    dashboard = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await dashboard.locator('#mau-value[data-value]').waitFor({ timeout: 30_000 });
    await dashboard.locator('#most-active tr[data-user-id="00ulayoutmost"]').waitFor();
    await dashboard.locator('#least-active tr[data-user-id="00ulayoutleast"]').waitFor();
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const width of theme === 'light' ? WIDTHS : [...WIDTHS].reverse()) {
      it(`lays the dashboard out without sideways scrolling at ${width} px in the ${theme} theme`, async () => {
        const wb = s.workbench;
        // The palette is driven at full width (Workbench.runCommand clicks at x = 700 first).
        await wb.page.setViewportSize({ width: Math.max(...WIDTHS), height: HEIGHT });
        await wb.clearNotifications();
        if (theme === 'dark' && !(await dashboard.locator('body.vscode-dark').count())) {
          await wb.runCommand('Preferences: Color Theme');
          await wb.quickInputBox.fill('Dark Modern');
          await wb.quickInput.locator('.monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^Dark Modern$/ }) }).first().click();
          await dashboard.locator('body.vscode-dark').waitFor({ timeout: 30_000 });
        }
        assert.equal(await dashboard.locator(`body.vscode-${theme}`).count(), 1, `the dashboard is not in the ${theme} theme`);
        await wb.page.setViewportSize({ width, height: HEIGHT });
        // The webview follows the window; wait until the page inside it has the new width.
        const deadline = Date.now() + 30_000;
        let m = await measure(dashboard);
        while ((width < 1000 ? m.clientWidth > width : m.clientWidth < 1000) && Date.now() < deadline) {
          await wb.page.waitForTimeout(100);
          m = await measure(dashboard);
        }
        assert.ok(width < 1000 ? m.clientWidth <= width : m.clientWidth >= 1000, `the webview is ${m.clientWidth} px wide in a ${width} px window`);
        // Charts and tables settle after a resize (a chart rebuilt for the theme change just before
        // may take a frame or two more on a busy machine): measure until two readings agree and
        // nothing sticks out, or the deadline passes and the assertions below say what did.
        for (let previous = ''; (JSON.stringify(m) !== previous || m.scrollWidth > m.clientWidth || m.wider.length > 0) && Date.now() < deadline; ) {
          previous = JSON.stringify(m);
          await wb.page.waitForTimeout(250);
          m = await measure(dashboard);
        }
        assert.deepEqual(m.hostileNames.sort(), [200, 200], 'the two users with 200-character names are not in the tables');
        const wider = `${m.wider.slice(0, 8).join(', ')}${m.wider.length > 8 ? ` and ${m.wider.length - 8} more` : ''}`;
        assert.ok(m.scrollWidth <= m.clientWidth, `the page scrolls sideways: ${m.scrollWidth} > ${m.clientWidth}; wider than the page: ${wider}`);
        assert.equal(m.wider.length, 0, `elements stick out past the viewport: ${wider}`);
        for (const t of m.tables) {
          assert.ok(t.width <= t.cardInner + 0.5, `#${t.id} (${t.width} px) is wider than its card (${t.cardInner} px)`);
          assert.equal(t.cardScrolls, false, `#${t.id} needs its card to scroll`);
        }
        await wb.page.mouse.move(5, 5);
        await wb.screenshot(`layout-${width}-${theme}-top`);
        await dashboard.locator('#most-active').scrollIntoViewIfNeeded();
        await wb.screenshot(`layout-${width}-${theme}-tables`);
        await dashboard.locator('body').evaluate(() => document.scrollingElement!.scrollTo(0, 0));
      });
    }
  }
});
