/**
 * Scenarios 1, 2, 3, 6, 7 and 8: counts in fresh child processes (7: in this process) against the fake
 * Okta org on loopback. Each run of ours and of the baseline is checked against the ground truth.
 */
import { generate, nextWindow, runWorker, serve, serveWarmObjects, sleep, warmUp, type MonthData } from './harness';
import { count, megabytes, perSecond, ratio, seconds, spread, summarize, type Summary } from './stats';
import type { FakeOrg, RequestRecord } from '../test/fake-org';
import type { WorkerResult } from './worker';

export interface Row {
  metric: string;
  ours: string;
  baseline?: string;
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  id: number;
  title: string;
  setup: string;
  rows: Row[];
  targets: Target[];
  raw: Record<string, unknown>;
}

export interface Sizes {
  runs: number;
  /** Scenarios 1 and 2. */
  users: number;
  sessions: number;
  /** Scenario 3: two sizes, same users. */
  scaleUsers: number;
  scaleSessions: [number, number];
  /** Scenario 8. */
  real: RealSizes;
}

/** Scenario 8: the month, and the `/api/v1/logs` bucket (one token may use half of it per window). */
export interface RealSizes {
  users: number;
  sessions: number;
  limit: number;
  windowMs: number;
}

const RESERVE_PERCENT = 20;

/** `✓ 40,000` when a run matched the ground truth, `✗ 39,990 (truth 40,000)` otherwise. */
function truthCell(results: WorkerResult[], data: MonthData, checkEvents: boolean): string {
  const wrong = results.find((r) => r.mau !== data.truth.mau || (checkEvents && r.events !== data.truth.events));
  if (!wrong) return `✓ ${count(data.truth.mau)} MAU`;
  return `✗ ${count(wrong.mau)} MAU, ${count(wrong.events)} events (truth ${count(data.truth.mau)}, ${count(data.truth.events)})`;
}

function allCorrect(results: WorkerResult[], data: MonthData, checkEvents: boolean): boolean {
  return results.every((r) => r.mau === data.truth.mau && (!checkEvents || r.events === data.truth.events));
}

/** What the results file keeps of the ground truth: its per-user record would be hundreds of MB. */
function truthSummary(data: Pick<MonthData, 'truth'>): { mau: number; events: number } {
  return { mau: data.truth.mau, events: data.truth.events };
}

const wall = (rs: WorkerResult[]): Summary => summarize(rs.map((r) => r.wallMs));

/**
 * Scenario 1 (latency-bound) and 6 (manners): the same runs, read from two sides. `org` serves `data`
 * pre-rendered (as for scenario 2): rendered from the compact store, a page costs the fake org ~40 ms
 * of CPU, and eight requests arriving together at a window's start queued behind each other, so a
 * request took 200–450 ms instead of the scenario's 150 ms, for both clients alike.
 */
