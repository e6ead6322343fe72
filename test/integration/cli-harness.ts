/** Runs the built command line (dist/cli.js) as a child process, the way a user or cron would. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI = resolve(ROOT, 'dist/cli.js');

let built = false;
/** Builds dist/ once per mocha process; the tests exercise the bundle that ships. */
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let scratchCache: string | undefined;
/** Where counts are cached unless a test says otherwise: never the developer's own ~/.cache/okta-mau. */
function defaultTestCache(): string {
  if (!scratchCache) {
    const dir = mkdtempSync(join(tmpdir(), 'okta-mau-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratchCache = dir;
  }
  return scratchCache;
}

/** A clean environment: nothing from the developer's shell (OKTA_*) leaks into a test. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OKTA_MAU_CACHE_DIR: defaultTestCache(), ...extra };
}

export function startCli(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).done;
}

/** The last complete UTC month: always inside the System Log's 90-day retention. */
export function lastCompleteMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}
