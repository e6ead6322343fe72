/**
 * The .vsix holds what the extension loads at run time and nothing else, and the README it carries
 * (dist/README.md, written by scripts/pack-readme.mjs) shows every image of the project's README
 * inlined as a data: URL: the details page in VS Code loads images only from https: or data: URLs,
 * and the project has no public home to serve them from. Reads the list `vsce ls` prints, which is
 * the list `vsce package` packs (the same .vscodeignore and --readme-path).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { buildCli, ROOT } from './cli-harness';

const PACKED_README = 'dist/README.md';

const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

function vsceLs(): string[] {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'pack-readme.mjs')], { cwd: ROOT, timeout: 30_000 });
  const out = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies', '--readme-path', PACKED_README], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Image targets in the README: Markdown `![alt](target "title")` and HTML `<img src="target">`. */
function readmeImages(file = 'README.md'): string[] {
  const md = readFileSync(join(ROOT, file), 'utf8');
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
      PACKED_README, // packed as extension/readme.md
      'CHANGELOG.md',
      'LICENSE',
    ];
    for (const f of needed) assert.ok(files.includes(f), `${f} is not in the .vsix: ${files.join(', ')}`);
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 The Okta MAU authors\n/);
  });

  it('carries the README with every image it shows inlined, byte for byte, and no link to a file it does not hold', () => {
    const images = readmeImages();
    assert.ok(images.length >= 3, `found only ${images.length} images in README.md`);
    const packed = readmeImages(PACKED_README);
    assert.equal(packed.length, images.length, 'one packed image for each of the README');
    images.forEach((src, i) => {
      assert.doesNotMatch(src, /^[a-z][a-z0-9+.-]*:|^\/|^#/i, `${src}: README images are relative paths (no URL, no leading /)`);
      const rel = posix.normalize(src.split(/[?#]/)[0]);
      assert.ok(existsSync(join(ROOT, rel)), `${src} does not exist`);
      const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(packed[i]);
      assert.ok(m, `${src} is not inlined as a PNG data: URL in ${PACKED_README}`);
      assert.ok(Buffer.from(m[1], 'base64').equals(readFileSync(join(ROOT, rel))), `${src}: the inlined bytes differ from the file`);
    });
    const md = readFileSync(join(ROOT, PACKED_README), 'utf8');
    const relativeLinks = [...md.matchAll(/\]\(\s*<?([^)\s>]+)/g)].map((m) => m[1]).filter((t) => !/^(https:|data:|#)/.test(t));
    assert.deepEqual(relativeLinks, [], 'links the details page cannot follow');
    assert.match(md, /`docs\/security\.md` has the threat model/, 'a link to a document becomes its path');
  });

  it('refuses to pack a README image that is an SVG, missing, or outside the project', async () => {
    const { packReadme } = (await import(join(ROOT, 'scripts', 'pack-readme.mjs'))) as { packReadme: (md: string, root: string) => string };
    const dir = mkdtempSync(join(tmpdir(), 'okta-mau-readme-'));
    try {
      mkdirSync(join(dir, 'media'));
      writeFileSync(join(dir, 'media', 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      writeFileSync(join(dir, 'media', 'b.svg'), '<svg/>');
      assert.equal(packReadme('![a](media/a.png "A") [site](https://example.com) [x](#top)', dir), '![a](data:image/png;base64,iVBORw== "A") [site](https://example.com) [x](#top)');
      assert.throws(() => packReadme('![b](media/b.svg)', dir), /only PNG, JPEG and GIF/);
      assert.throws(() => packReadme('![c](media/c.png)', dir), /ENOENT/);
      assert.throws(() => packReadme('![d](../secret.png)', dir), /outside the project/);
      assert.throws(() => packReadme('![e](/etc/passwd.png)', dir), /outside the project/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds nothing else: no sources, tests, bench, docs, build output, source maps, CLI or .vsix', () => {
    const forbidden = /^(src|test|bench|docs|scripts|out|node_modules|test-results|\.ci|\.vscode|\.tools)\//;
    for (const f of files) {
      assert.doesNotMatch(f, forbidden, f);
      assert.doesNotMatch(f, /\.(map|vsix|ts|tgz)$/, f);
      assert.notEqual(f, 'dist/cli.js', 'the command line bundle ships in the npm tarball, not the .vsix');
    }
    // Everything listed is either needed at run time, the packed README or a translation; the
    // screenshots travel inside the README, not beside it.
    const allowed = new Set([
      ...manifestFiles(), 'dist/count.js', 'dist/webview/dashboard.js', 'media/dashboard.css',
      'package.json', 'package.nls.json', PACKED_README, 'CHANGELOG.md', 'LICENSE',
    ]);
    const extra = files.filter((f) => !allowed.has(f) && !/^package\.nls\.[\w-]+\.json$/.test(f) && !/^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/.test(f));
    assert.deepEqual(extra, [], 'files in the .vsix that the extension does not use');
  });
});