export async function latencyBound(data: MonthData, org: FakeOrg, sizes: Sizes, log: (s: string) => void): Promise<ScenarioResult[]> {
  const rateLimit = { limit: 40, windowMs: 2000 };
  const latencyMs = 150;
  org.configure({ latencyMs, rateLimit });
  const ours: WorkerResult[] = [];
  const baseline: WorkerResult[] = [];
  const manners: { lowestRemaining: number; tooMany: number; windows: number }[] = [];
  try {
    for (let i = 0; i < sizes.runs; i++) {
      // Alternate the order so drift on the machine falls on both alike.
      for (const impl of i % 2 ? (['baseline', 'ours'] as const) : (['ours', 'baseline'] as const)) {
        const windowStart = await nextWindow(rateLimit.windowMs);
        const windowsBefore = org.stats.rateWindows.length;
        const tooManyBefore = org.stats.tooManyRequests;
        const r = await runWorker({ impl, url: org.url, token: org.token, month: data.month, reservePercent: RESERVE_PERCENT });
        log(`  scenario 1 run ${i + 1} ${impl}: ${seconds(r.wallMs)}, ${r.mau} MAU${r.pages ? `, ${r.pages} pages` : ''}`);
        (impl === 'ours' ? ours : baseline).push(r);
        if (impl === 'ours') {
          const windows = org.stats.rateWindows.slice(windowsBefore).filter((w) => w.windowStart >= windowStart);
          manners.push({
            lowestRemaining: Math.min(...windows.map((w) => w.lowestRemaining)),
            tooMany: org.stats.tooManyRequests - tooManyBefore,
            windows: windows.length,
          });
        }
      }
    }
  } finally {
    org.configure({ latencyMs: 0, rateLimit: null });
  }
  const pagesMin = Math.ceil(data.truth.events / 1000);
  const floorMs = (pagesMin * rateLimit.windowMs) / rateLimit.limit;
  const o = wall(ours);
  const b = wall(baseline);
  const oursOverFloor = o.median / floorMs;
  const speedup = b.median / o.median;
  const reserve = Math.ceil((rateLimit.limit * RESERVE_PERCENT) / 100);
  const lowest = Math.min(...manners.map((m) => m.lowestRemaining));
  const tooMany = manners.reduce((n, m) => n + m.tooMany, 0);
  const s1: ScenarioResult = {
    id: 1,
    title: 'Latency-bound',
    setup: `${count(data.truth.events)} matching events (${count(data.totalEvents)} in the org), ${count(data.truth.mau)} users, ${latencyMs} ms per request, rate limit ${rateLimit.limit} requests per ${rateLimit.windowMs / 1000} s window, reserve ${RESERVE_PERCENT}%`,
    rows: [
      { metric: 'wall time, median (min–max)', ours: spread(o, seconds), baseline: spread(b, seconds) },
      { metric: 'pages / requests', ours: `${ours[0]?.pages ?? '?'} / ${ours[0]?.requests ?? '?'}`, baseline: `≥ ${pagesMin} / ≥ ${pagesMin}` },
      { metric: `rate-limit floor (${pagesMin} pages × ${rateLimit.windowMs / 1000} s / ${rateLimit.limit})`, ours: seconds(floorMs), baseline: seconds(floorMs) },
      { metric: 'time / floor', ours: ratio(oursOverFloor), baseline: ratio(b.median / floorMs) },
      { metric: 'baseline / ours', ours: ratio(speedup) },
      { metric: 'answer vs ground truth', ours: truthCell(ours, data, true), baseline: truthCell(baseline, data, false) },
    ],
    targets: [
      { target: 'ours ≤ 1.25× the rate-limit floor', measured: ratio(oursOverFloor), met: oursOverFloor <= 1.25 },
      { target: '≥ 3× faster than the baseline', measured: ratio(speedup), met: speedup >= 3 },
      { target: 'both report the ground-truth MAU', measured: allCorrect(ours, data, true) && allCorrect(baseline, data, false) ? 'yes' : 'no', met: allCorrect(ours, data, true) && allCorrect(baseline, data, false) },
    ],
    raw: { ours, baseline, floorMs, pagesMin, rateLimit, latencyMs, truth: truthSummary(data) },
  };
  const s6: ScenarioResult = {
    id: 6,
    title: 'Manners',
    setup: `scenario 1's runs of ours, reserve ${RESERVE_PERCENT}% of ${rateLimit.limit} = ${reserve} requests per window left to the org's other clients; read from the fake org's per-window stats`,
    rows: [
      { metric: 'lowest X-Rate-Limit-Remaining sent, per run', ours: manners.map((m) => m.lowestRemaining).join(', ') },
      { metric: 'HTTP 429 answers, per run', ours: manners.map((m) => m.tooMany).join(', ') },
      { metric: 'rate-limit windows used, per run', ours: manners.map((m) => m.windows).join(', ') },
    ],
    targets: [
      { target: `X-Rate-Limit-Remaining never below the reserve (${reserve})`, measured: `lowest ${lowest}`, met: lowest >= reserve },
      { target: 'no 429', measured: `${tooMany}`, met: tooMany === 0 },
    ],
    raw: { manners, reserve },
  };
  return [s1, s6];
}

