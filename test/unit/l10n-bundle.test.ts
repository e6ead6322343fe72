/**
 * `l10n/bundle.l10n.json` holds every string the extension passes to `vscode.l10n.t`, so translators
 * see them all: the bundle `npm run l10n` would write now must equal the one committed.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('the l10n bundle', function () {
  this.timeout(60_000);
  it('holds exactly the strings the extension asks vscode.l10n to translate (run npm run l10n)', () => {
    const out = mkdtempSync(join(tmpdir(), 'okta-mau-l10n-'));
    try {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'vscode-l10n-dev'), ['export', '-o', out, 'src/extension'], { cwd: ROOT, stdio: 'pipe' });
      const fresh = JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8'));
      const committed = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'));
      assert.deepEqual(Object.keys(committed).sort(), Object.keys(fresh).sort());
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
