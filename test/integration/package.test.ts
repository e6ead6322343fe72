/**
 * The .vsix holds what the extension loads at run time and nothing else, and every image the README
 * shows is inside it at the path the README uses: `npm run package` passes
 * --no-rewrite-relative-links (the project has no public home), so the details page in VS Code
 * loads the images from the installed extension. Reads the list `vsce ls` prints, which is the
 * list `vsce package` packs (the same .vscodeignore).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { buildCli, ROOT } from './cli-harness';

const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

function vsceLs(): string[] {
  const out = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Image targets in the README: Markdown `![alt](target "title")` and HTML `<img src="target">`. */
function readmeImages(): string[] {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const found = [
    ...[...md.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...md.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]),
  ];
  return [...new Set(found)];
}

/** Files the manifest names: the entry point, the icon, view and view-container icons. */
function manifestFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const icons: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'icon' && typeof x === 'string' && !x.startsWith('$(')) icons.push(x);
        else visit(x);
      }
    }
  };
  visit(manifest.contributes);
  return [manifest.main, manifest.icon, ...icons].map((p: string) => posix.normalize(p));
}

describe('the .vsix contents (vsce ls)', function () {
  this.timeout(30_000);
  let files: string[];

  before(() => {
    buildCli(); // the bundles must exist for vsce to list them
    files = vsceLs();
  });

  it('holds the bundles, the manifest and its files, the docs shown on the details page and LICENSE', () => {
    const needed = [
      ...manifestFiles(),
      'dist/count.js', // loaded on the first count (src/extension/coreModule.ts)
      'dist/webview/dashboard.js', // the dashboard's webview script
      'media/dashboard.css', // the dashboard's style sheet
      'package.json',
      'package.nls.json',
      'l10n/bundle.l10n.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
    ];
    for (const f of needed) assert.ok(files.includes(f), `${f} is not in the .vsix: ${files.join(', ')}`);
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 The Okta MAU authors\n/);
  });

  it('holds every image the README shows, at the relative path the README uses', () => {
    const images = readmeImages();
    assert.ok(images.length >= 3, `found only ${images.length} images in README.md`);
    for (const src of images) {
      assert.doesNotMatch(src, /^[a-z][a-z0-9+.-]*:|^\/|^#/i, `${src}: README images are relative paths (no URL, no leading /)`);
      const rel = posix.normalize(src.split(/[?#]/)[0]);
      assert.ok(!rel.startsWith('../'), `${src} points outside the extension folder`);
      assert.ok(existsSync(join(ROOT, rel)), `${src} does not exist`);
      assert.ok(files.includes(rel), `${rel}, shown in README.md, is not in the .vsix`);
    }
  });

  it('holds nothing else: no sources, tests, bench, docs, build output, source maps, CLI or .vsix', () => {
    const forbidden = /^(src|test|bench|docs|scripts|out|node_modules|test-results|\.ci|\.vscode|\.tools)\//;
    for (const f of files) {
      assert.doesNotMatch(f, forbidden, f);
      assert.doesNotMatch(f, /\.(map|vsix|ts|tgz)$/, f);
      assert.notEqual(f, 'dist/cli.js', 'the command line bundle ships in the npm tarball, not the .vsix');
    }
    // Everything listed is either needed at run time, a README image or a translation.
    const allowed = new Set([
      ...manifestFiles(), 'dist/count.js', 'dist/webview/dashboard.js', 'media/dashboard.css',
      'package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE',
      ...readmeImages().map((s) => posix.normalize(s)),
    ]);
    const extra = files.filter((f) => !allowed.has(f) && !/^package\.nls\.[\w-]+\.json$/.test(f) && !/^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/.test(f));
    assert.deepEqual(extra, [], 'files in the .vsix that the extension does not use');
  });
});