/** Scenario 2: no latency, no rate limit; what is left is parsing and counting. */
export async function cpuBound(data: MonthData, org: FakeOrg, sizes: Sizes, log: (s: string) => void): Promise<ScenarioResult> {
  const ours: WorkerResult[] = [];
  const baseline: WorkerResult[] = [];
  for (let i = 0; i < sizes.runs; i++) {
    for (const impl of i % 2 ? (['baseline', 'ours'] as const) : (['ours', 'baseline'] as const)) {
      const r = await runWorker({ impl, url: org.url, token: org.token, month: data.month });
      log(`  scenario 2 run ${i + 1} ${impl}: ${seconds(r.wallMs)}, ${r.mau} MAU`);
      (impl === 'ours' ? ours : baseline).push(r);
      await sleep(200);
    }
  }
  const rate = (rs: WorkerResult[]) => summarize(rs.map((r) => data.truth.events / (r.wallMs / 1000)));
  const o = rate(ours);
  const b = rate(baseline);
  const gain = o.median / b.median;
  const correct = allCorrect(ours, data, true) && allCorrect(baseline, data, false);
  return {
    id: 2,
    title: 'CPU-bound',
    setup: `the same month (${count(data.truth.events)} matching events, ${count(data.truth.mau)} users), no latency, no rate limit; the fake org serves events it has already serialised once, so its own CPU does not cap the clients`,
    rows: [
      { metric: 'events/second, median (min–max)', ours: spread(o, perSecond), baseline: spread(b, perSecond) },
      { metric: 'wall time, median (min–max)', ours: spread(wall(ours), seconds), baseline: spread(wall(baseline), seconds) },
      { metric: 'CPU time of the counting process, median', ours: seconds(summarize(ours.map((r) => r.cpuMs)).median), baseline: seconds(summarize(baseline.map((r) => r.cpuMs)).median) },
      { metric: 'peak RSS, median', ours: megabytes(summarize(ours.map((r) => r.maxRssMb)).median), baseline: megabytes(summarize(baseline.map((r) => r.maxRssMb)).median) },
      { metric: 'ours / baseline (events/second)', ours: ratio(gain) },
      { metric: 'answer vs ground truth', ours: truthCell(ours, data, true), baseline: truthCell(baseline, data, false) },
    ],
    targets: [
      { target: '≥ 3× the baseline\'s events/second', measured: ratio(gain), met: gain >= 3 },
      { target: 'both report the ground-truth MAU', measured: correct ? 'yes' : 'no', met: correct },
    ],
    raw: { ours, baseline, truth: truthSummary(data) },
  };
}

