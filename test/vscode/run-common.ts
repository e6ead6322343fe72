// What the VS Code runners share: starting a throw-away code-server, opening it in headless
// Chromium, and tearing both down by process id whatever happened.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';

// Process groups of code-servers still running. A runner that exits early (hard timeout, Ctrl-C)
// skips its `finally` blocks; code-server is detached, so without this it would outlive the run.
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** A runner failure a person can act on: printed as one line, no stack. */
export class RunnerError extends Error {}

/** Where scripts/setup-vscode-env.mjs put code-server: asked of the script, so the path lives in one place. */
export function codeServerBin(): string {
  const out = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'setup-vscode-env.mjs'), '--print-bin'], {
    encoding: 'utf8',
  });
  const bin = out.stdout.trim();
  if (out.status !== 0 || !bin || !existsSync(bin)) {
    throw new RunnerError('code-server is not installed: run `node scripts/setup-vscode-env.mjs` first');
  }
  if (!existsSync(CHROMIUM)) {
    throw new RunnerError(`${CHROMIUM} is missing: run \`node scripts/setup-vscode-env.mjs\` first`);
  }
  return bin;
}

/** Runs a build step; `quiet` keeps its output (vsce's file tree) unless it fails. */
export function run(command: string, args: string[], cwd = repoRoot, options: { quiet?: boolean } = {}): void {
  const result = spawnSync(command, args, { cwd, stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new RunnerError(`\`${command} ${args.join(' ')}\` failed (exit ${result.status})`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  /** Extra variables for code-server; it passes its environment on to the extension host. */
  env?: Record<string, string>;
  /** A .vsix installed into this session's fresh extensions dir before start. */
  vsix?: string;
  /** Workbench settings merged over the defaults. */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  url: string;
  authority: string;
  root: string;
  workspace: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts code-server on a free loopback port with fresh dirs: a reused extensions dir keeps an
 * `extensions.json` that hides extensions added later, and reused user data leaks state between runs.
 */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = codeServerBin();
  const root = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-vscode-'));
  const userData = path.join(root, 'ud');
  const extensions = path.join(root, 'ext');
  const workspace = path.join(root, 'workspace');
  for (const dir of [path.join(userData, 'User'), extensions, workspace]) mkdirSync(dir, { recursive: true });
  const settings = { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', ...options.settings };
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const config = path.join(root, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (options.vsix) {
    const install = spawnSync(bin, [...dirs, '--install-extension', options.vsix], { encoding: 'utf8' });
    if (install.status !== 0) {
      throw new RunnerError(`code-server could not install ${options.vsix}: ${lastLine(install.stderr || install.stdout)}`);
    }
  }
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const logFile = path.join(root, 'code-server.log');
  const log = createWriteStream(logFile);
  const args = [
    '--auth', 'none', '--bind-addr', authority, '--config', config, ...dirs,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
  ];
  // detached: code-server gets its own process group, so one kill also ends its file watcher.
  const child = spawn(bin, args, {
    cwd: workspace,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const server: CodeServer = {
    url: `http://${authority}`,
    authority,
    root,
    workspace,
    logFile,
    stop: () => stopProcessGroup(child).finally(() => rmSync(root, { recursive: true, force: true })),
  };
  try {
    await waitForHealthz(server.url, child, logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitForHealthz(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new RunnerError(`code-server exited with code ${child.exitCode}: ${lastLine(readFileSync(logFile, 'utf8'))}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new RunnerError(`code-server did not answer ${url}/healthz within 30 s (log: ${logFile})`);
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL'); // children that ignored SIGTERM (the file watcher) go with the group
  liveGroups.delete(child.pid);
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'okta-mau-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await withTimeout(context.close(), 10_000).catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunnerError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines[lines.length - 1] ?? '(no output)';
}

/** Variables given as `--env NAME=VALUE` on the runner's command line. */
export function envFromArgs(argv: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  argv.forEach((arg, i) => {
    const value = arg === '--env' ? argv[i + 1] : arg.startsWith('--env=') ? arg.slice(6) : undefined;
    if (value === undefined) return;
    const eq = value.indexOf('=');
    if (eq <= 0) throw new RunnerError(`--env expects NAME=VALUE, got "${value}"`);
    env[value.slice(0, eq)] = value.slice(eq + 1);
  });
  return env;
}

export interface ExtensionTestRun {
  /** The folder holding the extension's package.json. */
  extensionDir: string;
  /** The compiled mocha entry point (`run(): Promise<void>`). */
  testsIndex: string;
  /** Environment for code-server, and so for the extension host. */
  env: Record<string, string>;
  /** Each line the extension host's console printed. */
  onLine: (line: string) => void;
  timeoutMs: number;
}

/**
 * Runs compiled mocha suites inside a fresh code-server's real extension host, opened in headless
 * Chromium with VS Code's test payload; resolves with their exit code (0 pass, 1 fail). code-server
 * and Chromium are ended whatever happens.
 */
export async function runInExtensionHost(o: ExtensionTestRun): Promise<number> {
  const server = await startCodeServer({ env: o.env });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    const page = await browser.context.newPage();
    let finish: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      o.onLine(util.format(...(Array.isArray(args) ? args : [args])));
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    // The payload's URIs must carry the page's own authority, or the workbench treats them as foreign.
    const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(o.extensionDir)],
      ['extensionTestsPath', remote(o.testsIndex)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`);
    return await withTimeout(exitCode, o.timeoutMs, `the suites did not finish within ${o.timeoutMs / 1000} s (code-server log: ${server.logFile})`);
  } finally {
    await browser.close();
    await server.stop();
  }
}
