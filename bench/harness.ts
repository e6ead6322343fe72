/**
 * What every scenario needs: a generated month served by the fake Okta org (in this process, so its
 * rate-limit stats can be read directly; the counts run in child processes), and measured counts
 * run one per fresh child process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { generateMonthStore, getAll, groundTruth, monthBounds, startFakeOrg, urlWith, type FakeOrg } from '../test/fake-org';
import type { WorkerResult, WorkerTask } from './worker';

export const repoRoot = path.resolve(__dirname, '..');
const workerJs = path.join(repoRoot, 'out', 'bench', 'worker.js');

export interface MonthData {
  month: string;
  store: ReturnType<typeof generateMonthStore>;
  truth: { mau: number; events: number };
  totalEvents: number;
}

export interface MonthSpec {
  month: string;
  users: number;
  sessions: number;
  seed?: number;
  failureRate?: number;
  otherEventsRate?: number;
}

export function generate(spec: MonthSpec): MonthData {
  const store = generateMonthStore({
    month: spec.month,
    seed: spec.seed ?? 42,
    users: spec.users,
    sessions: spec.sessions,
    failureRate: spec.failureRate ?? 0.1,
    otherEventsRate: spec.otherEventsRate ?? 0.5,
  });
  const truth = groundTruth(store.truthViews(), monthBounds(spec.month));
  return { month: spec.month, store, truth: { mau: truth.mau, events: truth.events }, totalEvents: store.size };
}

export interface ServeOptions {
  latencyMs?: number;
  rateLimit?: { limit: number; windowMs: number } | null;
}

export function serve(data: MonthData, options: ServeOptions = {}): Promise<FakeOrg> {
  return startFakeOrg({ store: data.store, latencyMs: options.latencyMs ?? 0, rateLimit: options.rateLimit ?? null });
}

/**
 * The org for the CPU-bound measurements. On a 2-core machine the fake org shares the CPU with the
 * count, and rendering events from the compact store costs it about 40 µs an event, which would cap
 * both clients alike. Served as objects instead, the fake org keeps each event's JSON after the first
 * pass (done here), and a page costs it a few milliseconds: what is left to measure is the client.
 */
export async function serveWarmObjects(data: MonthData): Promise<FakeOrg> {
  const org = await startFakeOrg({ events: data.store.toEvents() });
  await readAllPages(org, data.month, 10_000);
  return org;
}

async function readAllPages(org: FakeOrg, month: string, pages: number): Promise<void> {
  const { since, until } = monthBounds(month);
  const filter = 'eventType eq "user.session.start" and outcome.result eq "SUCCESS" and actor.type eq "User"';
  const first = urlWith(org.url, '/api/v1/logs', { since: new Date(since).toISOString(), until: new Date(until).toISOString(), filter, limit: 1000 });
  await getAll(first, `SSWS ${org.token}`, pages);
}

/**
 * Serves a few dozen pages once before anything is measured: the fake org's page rendering is JIT-cold
 * at first, and the first measured run (ours or the baseline) would otherwise pay for warming it.
 */
export async function warmUp(data: MonthData, pages = 30): Promise<void> {
  const org = await serve(data);
  try {
    await readAllPages(org, data.month, pages);
  } finally {
    await org.close();
  }
}

/**
 * Bundles the worker (the SDK stays in node_modules, loaded the way an admin's script loads it), so
 * the measured processes run plain JavaScript with no TypeScript loader in them.
 */
export function buildWorker(): void {
  buildSync({
    entryPoints: [path.join(__dirname, 'worker.ts')],
    outfile: workerJs,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
}

export function runWorker(task: WorkerTask, timeoutMs = 10 * 60_000): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerJs, JSON.stringify(task)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as WorkerResult);
      else reject(new Error(`${task.impl} worker exited with ${code}: ${(err.trim().split('\n').pop() ?? '') || 'no output'}`));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for the next rate-limit window, so a run never shares a window with the previous one. */
export async function nextWindow(windowMs: number): Promise<number> {
  await sleep(windowMs - (Date.now() % windowMs) + 20);
  return Math.floor(Date.now() / windowMs) * windowMs;
}

/** The month before the current one (UTC): complete, and inside the System Log's 90-day retention. */
export function previousMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