/** Scenario 3: ours only, two sizes with the same users, to see memory and time per event. */
export async function scale(month: string, sizes: Sizes, log: (s: string) => void): Promise<ScenarioResult> {
  const perSize: { data: { truth: { mau: number; events: number }; totalEvents: number }; runs: WorkerResult[] }[] = [];
  for (const sessions of sizes.scaleSessions) {
    const started = Date.now();
    // Few non-matching events: they cost the fake org, not the count, and this scenario is about the count.
    const data = generate({ month, users: sizes.scaleUsers, sessions, seed: 7, failureRate: 0.02, otherEventsRate: 0.05 });
    log(`  scenario 3: generated ${count(data.totalEvents)} events in ${seconds(Date.now() - started)}`);
    await warmUp(data);
    const org = await serve(data);
    const runs: WorkerResult[] = [];
    try {
      for (let i = 0; i < sizes.runs; i++) {
        const r = await runWorker({ impl: 'ours', url: org.url, token: org.token, month });
        log(`  scenario 3 ${count(data.truth.events)} events run ${i + 1}: ${seconds(r.wallMs)}, peak RSS ${megabytes(r.maxRssMb)}`);
        runs.push(r);
      }
    } finally {
      await org.close();
    }
    perSize.push({ data: { truth: truthSummary(data), totalEvents: data.totalEvents }, runs });
    if (runs.some((r) => r.mau !== data.truth.mau || r.events !== data.truth.events)) log(`  ✗ scenario 3: wrong answer at ${sessions} sessions`);
  }
  const usPerEvent = perSize.map((p) => summarize(p.runs.map((r) => (r.wallMs * 1000) / p.data.truth.events)));
  // The fake org renders these months from its compact store (~40 µs an event, too large to keep
  // pre-rendered), on the same 2 cores: wall time follows the server. The count's own CPU time per
  // event is what says whether the count itself stays linear.
  const cpuPerEvent = perSize.map((p) => summarize(p.runs.map((r) => (r.cpuMs * 1000) / p.data.truth.events)));
  const rss = perSize.map((p) => summarize(p.runs.map((r) => r.maxRssMb)));
  const peak = Math.max(...rss.map((r) => r.max));
  const growth = cpuPerEvent[1].median / cpuPerEvent[0].median;
  const wallGrowth = usPerEvent[1].median / usPerEvent[0].median;
  const correct = perSize.every((p) => p.runs.every((r) => r.mau === p.data.truth.mau && r.events === p.data.truth.events));
  const us = (v: number) => `${v.toFixed(2)} µs`;
  return {
    id: 3,
    title: 'Scale',
    setup: `${perSize.map((p) => count(p.data.truth.events)).join(' and ')} matching events from ${count(sizes.scaleUsers)} users, no latency, no rate limit, ours only`,
    rows: perSize.flatMap((p, i) => [
      { metric: `${count(p.data.truth.events)} events: wall time`, ours: spread(summarize(p.runs.map((r) => r.wallMs)), seconds) },
      { metric: `${count(p.data.truth.events)} events: wall time per event`, ours: spread(usPerEvent[i], us) },
      { metric: `${count(p.data.truth.events)} events: CPU time of the count per event`, ours: spread(cpuPerEvent[i], us) },
      { metric: `${count(p.data.truth.events)} events: peak RSS (maxRSS)`, ours: spread(rss[i], megabytes) },
      { metric: `${count(p.data.truth.events)} events: peak V8 heap used`, ours: spread(summarize(p.runs.map((r) => r.peakHeapMb)), megabytes) },
    ]).concat([
      { metric: 'per event, larger / smaller size: CPU time, wall time', ours: `${ratio(growth)}, ${ratio(wallGrowth)}` },
      { metric: 'answer vs ground truth', ours: correct ? `✓ ${count(sizes.scaleUsers)} MAU at both sizes` : '✗ see the log' },
    ]),
    targets: [
      { target: 'peak RSS ≤ 250 MB', measured: megabytes(peak), met: peak <= 250 },
      { target: 'time grows linearly with events (CPU time per event within ±25% at both sizes)', measured: ratio(growth), met: growth <= 1.25 && growth >= 0.75 },
      { target: 'reports the ground-truth MAU', measured: correct ? 'yes' : 'no', met: correct },
    ],
    raw: { perSize, users: sizes.scaleUsers },
  };
}

/**
 * Scenario 7: incremental refresh. A count of the month as it stood one day before its end, then a
 * refresh at the end: the refresh fetches only the last day (plus a 10-minute overlap), and must equal
 * a full count at the same time. Runs in this process: it measures requests, not CPU.
 */
