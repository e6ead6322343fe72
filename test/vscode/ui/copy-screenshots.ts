// `npm run screenshots`: copies the UI tests' chosen screenshots into media/screenshots/, where
// the README links them. Run `npm run test:vscode:ui` first; it writes test-results/ui/*.png.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../run-common';
import { SCREENSHOT_DIR } from './workbench';

/** test-results/ui name → media/screenshots name. */
const CHOSEN: Record<string, string> = {
  '01-add-org-url.png': 'add-org.png',
  '02-count-progress.png': 'count-progress.png',
  'month-story-1-status-bar-tooltip.png': 'status-bar-months.png',
  'tree-05-filter-no-match.png': 'users-filter.png',
  'layout-600-dark-top.png': 'dashboard-narrow-dark.png',
  '04-users-tree.png': 'users-tree.png',
  '05-exported.png': 'export.png',
  'dashboard.png': 'dashboard.png',
  'dashboard-dark.png': 'dashboard-dark.png',
  'inactive-02-not-active-so-far.png': 'users-inactive.png',
  'dashboard-projection.png': 'dashboard-projection.png',
  'dashboard-all-orgs.png': 'dashboard-all-orgs.png',
  'inactive-05-dashboard-licences.png': 'dashboard-licences.png',
};

const target = path.join(repoRoot, 'media', 'screenshots');
const missing = Object.keys(CHOSEN).filter((name) => !existsSync(path.join(SCREENSHOT_DIR, name)));
if (missing.length > 0) {
  console.error(`screenshots: ${missing.join(', ')} missing in test-results/ui: run \`npm run test:vscode:ui\` first`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
for (const [from, to] of Object.entries(CHOSEN)) {
  copyFileSync(path.join(SCREENSHOT_DIR, from), path.join(target, to));
  console.log(`screenshots: media/screenshots/${to}`);
}
