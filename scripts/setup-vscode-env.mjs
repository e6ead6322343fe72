// Installs what the VS Code test tier needs on a fresh machine: Debian's Chromium, ripgrep and
// libkrb5-dev (code-server's native modules link against it), and code-server itself in a cache
// directory outside this repository, so `vsce package` and the bundle never see it.
// Idempotent and fast when everything is present: each step prints one line, `skipped` or `installed`.
// Also importable: `codeServerBin()` tells the runners where code-server lives.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
// The ripgrep build that code-server 4.100.3's @vscode/ripgrep (1.15.11) fetches in its postinstall.
const RIPGREP_CACHE = `vscode-ripgrep-cache-1.15.11`;
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const DEBIAN_PACKAGES = [
  { name: 'libkrb5-dev', probe: '/usr/include/krb5.h' },
  { name: 'ripgrep', probe: '/usr/bin/rg' },
  { name: 'chromium', probe: '/usr/bin/chromium' },
];

export function codeServerDir() {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'okta-mau', `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin() {
  return path.join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

function step(name, outcome) {
  console.log(`setup-vscode-env: ${name}: ${outcome}`);
}

function installDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !existsSync(p.probe)).map((p) => p.name);
  for (const p of DEBIAN_PACKAGES) if (!missing.includes(p.name)) step(p.name, 'skipped (present)');
  if (missing.length === 0) return;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}: run this script as root or install them with apt-get`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update -qq', { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  for (const name of missing) step(name, 'installed');
}

// @vscode/ripgrep downloads rg from GitHub during its postinstall, which cannot be reached here;
// it looks in this cache first, so an archive of Debian's rg satisfies it.
function seedRipgrepCache() {
  const dir = path.join(os.tmpdir(), RIPGREP_CACHE);
  const archive = path.join(dir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return step('ripgrep cache', 'skipped (present)');
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-rg-'));
  try {
    copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
    execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  step('ripgrep cache', 'installed');
}

function installCodeServer() {
  if (existsSync(codeServerBin())) return step(`code-server ${CODE_SERVER_VERSION}`, 'skipped (present)');
  const dir = codeServerDir();
  mkdirSync(dir, { recursive: true });
  // A package.json of its own keeps npm from walking up into an unrelated project.
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'okta-mau-code-server', private: true }) + '\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    // root needs unsafe_perm for the postinstall; `yes` lets node-pty's step fetch node-gyp.
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
  });
  if (!existsSync(codeServerBin())) throw new Error(`code-server installed but ${codeServerBin()} is missing`);
  step(`code-server ${CODE_SERVER_VERSION}`, `installed in ${dir}`);
}

export function setupVscodeEnv() {
  installDebianPackages();
  seedRipgrepCache();
  installCodeServer();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --print-bin: the runners ask where code-server lives, so the path is defined only here.
  if (process.argv.includes('--print-bin')) {
    console.log(codeServerBin());
    process.exit(existsSync(codeServerBin()) ? 0 : 1);
  }
  try {
    setupVscodeEnv();
  } catch (error) {
    console.error(`setup-vscode-env: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