export async function refresh(data: MonthData, org: FakeOrg, sizes: Sizes, log: (s: string) => void): Promise<ScenarioResult> {
  const { countMau } = await import('../src/core');
  const monthEnd = Date.UTC(Number(data.month.slice(0, 4)), Number(data.month.slice(5, 7)), 1);
  const dayBefore = monthEnd - 86_400_000;
  const base = { orgUrl: org.url, auth: { mode: 'SSWS' as const, token: org.token }, month: data.month };
  const runs: { fullRequests: number; refreshRequests: number; fullMs: number; refreshMs: number; same: boolean }[] = [];
  for (let i = 0; i < sizes.runs; i++) {
    const earlier = await countMau({ ...base, now: () => new Date(dayBefore) });
    let t = performance.now();
    const refreshed = await countMau({ ...base, now: () => new Date(monthEnd), resumeFrom: earlier });
    const refreshMs = performance.now() - t;
    t = performance.now();
    const full = await countMau({ ...base, now: () => new Date(monthEnd) });
    const fullMs = performance.now() - t;
    const same =
      refreshed.incremental === true &&
      refreshed.mau === full.mau &&
      refreshed.events === full.events &&
      refreshed.mau === data.truth.mau &&
      JSON.stringify(refreshed.users.map((u) => [u.id, u.sessions, u.activeDays, u.firstSeen, u.lastSeen])) ===
        JSON.stringify(full.users.map((u) => [u.id, u.sessions, u.activeDays, u.firstSeen, u.lastSeen])) &&
      JSON.stringify(refreshed.dailyActiveUsers) === JSON.stringify(full.dailyActiveUsers);
    runs.push({ fullRequests: full.requests, refreshRequests: refreshed.requests, fullMs, refreshMs, same });
    log(`  scenario 7 run ${i + 1}: refresh ${refreshed.requests} requests (${seconds(refreshMs)}), full ${full.requests} requests (${seconds(fullMs)}), ${same ? 'same result' : 'DIFFERENT result'}`);
  }
  const share = Math.max(...runs.map((r) => r.refreshRequests / r.fullRequests));
  const allSame = runs.every((r) => r.same);
  return {
    id: 7,
    title: 'Incremental refresh',
    setup: `the month of scenario 2 (${count(data.truth.events)} matching events, ${count(data.truth.mau)} users) counted as it stood one day before its end, then refreshed at its end; compared with a full count at the end`,
    rows: [
      { metric: 'requests: refresh / full count, per run', ours: runs.map((r) => `${r.refreshRequests} / ${r.fullRequests}`).join(', ') },
      { metric: 'wall time: refresh, median', ours: seconds(summarize(runs.map((r) => r.refreshMs)).median) },
      { metric: 'wall time: full count, median', ours: seconds(summarize(runs.map((r) => r.fullMs)).median) },
      { metric: 'refresh result equals the full count and the ground truth', ours: allSame ? '✓ every run' : '✗ see the log' },
    ],
    targets: [
      { target: 'a refresh after one day makes ≤ 1/20 of the requests of a full count', measured: `1/${(1 / share).toFixed(0)}`, met: share <= 1 / 20 },
      { target: 'the refresh gives the same result as a full count', measured: allSame ? 'yes' : 'no', met: allSame },
    ],
    raw: { runs },
  };
}

/** One window of a scenario 8 run, from the fake org's request records. Times in ms into the window. */
export interface WindowPicture {
  /** 1 for the window the run started in. */
  window: number;
  /** When the window began, ms from the run's start (≤ 0 for the first). */
  startsAt: number;
  requests: number;
  ok: number;
  /** Each 429: when it arrived, which request of the window it was, and which limit answered it. */
  tooMany: { atMs: number; nth: number; by: string }[];
  /** Most requests in flight at the fake org (arrived, not yet answered) at any arrival in this window. */
  mostInFlight: number;
  firstMs: number;
  lastAnsweredMs: number;
}

interface RealRun {
  result: WorkerResult;
  /** Requests to /api/v1/logs the fake org recorded during the run. */
  requests: number;
  tooMany: number;
  concurrencyRejections: number;
  floorMs: number;
  windows: WindowPicture[];
  /** Every request of the run: arrival and answer in ms from the run's start, status, the limit of a 429. */
  records: { at: number; answered?: number; status: number; by?: string }[];
}

/**
 * The earliest time the `pages` requests could all be answered if the token made exactly `perWindow`
 * of them in every window from the run's start on: windows are aligned to multiples of `windowMs` (as
 * the fake org's, and Okta's), so the last request falls in the run's window number
 * ceil(pages / perWindow) (counting the run's own first window as 1); it starts at that window's
 * beginning (or at the run's start, if that is the first) and is answered one latency later.
 */
export function realFloorMs(startedAt: number, pages: number, perWindow: number, windowMs: number, latencyMs: number): number {
  const lastWindow = Math.ceil(pages / perWindow) - 1;
  const firstWindowStart = Math.floor(startedAt / windowMs) * windowMs;
  const lastStart = lastWindow === 0 ? startedAt : firstWindowStart + lastWindow * windowMs;
  return lastStart + latencyMs - startedAt;
}

