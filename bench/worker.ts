/**
 * One measured count in its own process, so heap, RSS and GC of one run never leak into another:
 *   node out/bench/worker.js '{"impl":"ours"|"baseline","url":…,"token":…,"month":"YYYY-MM"}'
 * Prints one JSON line (`WorkerResult`) on stdout. The SDK is loaded before the clock starts, for both
 * implementations alike, each the way it loads it: the recipe requires the SDK's entry point, ours only
 * the SDK's HTTP parts (`createOktaClient`). Module loading is measured separately (scenario 5); the
 * difference shows in peak RSS.
 *
 * Scenario 9 lists users instead (`impl: 'users'`): `listUserListing` from `src/core`, from scratch or
 * from an earlier listing read from a file, writing the new listing to a file (`UsersWorkerResult`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { countMau } from '../src/core';
import { createOktaClient } from '../src/core/oktaClient';
import { listUserListing } from '../src/core/users';
import { countWithRecipe } from './baseline';

export interface CountTask {
  impl: 'ours' | 'baseline';
  url: string;
  token: string;
  month: string;
  reservePercent?: number;
}

/** Scenario 9: one listing of the org's users, incremental when `previousFile` holds an earlier listing. */
export interface UsersTask {
  impl: 'users';
  url: string;
  token: string;
  reservePercent?: number;
  previousFile?: string;
  /** Where the listing is written (JSON), for the driver to check against the fake org's users. */
  listingFile: string;
}

export type WorkerTask = CountTask | UsersTask;

export interface UsersWorkerResult {
  impl: 'users';
  users: number;
  incremental: boolean;
  fullReason?: string;
  changed?: number;
  requests: number;
  /** The listing alone: from its first request to the merged list (the earlier listing already read). */
  wallMs: number;
  /** Reading and parsing the earlier listing's file, before the clock started. */
  readMs: number;
  startedAtMs: number;
  cpuMs: number;
  maxRssMb: number;
  peakHeapMb: number;
}

export interface WorkerResult {
  impl: WorkerTask['impl'];
  mau: number;
  events: number;
  pages?: number;
  requests?: number;
  wallMs: number;
  /** When the clock started, epoch ms (the machine's clock, which the fake org shares): scenario 8's floor. */
  startedAtMs: number;
  cpuMs: number;
  /** Peak resident set size of the whole process, MB. */
  maxRssMb: number;
  /** Peak V8 heap used, sampled every 20 ms, MB. */
  peakHeapMb: number;
}

function monthBounds(month: string): { since: string; until: string } {
  const [y, m] = month.split('-').map(Number);
  return { since: new Date(Date.UTC(y, m - 1, 1)).toISOString(), until: new Date(Date.UTC(y, m, 1)).toISOString() };
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
  if (task.impl === 'users') return listUsersOnce(task);
  if (task.impl === 'ours') createOktaClient(task.url, { mode: 'SSWS', token: task.token });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  else require('@okta/okta-sdk-nodejs');
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const startedAtMs = Date.now();
  let counted: Pick<WorkerResult, 'mau' | 'events' | 'pages' | 'requests'>;
  if (task.impl === 'ours') {
    const report = await countMau({ orgUrl: task.url, auth: { mode: 'SSWS', token: task.token }, month: task.month, reservePercent: task.reservePercent ?? 20 });
    counted = { mau: report.mau, events: report.events, pages: report.pages, requests: report.requests };
  } else {
    const { since, until } = monthBounds(task.month);
    counted = await countWithRecipe(task.url, task.token, since, until);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const result: WorkerResult = {
    impl: task.impl,
    ...counted,
    wallMs,
    startedAtMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function listUsersOnce(task: UsersTask): Promise<void> {
  createOktaClient(task.url, { mode: 'SSWS', token: task.token });
  const read = performance.now();
  const previous: unknown = task.previousFile ? JSON.parse(readFileSync(task.previousFile, 'utf8')) : undefined;
  const readMs = performance.now() - read;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const startedAtMs = Date.now();
  const listing = await listUserListing({ orgUrl: task.url, auth: { mode: 'SSWS', token: task.token }, reservePercent: task.reservePercent ?? 20, previous });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  writeFileSync(task.listingFile, JSON.stringify(listing));
  const result: UsersWorkerResult = {
    impl: 'users',
    users: listing.users.length,
    incremental: listing.incremental,
    ...(listing.fullReason ? { fullReason: listing.fullReason } : {}),
    ...(listing.changed !== undefined ? { changed: listing.changed } : {}),
    requests: listing.requests,
    wallMs,
    readMs,
    startedAtMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: Math.max(peakHeap, process.memoryUsage().heapUsed) / 1024 / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench worker: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
