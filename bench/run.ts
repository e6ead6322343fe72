/**
 * `npm run bench [-- --quick] [-- --scenario N]...`: measures Okta MAU against the reference recipe
 * on the fake Okta org, prints the tables, writes bench/results/latest.json and latest.md, and (on a
 * full run of every scenario) refreshes the results section of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FakeOrg } from '../test/fake-org';
import { buildWorker, generate, previousMonth, repoRoot, serveWarmObjects, warmUp, type MonthData } from './harness';
import { machineInfo, renderMarkdown, updateDocs } from './report';
import { cpuBound, latencyBound, realNumbers, refresh, scale, type ScenarioResult, type Sizes } from './scenarios';
import { runVscodeScenarios } from './vscode/run-vscode-bench';
import { usersListing, type UsersSizes } from './users-scenario';

const SCENARIOS = 9;
/**
 * Scenario 8: 290 pages at a token's 60 requests per 60 s window need five windows, which hold 300:
 * ten requests to spare for the partial pages of ours' time slices (a few, whatever the month's size).
 * The quick run keeps that shape (five windows, ten requests to spare, the token at half the bucket)
 * with 50 pages at 12 per 6 s window.
 */
const FULL: Sizes = {
  runs: 3,
  users: 40_000,
  sessions: 200_000,
  scaleUsers: 100_000,
  scaleSessions: [500_000, 1_000_000],
  real: { users: 40_000, sessions: 290_000, limit: 120, windowMs: 60_000 },
};
/** Scenario 9: 100,000 users (500 pages) under the Users API's 600 a minute; quick: 20,000 with the window scaled as scenario 8's. */
const USERS_FULL: UsersSizes = { users: 100_000, limit: 600, windowMs: 60_000 };
const USERS_QUICK: UsersSizes = { users: 20_000, limit: 60, windowMs: 6_000 };
const QUICK: Sizes = {
  runs: 1,
  users: 4_000,
  sessions: 20_000,
  scaleUsers: 20_000,
  scaleSessions: [100_000, 200_000],
  real: { users: 10_000, sessions: 50_000, limit: 24, windowMs: 6_000 },
};

function parseArgs(argv: string[]): { quick: boolean; scenarios: Set<number> } {
  const scenarios = new Set<number>();
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--scenario' || a.startsWith('--scenario=')) {
      const raw = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      for (const part of (raw ?? '').split(',')) {
        const n = Number(part);
        if (!Number.isInteger(n) || n < 1 || n > SCENARIOS) throw new Error(`--scenario takes numbers 1 to ${SCENARIOS}, got "${raw}"`);
        scenarios.add(n);
      }
    } else throw new Error(`unknown argument "${a}" (use --quick and --scenario N)`);
  }
  if (scenarios.size === 0) for (let n = 1; n <= SCENARIOS; n++) scenarios.add(n);
  return { quick, scenarios };
}

async function main(): Promise<void> {
  const { quick, scenarios } = parseArgs(process.argv.slice(2));
  const sizes = quick ? QUICK : FULL;
  const started = Date.now();
  const log = (s: string) => console.log(s);
  const month = previousMonth();
  buildWorker();
  log(`okta-mau bench: ${quick ? 'quick' : 'full'} run, scenarios ${[...scenarios].join(', ')}, month ${month}, ${sizes.runs} run(s) each${scenarios.has(8) ? ' (scenario 8: one)' : ''}`);

  let shared: MonthData | undefined;
  const month12 = async (): Promise<MonthData> => {
    if (!shared) {
      const t = Date.now();
      shared = generate({ month, users: sizes.users, sessions: sizes.sessions });
      log(`generated ${shared.totalEvents.toLocaleString('en-US')} events (${shared.truth.events.toLocaleString('en-US')} matching, ${shared.truth.mau.toLocaleString('en-US')} users) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      await warmUp(shared);
    }
    return shared;
  };

  let objectOrg: FakeOrg | undefined;
  /** The month served pre-rendered: scenarios 1 (with latency and a rate limit set), 2, 4 and 7. */
  const cpuOrg = async (): Promise<FakeOrg> => {
    if (!objectOrg) {
      const t = Date.now();
      objectOrg = await serveWarmObjects(await month12());
      log(`fake org serving pre-rendered events: serialised them in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    return objectOrg;
  };

  const results: ScenarioResult[] = [];
  if (scenarios.has(1) || scenarios.has(6)) {
    log('scenario 1 (latency-bound) and 6 (manners)');
    const [s1, s6] = await latencyBound(await month12(), await cpuOrg(), sizes, log);
    if (scenarios.has(1)) results.push(s1);
    if (scenarios.has(6)) results.push(s6);
  }
  if (scenarios.has(2)) {
    log('scenario 2 (CPU-bound)');
    results.push(await cpuBound(await month12(), await cpuOrg(), sizes, log));
  }
  if (scenarios.has(7)) {
    log('scenario 7 (incremental refresh)');
    results.push(await refresh(await month12(), await cpuOrg(), sizes, log));
  }
  if (scenarios.has(4) || scenarios.has(5)) {
    log('scenarios 4 (responsiveness) and 5 (activation), inside the VS Code extension host');
    // The driver holds the served month (about a gigabyte) and the garbage of the scenarios before:
    // a full collection of it during scenario 4 would take a core from the extension host measured.
    collectGarbage();
    const vs = await runVscodeScenarios(await month12(), await cpuOrg(), sizes.runs, log);
    results.push(...vs.filter((r) => scenarios.has(r.id)));
  }
  // The object-served org holds about a gigabyte; scenarios 3 and 8 generate their own months.
  await objectOrg?.close();
  objectOrg = undefined;
  shared = undefined;
  if (scenarios.has(8)) {
    log("scenario 8 (Okta's real numbers)");
    results.push(await realNumbers(month, sizes.real, log));
  }
  if (scenarios.has(3)) {
    log('scenario 3 (scale)');
    results.push(await scale(month, sizes, log));
  }
  if (scenarios.has(9)) {
    log('scenario 9 (listing 100,000 users)');
    results.push(await usersListing(quick ? USERS_QUICK : USERS_FULL, log));
  }
  results.sort((a, b) => a.id - b.id);

  const machine = machineInfo();
  const command = `npm run bench${quick || scenarios.size < SCENARIOS ? ` --${quick ? ' --quick' : ''}${scenarios.size < SCENARIOS ? ` --scenario ${[...scenarios].join(',')}` : ''}` : ''}`;
  const markdown = renderMarkdown(results, machine, command, quick);
  const outDir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify({ machine, command, quick, sizes, results }, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'latest.md'), markdown);
  console.log('\n' + markdown);
  if (!quick && scenarios.size === SCENARIOS) {
    updateDocs(path.join(repoRoot, 'docs', 'benchmarks.md'), markdown);
    log('docs/benchmarks.md: results section updated');
  }
  log(`bench finished in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote bench/results/latest.json and latest.md`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

/** A full garbage collection of this process, now (`--expose-gc` turned on at runtime). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