function windowPictures(records: RequestRecord[], startedAt: number, windowMs: number): WindowPicture[] {
  const first = Math.floor(startedAt / windowMs);
  const out: WindowPicture[] = [];
  for (const r of records) {
    const index = Math.floor(r.at / windowMs) - first;
    const windowStart = (first + index) * windowMs;
    let w = out.find((p) => p.window === index + 1);
    if (!w) {
      w = { window: index + 1, startsAt: windowStart - startedAt, requests: 0, ok: 0, tooMany: [], mostInFlight: 0, firstMs: r.at - windowStart, lastAnsweredMs: 0 };
      out.push(w);
    }
    w.requests++;
    if (r.status === 200) w.ok++;
    if (r.status === 429) w.tooMany.push({ atMs: r.at - windowStart, nth: w.requests, by: r.limitedBy ?? 'fault' });
    const inFlight = records.filter((q) => q.at <= r.at && (q.answeredAt ?? q.at) > r.at).length;
    w.mostInFlight = Math.max(w.mostInFlight, inFlight);
    w.firstMs = Math.min(w.firstMs, r.at - windowStart);
    w.lastAnsweredMs = Math.max(w.lastAnsweredMs, (r.answeredAt ?? r.at) - windowStart);
  }
  return out.sort((a, b) => a.window - b.window);
}

function windowCell(w: WindowPicture | undefined): string {
  if (!w) return '';
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const tooMany = w.tooMany.map((t) => `429 (${t.by}) for request ${t.nth} at ${s(t.atMs)} s`).join(', ');
  return `${w.requests}${tooMany ? `: ${tooMany}` : ''}; ${w.mostInFlight} in flight at most; ${s(w.firstMs)}–${s(w.lastAnsweredMs)} s`;
}

/**
 * Scenario 8: Okta's real numbers. `/api/v1/logs` at 120 requests a window of which one token may use
 * only half (Okta's default per-token share) while the headers report the whole bucket, the org-wide
 * concurrency limit of 35, 150 ms a request, and a month of about 300 pages. One run of ours (a fresh
 * process: no rate memory from earlier runs) and one of the recipe, each from the start of a window.
 * The month is served pre-rendered, as for scenario 1, so the fake org's rendering is not what is measured.
 */
