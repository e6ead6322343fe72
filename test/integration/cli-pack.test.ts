/**
 * The command line installs without a clone: `npm pack` gives a tarball holding the bundled
 * dist/cli.js (and README, LICENSE, CHANGELOG), `npm install -g --prefix <dir>` of it puts a working
 * `okta-mau` on <dir>/bin, and that binary counts the fake org's month as the ground truth says.
 *
 * Every package the command uses is bundled into dist/cli.js at build time, so the tarball declares
 * no dependencies and the install runs `--offline`: it needs nothing from the registry.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMonth, startFakeOrg, type FakeOrg } from '../fake-org';
import { buildCli, cliEnv, lastCompleteMonth, ROOT, type CliResult } from './cli-harness';

/** npm's environment without the settings an enclosing `npm run` exports about the project itself. */
function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^npm_config_(prefix|global|global_prefix|local_prefix|dry_run|offline|prefer_offline|prefer_online|location)$/i.test(k)) delete env[k];
  }
  return env;
}

function npm(args: string[], cwd: string, timeout = 100_000): string {
  return execFileSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the installed binary itself (its `#!/usr/bin/env node` line), from outside the checkout. */
function runInstalled(bin: string, args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

describe('okta-mau from the npm tarball, installed without a clone', function () {
  this.timeout(120_000);
  const month = lastCompleteMonth();
  const { events, truth } = generateMonth({ month, seed: 29, users: 150, sessions: 900 });
  let work: string;
  let prefix: string;
  let bin: string;
  let org: FakeOrg;
  let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

  before(async () => {
    buildCli();
    work = mkdtempSync(join(tmpdir(), 'okta-mau-pack-'));
    prefix = join(work, 'prefix');
    packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT))[0];
    const tarball = join(work, packed.filename);
    const install = ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--no-update-notifier', tarball];
    npm([...install, '--offline'], work);
    bin = join(prefix, 'bin', 'okta-mau');
    org = await startFakeOrg({ events });
  });
  after(async () => {
    await org?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs the command line bundle and its documents, nothing else', () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'package.json']);
    assert.equal(packed.filename, `okta-mau-${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}.tgz`);
  });

  it('puts a working okta-mau on <prefix>/bin whose JSON count equals the ground truth', async () => {
    const r = await runInstalled(bin, ['count', '--org-url', org.url, '--month', month, '--format', 'json'], cliEnv({ OKTA_API_TOKEN: org.token }), work);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.month, month);
    assert.equal(doc.complete, true);
    assert.equal(doc.mau, truth.mau);
    assert.deepEqual(doc.users.map((u: { id: string }) => u.id).sort(), Object.keys(truth.users).sort());
  });

  it('declares and installs no dependencies: dist/cli.js is self-contained', () => {
    const manifest = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'okta-mau', 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
    assert.equal(existsSync(join(prefix, 'lib', 'node_modules', 'okta-mau', 'node_modules')), false);
  });
});
