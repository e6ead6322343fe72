// The VS Code workbench as a person drives it: command palette, input boxes, quick picks,
// notifications, the status bar and the side bar tree. Every step waits for an element, never
// for a fixed time, so a slow machine only makes the run slower.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../run-common';

export const SCREENSHOT_DIR = path.join(repoRoot, 'test-results', 'ui');
const STEP_TIMEOUT_MS = 30_000;

export class Workbench {
  constructor(readonly page: Page) {}

  /**
   * Opens the workbench and waits until the extension's contributions are in: the command palette
   * lists only the commands known when it opens, and installed extensions are scanned seconds
   * after the workbench appears. The activity-bar entry `viewContainerTitle` is the sign.
   */
  async open(url: string, workspace: string, viewContainerTitle: string): Promise<void> {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.part.statusbar .statusbar-item').first().waitFor({ timeout: 60_000 });
    await this.activityBarEntry(viewContainerTitle).waitFor({ timeout: 60_000 });
  }

  activityBarEntry(title: string): Locator {
    return this.page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  /** F1, type the command's palette title, pick the row whose label is exactly that title. */
  async runCommand(title: string): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } }).catch(() => undefined);
    await this.page.keyboard.press('F1');
    await this.quickInputBox.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await this.quickInputBox.fill(`>${title}`);
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: title }) });
    await row.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await row.first().click();
  }

  /** Waits for an input box whose title contains `title`, types `value` and accepts it. */
  async answerInputBox(title: string | RegExp, value: string): Promise<void> {
    await this.waitForQuickInputTitle(title);
    await this.quickInputBox.fill(value);
    await this.page.keyboard.press('Enter');
  }

  /** Waits for a quick pick titled `title` and picks the row labelled `label`. */
  async pickQuickItem(title: string | RegExp, label: string): Promise<void> {
    await this.waitForQuickInputTitle(title);
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) });
    await row.first().click({ timeout: STEP_TIMEOUT_MS });
  }

  async waitForQuickInputTitle(title: string | RegExp): Promise<void> {
    await this.quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  }

  /** The toast whose message matches; waits until it has finished sliding in (for screenshots). */
  async notification(text: string | RegExp, timeout = STEP_TIMEOUT_MS): Promise<Locator> {
    const toast = this.page
      .locator('.notifications-toasts .notification-toast.notification-fade-in-done .notification-list-item', {
        has: this.page.locator('.notification-list-item-message', { hasText: text }),
      })
      .first();
    await toast.waitFor({ state: 'visible', timeout });
    return toast;
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  }

  /**
   * Types a path into VS Code's simple file dialog (code-server's save dialog). The dialog first
   * shows the folder, then fills in the default file name once the folder is read; typing before
   * that is overwritten, so wait for the default (`defaultEnding`) to arrive.
   */
  async answerSaveDialog(title: string, target: string, defaultEnding: string): Promise<void> {
    await this.waitForQuickInputTitle(title);
    await this.page.waitForFunction(
      ([selector, ending]) => (document.querySelector(selector) as HTMLInputElement | null)?.value.endsWith(ending) === true,
      ['.quick-input-widget .quick-input-box input', defaultEnding] as const,
      { timeout: STEP_TIMEOUT_MS },
    );
    await this.quickInputBox.fill(target);
    await this.page.keyboard.press('Enter');
  }

  /** The message line of a notification (without its source and buttons). */
  async messageOf(toast: Locator): Promise<string> {
    return (await toast.locator('.notification-list-item-message').innerText()).trim();
  }

  /** Status bar items carry `<publisher>.<name>.<itemId>` as their DOM id (dots and all). */
  statusBarItem(id: string): Locator {
    return this.page.locator(`[id="${id}"]`);
  }

  /** Opens the activity-bar container whose title starts with `title`. */
  async openViewContainer(title: string): Promise<void> {
    const action = this.activityBarEntry(title);
    await action.waitFor({ timeout: STEP_TIMEOUT_MS });
    const item = this.page.locator('.activitybar .action-item', { has: this.page.locator(`a[aria-label^="${title}"]`) });
    if (!(await item.getAttribute('class'))?.includes('checked')) await action.click();
  }

  /** Drags the side bar's edge so long tree labels fit (screenshots for the README). */
  async widenSideBar(width: number): Promise<void> {
    const sidebar = await this.page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (!sidebar) return;
    const edge = sidebar.x + sidebar.width;
    const y = sidebar.y + sidebar.height / 2;
    await this.page.mouse.move(edge, y);
    await this.page.mouse.down();
    await this.page.mouse.move(sidebar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  sideBarRow(label: string | RegExp): Locator {
    return this.page
      .locator('#workbench\\.parts\\.sidebar .monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) })
      .first();
  }

  /** Expands a tree row (clicking the twistie only toggles; a collapsed row has aria-expanded=false). */
  async expandRow(label: string | RegExp): Promise<Locator> {
    const row = this.sideBarRow(label);
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await this.page.waitForFunction(
        (el) => el?.getAttribute('aria-expanded') === 'true',
        await row.elementHandle(),
        { timeout: STEP_TIMEOUT_MS },
      );
    }
    return row;
  }

  /**
   * Hovers `target` until a hover holding `text` shows, and returns it. A row redrawn under a still
   * mouse drops its hover and no new one comes, so the mouse moves off and back until one shows.
   */
  async hoverFor(target: Locator, text: string | RegExp, timeout = STEP_TIMEOUT_MS): Promise<Locator> {
    const hover = this.page.locator('.monaco-hover, .workbench-hover', { hasText: text }).first();
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.page.mouse.move(900, 500);
      await target.hover({ timeout: Math.max(1_000, deadline - Date.now()) });
      try {
        await hover.waitFor({ timeout: Math.max(1_000, Math.min(5_000, deadline - Date.now())) });
        return hover;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  }

  /** Moves the mouse off a hover and waits until it is gone. */
  async unhover(hover: Locator): Promise<void> {
    await this.page.mouse.move(900, 500);
    await hover.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