export async function realNumbers(month: string, spec: RealSizes, log: (s: string) => void): Promise<ScenarioResult> {
  const latencyMs = 150;
  const rateLimit = { limit: spec.limit, windowMs: spec.windowMs, tokenShare: 0.5, headers: 'bucket' as const };
  const concurrency = { limit: 35 };
  const perWindow = Math.floor(rateLimit.tokenShare * rateLimit.limit);
  let t = Date.now();
  // Few non-matching events: the filter is the server's, and the pre-rendered month is held in this process.
  const data = generate({ month, users: spec.users, sessions: spec.sessions, seed: 8, failureRate: 0.02, otherEventsRate: 0.05 });
  log(`  scenario 8: generated ${count(data.totalEvents)} events (${count(data.truth.events)} matching) in ${seconds(Date.now() - t)}`);
  t = Date.now();
  const org = await serveWarmObjects(data);
  log(`  scenario 8: fake org serving them pre-rendered: serialised in ${seconds(Date.now() - t)}`);
  const pagesMin = Math.ceil(data.truth.events / 1000);
  const runs: Partial<Record<'ours' | 'baseline', RealRun>> = {};
  try {
    org.configure({ latencyMs, rateLimit, concurrency });
    for (const impl of ['ours', 'baseline'] as const) {
      await nextWindow(rateLimit.windowMs);
      const recordsBefore = org.requests.length;
      const tooManyBefore = org.stats.tooManyRequests;
      const concurrencyBefore = org.stats.concurrencyRejections;
      const result = await runWorker({ impl, url: org.url, token: org.token, month: data.month, reservePercent: RESERVE_PERCENT });
      const records = org.requests.slice(recordsBefore).filter((r) => r.endpoint === 'logs');
      const start = result.startedAtMs;
      const run: RealRun = {
        result,
        requests: records.length,
        tooMany: org.stats.tooManyRequests - tooManyBefore,
        concurrencyRejections: org.stats.concurrencyRejections - concurrencyBefore,
        floorMs: realFloorMs(start, pagesMin, perWindow, rateLimit.windowMs, latencyMs),
        windows: windowPictures(records, start, rateLimit.windowMs),
        records: records.map((r) => ({ at: r.at - start, answered: r.answeredAt === undefined ? undefined : r.answeredAt - start, status: r.status, by: r.limitedBy })),
      };
      runs[impl] = run;
      log(
        `  scenario 8 ${impl}: ${seconds(result.wallMs)} (floor ${seconds(run.floorMs)}, ${ratio(result.wallMs / run.floorMs)}), ${run.requests} requests, ` +
          `${run.tooMany} × 429 + ${run.concurrencyRejections} concurrency 429s, ${result.mau} MAU`,
      );
      for (const w of run.windows) log(`    window ${w.window} (from ${seconds(w.startsAt)}): ${windowCell(w)}`);
    }
  } finally {
    await org.close();
  }
  const ours = runs.ours as RealRun;
  const baseline = runs.baseline as RealRun;
  const oursRatio = ours.result.wallMs / ours.floorMs;
  const oursTooMany = ours.tooMany + ours.concurrencyRejections;
  const tooManyCell = (r: RealRun) => `${r.tooMany + r.concurrencyRejections} (${r.tooMany} rate limit, ${r.concurrencyRejections} concurrency)`;
  const correct = allCorrect([ours.result], data, true) && allCorrect([baseline.result], data, false);
  const windows = Math.max(ours.windows.length, baseline.windows.length);
  const windowRows: Row[] = [];
  for (let i = 1; i <= windows; i++) {
    windowRows.push({
      metric: `window ${i}`,
      ours: windowCell(ours.windows.find((w) => w.window === i)),
      baseline: windowCell(baseline.windows.find((w) => w.window === i)),
    });
  }
  const floorLabel = `floor: ${pagesMin} requests at ${perWindow} per ${rateLimit.windowMs / 1000} s window from the run's start, + ${latencyMs} ms`;
  return {
    id: 8,
    title: "Okta's real numbers",
    setup:
      `${count(data.truth.events)} matching events (${count(data.totalEvents)} in the org), ${count(data.truth.mau)} users, ${latencyMs} ms per request; ` +
      `/api/v1/logs at ${rateLimit.limit} requests per ${rateLimit.windowMs / 1000} s window, of which one token may use ${perWindow} (Okta's default 50% share; the headers report the bucket of ${rateLimit.limit}); ` +
      `org-wide concurrency limit ${concurrency.limit}; ours with its defaults (reserve ${RESERVE_PERCENT}%, 8 in flight) in a fresh process with no rate memory; one run each, from the start of a window. ` +
      'Per window: requests; 429s (which limit, which request of the window, when); the most requests in flight at the fake org; first request–last answer, in seconds into the window',
    rows: [
      { metric: 'wall time', ours: seconds(ours.result.wallMs), baseline: seconds(baseline.result.wallMs) },
      { metric: floorLabel, ours: seconds(ours.floorMs), baseline: seconds(baseline.floorMs) },
      { metric: 'time / floor', ours: ratio(oursRatio), baseline: ratio(baseline.result.wallMs / baseline.floorMs) },
      { metric: 'HTTP 429 answers', ours: tooManyCell(ours), baseline: tooManyCell(baseline) },
      { metric: 'requests (the fake org\'s count) / pages', ours: `${ours.requests} / ${ours.result.pages ?? '?'}`, baseline: `${baseline.requests} / ≥ ${pagesMin}` },
      ...windowRows,
      { metric: 'peak RSS', ours: megabytes(ours.result.maxRssMb), baseline: megabytes(baseline.result.maxRssMb) },
      { metric: 'answer vs ground truth', ours: truthCell([ours.result], data, true), baseline: truthCell([baseline.result], data, false) },
    ],
    targets: [
      { target: 'ours: at most 1 × 429 per count', measured: `${oursTooMany}`, met: oursTooMany <= 1 },
      { target: `ours ≤ 1.10× the floor (${perWindow} requests per window)`, measured: ratio(oursRatio), met: oursRatio <= 1.1 },
      { target: 'both report the ground-truth MAU', measured: correct ? 'yes' : 'no', met: correct },
    ],
    raw: { ours, baseline, pagesMin, perWindow, rateLimit, concurrency, latencyMs, truth: truthSummary(data), totalEvents: data.totalEvents },
  };
}
